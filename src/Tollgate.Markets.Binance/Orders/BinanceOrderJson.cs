using System.Globalization;
using System.Text.Json;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Binance.Orders;

/// <summary>
/// Binance's order, trade, balance and position JSON (spot <c>/api/v3</c> and USDⓈ-M <c>/fapi</c> shapes) as the
/// channel's records. Decimals are read from Binance's strings exactly, as <see cref="decimal"/>, never through a
/// double. Anything not in the documented shape is a <see cref="FormatException"/>: the caller decides what an
/// unreadable answer means (after a placement: unknown, never "not placed").
/// </summary>
internal static class BinanceOrderJson
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    public static JsonDocument Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the answer is not JSON ({e.Message})");
        }
    }

    public static OrderStatus Status(string? status) => status switch
    {
        "NEW" => OrderStatus.Accepted,
        // Spot: a leg of an order list waiting for its working order; the exchange has it.
        "PENDING_NEW" => OrderStatus.Accepted,
        "PARTIALLY_FILLED" => OrderStatus.PartiallyFilled,
        "FILLED" => OrderStatus.Filled,
        "CANCELED" => OrderStatus.Canceled,
        "PENDING_CANCEL" => OrderStatus.PendingCancel,
        "REJECTED" => OrderStatus.Rejected,
        "EXPIRED" or "EXPIRED_IN_MATCH" => OrderStatus.Expired,
        _ => throw new FormatException($"order status '{Printable(status)}' is not one Binance documents"),
    };

    public static string Side(OrderSide side) => side == OrderSide.Buy ? "BUY" : "SELL";

    private static OrderSide Side(string? side) => side switch
    {
        "BUY" => OrderSide.Buy,
        "SELL" => OrderSide.Sell,
        _ => throw new FormatException($"side '{Printable(side)}' is neither BUY nor SELL"),
    };

    /// <summary>Binance's many order types as the two Tollgate places: a stop that executes at market is a market order.</summary>
    private static OrderType Type(string? type, MarketKind market) => (type, market) switch
    {
        ("MARKET", _) => OrderType.Market,
        ("LIMIT", _) => OrderType.Limit,
        ("LIMIT_MAKER" or "STOP_LOSS_LIMIT" or "TAKE_PROFIT_LIMIT", MarketKind.Spot) => OrderType.Limit,
        ("STOP_LOSS" or "TAKE_PROFIT", MarketKind.Spot) => OrderType.Market,
        ("STOP" or "TAKE_PROFIT", MarketKind.Futures) => OrderType.Limit,
        ("STOP_MARKET" or "TAKE_PROFIT_MARKET" or "TRAILING_STOP_MARKET", MarketKind.Futures) => OrderType.Market,
        _ => throw new FormatException($"order type '{Printable(type)}' is not known on {market.Code()}"),
    };

    /// <summary>
    /// One order (place, query, cancel and open-orders answers). A cancel answer names the order by
    /// <c>origClientOrderId</c> (its <c>clientOrderId</c> is the cancel's own id), so that comes first.
    /// </summary>
    public static ChannelOrder Order(JsonElement e, Instrument instrument)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new FormatException("an order is not a JSON object");
        var symbol = String(e, "symbol");
        if (!string.Equals(symbol, instrument.Symbol, StringComparison.Ordinal))
            throw new FormatException($"the answer is for '{Printable(symbol)}', not {instrument.Symbol}");
        var clientOrderId = OptionalString(e, "origClientOrderId") is { Length: > 0 } original ? original : String(e, "clientOrderId");
        var type = Type(String(e, "type"), instrument.Market);
        var price = Decimal(e, "price");
        var executed = Decimal(e, "executedQty");
        // Spot says cummulativeQuoteQty (sic), futures cumQuote. Binance documents a negative value for some historical
        // spot orders: the quote is not known then, and 0 says so without inventing one.
        var quote = Math.Max(0, e.TryGetProperty("cummulativeQuoteQty", out _) ? Decimal(e, "cummulativeQuoteQty") : Decimal(e, "cumQuote"));
        var at = Time(e, "updateTime", "transactTime", "workingTime", "time");
        var fills = new List<ChannelFill>();
        if (e.TryGetProperty("fills", out var array) && array.ValueKind == JsonValueKind.Array)
            foreach (var fill in array.EnumerateArray())
                // The fills of a FULL answer are what the order took on arrival: taker fills, at the answer's time.
                fills.Add(new ChannelFill(Id(fill, "tradeId"), Decimal(fill, "qty"), Decimal(fill, "price"),
                    Math.Abs(Decimal(fill, "commission")), String(fill, "commissionAsset"), IsMaker: false, at));
        return new ChannelOrder(clientOrderId, Id(e, "orderId"), instrument, Side(String(e, "side")), type, Status(String(e, "status")),
            Decimal(e, "origQty"), price > 0 ? price : null, executed, quote, fills, at);
    }

    /// <summary>One of spot <c>myTrades</c> or futures <c>userTrades</c>, with the order it belongs to.</summary>
    public static (string OrderId, ChannelFill Fill) Trade(JsonElement e, MarketKind market)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new FormatException("a trade is not a JSON object");
        var maker = e.TryGetProperty(market == MarketKind.Spot ? "isMaker" : "maker", out var m) && m.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? m.GetBoolean() : throw new FormatException("a trade does not say whether it was the maker");
        // Futures documents commission with either sign in its examples; a fee is a cost, so its size is what counts.
        return (Id(e, "orderId"), new ChannelFill(Id(e, "id"), Decimal(e, "qty"), Decimal(e, "price"), Math.Abs(Decimal(e, "commission")),
            String(e, "commissionAsset"), maker, Time(e, "time")));
    }

    public static IReadOnlyList<ChannelHolding> Balances(JsonElement account)
    {
        if (!account.TryGetProperty("balances", out var balances) || balances.ValueKind != JsonValueKind.Array)
            throw new FormatException("the account has no balances array");
        var holdings = new List<ChannelHolding>();
        foreach (var b in balances.EnumerateArray())
        {
            var total = Decimal(b, "free") + Decimal(b, "locked");
            if (total != 0) holdings.Add(new ChannelHolding(null, String(b, "asset"), total, null));
        }
        return holdings;
    }

    /// <summary>Open positions (positionRisk lists flat ones too in v2): signed amount and entry price.</summary>
    public static IReadOnlyList<ChannelHolding> Positions(JsonElement positions, Func<string, Instrument> instrument)
    {
        if (positions.ValueKind != JsonValueKind.Array) throw new FormatException("positionRisk is not a JSON array");
        var holdings = new List<ChannelHolding>();
        foreach (var p in positions.EnumerateArray())
        {
            var amount = Decimal(p, "positionAmt");
            if (amount == 0) continue;
            var symbol = String(p, "symbol");
            holdings.Add(new ChannelHolding(instrument(symbol), symbol, amount, Decimal(p, "entryPrice")));
        }
        return holdings;
    }

    public static string String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new FormatException($"'{name}' is missing or not a string");

    public static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>An id (orderId, tradeId, orderListId): a JSON integer, kept as its decimal text.</summary>
    public static string Id(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var id)
            ? id.ToString(CultureInfo.InvariantCulture) : throw new FormatException($"'{name}' is missing or not an integer");

    /// <summary>Binance's decimal strings ("0.00100000"), plain form only: no exponent, no thousands separator.</summary>
    public static decimal Decimal(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v)) throw new FormatException($"'{name}' is missing");
        if (v.ValueKind == JsonValueKind.String
            && decimal.TryParse(v.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
            return parsed;
        throw new FormatException($"'{name}' is not a decimal string");
    }

    private static DateTimeOffset Time(JsonElement e, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
            if (e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var ms) && ms > 0)
                return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        throw new FormatException($"none of {string.Join(", ", names.ToArray())} is a time in ms");
    }

    private static string Printable(string? text) =>
        text is null ? "(none)" : new string([.. text.Take(32).Select(c => char.IsControl(c) ? '?' : c)]);
}
