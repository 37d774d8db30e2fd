using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Binance.Orders;

/// <summary>Spot OCO protection: a take-profit LIMIT_MAKER and a STOP_LOSS as one order list, either of which cancels the other.</summary>
public sealed partial class BinanceOrderChannel
{
    /// <summary>The take-profit leg's client order id: derived from the list's, so a resent list names the same legs.</summary>
    public static string TakeProfitClientOrderId(string listClientOrderId) => LegId("tp-", listClientOrderId);

    /// <summary>The stop-loss leg's client order id.</summary>
    public static string StopLossClientOrderId(string listClientOrderId) => LegId("sl-", listClientOrderId);

    /// <summary>
    /// <c>POST /api/v3/orderList/oco</c>. A SELL OCO protects a long: above = LIMIT_MAKER at <paramref name="takeProfitPrice"/>,
    /// below = STOP_LOSS at <paramref name="stopPrice"/>; a BUY OCO the mirror (above = STOP_LOSS, below = LIMIT_MAKER).
    /// The same rules as <see cref="PlaceAsync"/>: sent once, an unknown outcome queried, a duplicate list returned.
    /// Known carries the list as one order: client id = the list's, exchange id = orderListId, the take-profit's price,
    /// the legs' executions summed and their fills; each leg is queryable by <see cref="TakeProfitClientOrderId"/> and
    /// <see cref="StopLossClientOrderId"/>, and canceling either cancels the list.
    /// </summary>
    public Task<ChannelResult> PlaceOcoAsync(Instrument spot, string listClientOrderId, OrderSide side, decimal quantity, decimal takeProfitPrice, decimal stopPrice,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spot);
        if (OcoRefusal(spot, listClientOrderId, side, quantity, takeProfitPrice, stopPrice) is { } why)
            return Task.FromResult(ChannelResult.Rejected(ChannelReasons.Rejected, why));
        var (takeProfit, stop) = (TakeProfitClientOrderId(listClientOrderId), StopLossClientOrderId(listClientOrderId));
        List<KeyValuePair<string, string>> limitMaker = [new("Type", "LIMIT_MAKER"), new("Price", BinanceOrderApi.Wire(takeProfitPrice)), new("ClientOrderId", takeProfit)];
        List<KeyValuePair<string, string>> stopLoss = [new("Type", "STOP_LOSS"), new("StopPrice", BinanceOrderApi.Wire(stopPrice)), new("ClientOrderId", stop)];
        var (above, below) = side == OrderSide.Sell ? (limitMaker, stopLoss) : (stopLoss, limitMaker);
        List<KeyValuePair<string, string>> parameters =
        [
            new("symbol", spot.Symbol), new("listClientOrderId", listClientOrderId), new("side", BinanceOrderJson.Side(side)),
            new("quantity", BinanceOrderApi.Wire(quantity)),
            .. above.Select(p => new KeyValuePair<string, string>("above" + p.Key, p.Value)),
            .. below.Select(p => new KeyValuePair<string, string>("below" + p.Key, p.Value)),
            new("newOrderRespType", "FULL"),
        ];
        return PlaceOnceAsync(spot, listClientOrderId, BinanceOrderApi.Oco, parameters,
            ct => FindOcoAsync(spot, listClientOrderId, ct), (body, _) => Task.FromResult(ReadOco(spot, listClientOrderId, body)), cancellationToken);
    }

    /// <summary>The OCO list as one order (see <see cref="PlaceOcoAsync"/>); null when there is no list with the id.</summary>
    /// <exception cref="ChannelUnavailableException">The channel could not be asked.</exception>
    public async Task<ChannelOrder?> QueryOcoAsync(Instrument spot, string listClientOrderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spot);
        if (string.IsNullOrEmpty(listClientOrderId) || !ClientOrderId.IsValid(listClientOrderId)) return null;
        try
        {
            return await FindOcoAsync(spot, listClientOrderId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsChannelFailure(e))
        {
            throw Unavailable(e, $"query order list {listClientOrderId}");
        }
    }

    private async Task<ChannelOrder?> FindOcoAsync(Instrument spot, string listClientOrderId, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await rest.SendSignedAsync(MarketKind.Spot, HttpMethod.Get, BinanceOrderApi.OrderList, [new("origClientOrderId", listClientOrderId)],
                BinanceOrderApi.OrderListWeight, cancellationToken).ConfigureAwait(false);
        }
        catch (BinanceException e) when (e.ExchangeCode == -2013)
        {
            return null;
        }
        string orderListId;
        List<string> legIds;
        using (var document = BinanceOrderJson.Parse(body))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("orders", out var orders) || orders.ValueKind != JsonValueKind.Array)
                throw new FormatException("the order list has no orders array");
            orderListId = BinanceOrderJson.Id(root, "orderListId");
            legIds = [.. orders.EnumerateArray().Select(o => BinanceOrderJson.String(o, "clientOrderId"))];
        }
        // The list names its legs only; their state is in the orders themselves.
        var legs = new List<ChannelOrder>();
        foreach (var id in legIds)
            legs.Add(await FindOrderAsync(spot, id, cancellationToken).ConfigureAwait(false)
                     ?? throw new FormatException($"the order list names a leg {id} that does not exist"));
        return Combine(spot, listClientOrderId, orderListId, legs);
    }

    private static ChannelOrder ReadOco(Instrument spot, string listClientOrderId, byte[] body)
    {
        using var document = BinanceOrderJson.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("orderReports", out var reports) || reports.ValueKind != JsonValueKind.Array)
            throw new FormatException("the OCO answer has no orderReports array");
        return Combine(spot, listClientOrderId, BinanceOrderJson.Id(root, "orderListId"), [.. reports.EnumerateArray().Select(r => BinanceOrderJson.Order(r, spot))]);
    }

    /// <summary>Two legs as one order: filled when a leg filled, done (canceled or expired) when both are.</summary>
    private static ChannelOrder Combine(Instrument spot, string listClientOrderId, string orderListId, IReadOnlyList<ChannelOrder> legs)
    {
        if (legs.Count != 2) throw new FormatException($"an OCO has 2 legs, this one {legs.Count}");
        var takeProfit = legs.FirstOrDefault(l => l.Type == OrderType.Limit) ?? legs[0];
        var statuses = legs.Select(l => l.Status).ToList();
        var status = statuses.Contains(OrderStatus.Filled) ? OrderStatus.Filled
            : statuses.Contains(OrderStatus.PartiallyFilled) ? OrderStatus.PartiallyFilled
            : statuses.Contains(OrderStatus.PendingCancel) ? OrderStatus.PendingCancel
            : !statuses.All(s => s.IsTerminal()) ? OrderStatus.Accepted
            : statuses.All(s => s == OrderStatus.Canceled) ? OrderStatus.Canceled
            : statuses.All(s => s == OrderStatus.Rejected) ? OrderStatus.Rejected
            : OrderStatus.Expired;
        return new ChannelOrder(listClientOrderId, orderListId, spot, takeProfit.Side, OrderType.Limit, status, takeProfit.Quantity, takeProfit.LimitPrice,
            legs.Sum(l => l.ExecutedQuantity), legs.Sum(l => l.CumulativeQuote), [.. legs.SelectMany(l => l.Fills).OrderBy(f => f.At)], legs.Max(l => l.UpdatedAt));
    }

    private static string? OcoRefusal(Instrument spot, string listClientOrderId, OrderSide side, decimal quantity, decimal takeProfitPrice, decimal stopPrice)
    {
        if (spot.Market != MarketKind.Spot) return $"{spot.Key}: OCO order lists are spot only; not sent.";
        if (string.IsNullOrEmpty(listClientOrderId) || !ClientOrderId.IsValid(listClientOrderId))
            return $"'{listClientOrderId}' is not a Binance client order id; not sent.";
        if (quantity <= 0 || takeProfitPrice <= 0 || stopPrice <= 0) return "quantity, take-profit and stop prices must be above 0; not sent.";
        if (side == OrderSide.Sell ? takeProfitPrice <= stopPrice : takeProfitPrice >= stopPrice)
            return $"a {BinanceOrderJson.Side(side)} OCO needs the take profit {(side == OrderSide.Sell ? "above" : "below")} the stop; not sent.";
        return null;
    }

    // "tp-" / "sl-" and 32 hex digits of SHA-256(list id): 35 characters, within Binance's 36 whatever the list id is.
    private static string LegId(string prefix, string listClientOrderId)
    {
        ArgumentException.ThrowIfNullOrEmpty(listClientOrderId);
        return prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listClientOrderId)))[..32];
    }
}
