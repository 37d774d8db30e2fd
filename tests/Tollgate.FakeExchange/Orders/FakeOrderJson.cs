using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tollgate.FakeExchange;

/// <summary>
/// The order endpoints' answers in Binance's formats: spot prices and quantities with 8 decimals, futures with the
/// symbol's tick and step decimals, every decimal a string. Client order ids and symbols are validated before they
/// get here, so they need no escaping.
/// </summary>
internal static class FakeOrderJson
{
    public static string Error(int code, string msg) => $"{{\"code\":{code},\"msg\":{JsonSerializer.Serialize(msg)}}}";

    public static string F8(decimal value) => value.ToString("F8", CultureInfo.InvariantCulture);

    public static string Fixed(decimal value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>Spot order: the place answer (RESULT/FULL, with <paramref name="fills"/> for FULL), a query answer, or a cancel answer.</summary>
    public static string Spot(FakeOrder o, SpotShape shape, IEnumerable<FakeFill>? fills = null, string? cancelId = null)
    {
        var text = new StringBuilder("{\"symbol\":\"").Append(o.Symbol).Append('"');
        if (shape == SpotShape.Cancel) text.Append(",\"origClientOrderId\":\"").Append(o.ClientOrderId).Append('"');
        text.Append(",\"orderId\":").Append(o.OrderId).Append(",\"orderListId\":").Append(o.List?.Id ?? -1)
            .Append(",\"clientOrderId\":\"").Append(shape == SpotShape.Cancel ? cancelId : o.ClientOrderId).Append('"');
        if (shape != SpotShape.Query) text.Append(",\"transactTime\":").Append(Ms(o.UpdatedAt));
        text.Append(",\"price\":\"").Append(F8(o.Price)).Append("\",\"origQty\":\"").Append(F8(o.Quantity))
            .Append("\",\"executedQty\":\"").Append(F8(o.Executed)).Append("\",\"origQuoteOrderQty\":\"0.00000000\",\"cummulativeQuoteQty\":\"").Append(F8(o.CumulativeQuote))
            .Append("\",\"status\":\"").Append(o.Status).Append("\",\"timeInForce\":\"").Append(o.TimeInForce).Append("\",\"type\":\"").Append(o.Type)
            .Append("\",\"side\":\"").Append(o.Side).Append('"');
        if (o.Type == "STOP_LOSS" || shape == SpotShape.Query) text.Append(",\"stopPrice\":\"").Append(F8(o.StopPrice)).Append('"');
        if (shape == SpotShape.Query)
            text.Append(",\"icebergQty\":\"0.00000000\",\"time\":").Append(Ms(o.PlacedAt)).Append(",\"updateTime\":").Append(Ms(o.UpdatedAt))
                .Append(",\"isWorking\":").Append(o.Type == "STOP_LOSS" ? "false" : "true");
        if (shape != SpotShape.Cancel) text.Append(",\"workingTime\":").Append(Ms(o.PlacedAt));
        text.Append(",\"selfTradePreventionMode\":\"NONE\"");
        if (shape == SpotShape.Full)
        {
            text.Append(",\"fills\":[");
            var first = true;
            foreach (var f in fills ?? [])
            {
                if (!first) text.Append(',');
                first = false;
                text.Append("{\"price\":\"").Append(F8(f.Price)).Append("\",\"qty\":\"").Append(F8(f.Quantity)).Append("\",\"commission\":\"").Append(F8(f.Commission))
                    .Append("\",\"commissionAsset\":\"").Append(f.CommissionAsset).Append("\",\"tradeId\":").Append(f.TradeId).Append('}');
            }
            text.Append(']');
        }
        return text.Append('}').ToString();
    }

    public enum SpotShape { Result, Full, Query, Cancel }

    /// <summary>Futures order: the same shape answers RESULT, query (with <c>time</c>) and cancel.</summary>
    public static string Futures(FakeOrder o, FakeSymbol listing, bool query)
    {
        var (p, q) = (Scale(listing.TickSize), Scale(listing.StepSize));
        var average = o.Executed > 0 ? o.CumulativeQuote / o.Executed : 0;
        var text = new StringBuilder("{\"orderId\":").Append(o.OrderId).Append(",\"symbol\":\"").Append(o.Symbol).Append("\",\"status\":\"").Append(o.Status)
            .Append("\",\"clientOrderId\":\"").Append(o.ClientOrderId).Append("\",\"price\":\"").Append(Fixed(o.Price, p))
            .Append("\",\"avgPrice\":\"").Append(Fixed(average, 8)).Append("\",\"origQty\":\"").Append(Fixed(o.Quantity, q))
            .Append("\",\"executedQty\":\"").Append(Fixed(o.Executed, q)).Append("\",\"cumQty\":\"").Append(Fixed(o.Executed, q))
            .Append("\",\"cumQuote\":\"").Append(Fixed(o.CumulativeQuote, 8)).Append("\",\"timeInForce\":\"").Append(o.TimeInForce)
            .Append("\",\"type\":\"").Append(o.Type).Append("\",\"reduceOnly\":").Append(o.ReduceOnly ? "true" : "false")
            .Append(",\"closePosition\":false,\"side\":\"").Append(o.Side).Append("\",\"positionSide\":\"BOTH\",\"stopPrice\":\"").Append(Fixed(o.StopPrice, p))
            .Append("\",\"workingType\":\"CONTRACT_PRICE\",\"priceProtect\":false,\"origType\":\"").Append(o.Type)
            .Append("\",\"priceMatch\":\"NONE\",\"selfTradePreventionMode\":\"EXPIRE_MAKER\",\"goodTillDate\":0");
        if (query) text.Append(",\"time\":").Append(Ms(o.PlacedAt));
        return text.Append(",\"updateTime\":").Append(Ms(o.UpdatedAt)).Append('}').ToString();
    }

    public static string SpotTrade(FakeFill f, long orderListId) =>
        new StringBuilder("{\"symbol\":\"").Append(f.Symbol).Append("\",\"id\":").Append(f.TradeId).Append(",\"orderId\":").Append(f.OrderId)
            .Append(",\"orderListId\":").Append(orderListId).Append(",\"price\":\"").Append(F8(f.Price)).Append("\",\"qty\":\"").Append(F8(f.Quantity))
            .Append("\",\"quoteQty\":\"").Append(F8(f.Price * f.Quantity)).Append("\",\"commission\":\"").Append(F8(f.Commission))
            .Append("\",\"commissionAsset\":\"").Append(f.CommissionAsset).Append("\",\"time\":").Append(Ms(f.At))
            .Append(",\"isBuyer\":").Append(f.Side == "BUY" ? "true" : "false").Append(",\"isMaker\":").Append(f.IsMaker ? "true" : "false")
            .Append(",\"isBestMatch\":true}").ToString();

    public static string FuturesTrade(FakeFill f, FakeSymbol listing)
    {
        var (p, q) = (Scale(listing.TickSize), Scale(listing.StepSize));
        return new StringBuilder("{\"buyer\":").Append(f.Side == "BUY" ? "true" : "false").Append(",\"commission\":\"").Append(F8(f.Commission))
            .Append("\",\"commissionAsset\":\"").Append(f.CommissionAsset).Append("\",\"id\":").Append(f.TradeId).Append(",\"maker\":").Append(f.IsMaker ? "true" : "false")
            .Append(",\"orderId\":").Append(f.OrderId).Append(",\"price\":\"").Append(Fixed(f.Price, p)).Append("\",\"qty\":\"").Append(Fixed(f.Quantity, q))
            .Append("\",\"quoteQty\":\"").Append(F8(f.Price * f.Quantity)).Append("\",\"realizedPnl\":\"").Append(F8(f.RealizedPnl))
            .Append("\",\"side\":\"").Append(f.Side).Append("\",\"positionSide\":\"BOTH\",\"symbol\":\"").Append(f.Symbol).Append("\",\"time\":").Append(Ms(f.At))
            .Append('}').ToString();
    }

    public static string Account(IEnumerable<FakeBalance> balances, DateTimeOffset now)
    {
        var text = new StringBuilder("{\"makerCommission\":10,\"takerCommission\":10,\"buyerCommission\":0,\"sellerCommission\":0,\"canTrade\":true,\"canWithdraw\":false,")
            .Append("\"canDeposit\":false,\"brokered\":false,\"requireSelfTradePrevention\":false,\"preventSor\":false,\"updateTime\":").Append(Ms(now))
            .Append(",\"accountType\":\"SPOT\",\"balances\":[");
        var first = true;
        foreach (var b in balances)
        {
            if (!first) text.Append(',');
            first = false;
            text.Append("{\"asset\":\"").Append(b.Asset).Append("\",\"free\":\"").Append(F8(b.Free)).Append("\",\"locked\":\"").Append(F8(b.Locked)).Append("\"}");
        }
        return text.Append("],\"permissions\":[\"SPOT\"],\"uid\":354937868}").ToString();
    }

    public static string Position(FakePosition position, decimal markPrice, DateTimeOffset now)
    {
        var notional = position.Amount * markPrice;
        var pnl = (markPrice - position.EntryPrice) * position.Amount;
        return new StringBuilder("{\"symbol\":\"").Append(position.Symbol).Append("\",\"positionSide\":\"BOTH\",\"positionAmt\":\"").Append(F8(position.Amount))
            .Append("\",\"entryPrice\":\"").Append(F8(position.EntryPrice)).Append("\",\"breakEvenPrice\":\"").Append(F8(position.EntryPrice))
            .Append("\",\"markPrice\":\"").Append(F8(markPrice)).Append("\",\"unRealizedProfit\":\"").Append(F8(pnl))
            .Append("\",\"liquidationPrice\":\"0\",\"isolatedMargin\":\"0\",\"notional\":\"").Append(F8(notional))
            .Append("\",\"marginAsset\":\"USDT\",\"isolatedWallet\":\"0\",\"initialMargin\":\"").Append(F8(Math.Abs(notional) / 20))
            .Append("\",\"maintMargin\":\"").Append(F8(Math.Abs(notional) * 0.004m)).Append("\",\"positionInitialMargin\":\"").Append(F8(Math.Abs(notional) / 20))
            .Append("\",\"openOrderInitialMargin\":\"0\",\"adl\":0,\"bidNotional\":\"0\",\"askNotional\":\"0\",\"updateTime\":").Append(Ms(now)).Append('}').ToString();
    }

    /// <summary>An OCO: the list with its two legs, and with <paramref name="reports"/> each leg's order (the place answer).</summary>
    public static string OrderList(FakeOrderList list, bool reports)
    {
        var text = new StringBuilder("{\"orderListId\":").Append(list.Id).Append(",\"contingencyType\":\"OCO\",\"listStatusType\":\"")
            .Append(list.Done ? "ALL_DONE" : "EXEC_STARTED").Append("\",\"listOrderStatus\":\"").Append(list.Done ? "ALL_DONE" : "EXECUTING")
            .Append("\",\"listClientOrderId\":\"").Append(list.ListClientOrderId).Append("\",\"transactionTime\":").Append(Ms(list.At))
            .Append(",\"symbol\":\"").Append(list.Symbol).Append("\",\"orders\":[")
            .AppendJoin(',', list.Legs.Select(l => $"{{\"symbol\":\"{l.Symbol}\",\"orderId\":{l.OrderId},\"clientOrderId\":\"{l.ClientOrderId}\"}}")).Append(']');
        if (reports) text.Append(",\"orderReports\":[").AppendJoin(',', list.Legs.Select(l => Spot(l, SpotShape.Result))).Append(']');
        return text.Append('}').ToString();
    }

    public static string Array(IEnumerable<string> items) => "[" + string.Join(',', items) + "]";

    public static int Scale(decimal value) => (decimal.GetBits(value)[3] >> 16) & 0xFF;
}
