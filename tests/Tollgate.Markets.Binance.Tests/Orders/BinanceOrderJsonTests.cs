using System.Text;
using System.Text.Json;
using Tollgate.Markets.Binance.Orders;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Binance.Tests.Orders;

/// <summary>Binance's order JSON as the channel reads it: every documented status, exact decimals, the cancel answer's ids.</summary>
public sealed class BinanceOrderJsonTests
{
    private static readonly Instrument Spot = new(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m);
    private static readonly Instrument Futures = new(MarketKind.Futures, "BTCUSDT", 0.1m, 0.001m, 100m);

    [Theory]
    [InlineData("NEW", OrderStatus.Accepted)]
    [InlineData("PENDING_NEW", OrderStatus.Accepted)]
    [InlineData("PARTIALLY_FILLED", OrderStatus.PartiallyFilled)]
    [InlineData("FILLED", OrderStatus.Filled)]
    [InlineData("CANCELED", OrderStatus.Canceled)]
    [InlineData("PENDING_CANCEL", OrderStatus.PendingCancel)]
    [InlineData("REJECTED", OrderStatus.Rejected)]
    [InlineData("EXPIRED", OrderStatus.Expired)]
    [InlineData("EXPIRED_IN_MATCH", OrderStatus.Expired)]
    public void Every_Binance_status_maps_to_an_order_status(string binance, OrderStatus status) =>
        Assert.Equal(status, BinanceOrderJson.Status(binance));

    [Theory]
    [InlineData("NEW_INSURANCE")]
    [InlineData("new")]
    [InlineData(null)]
    public void A_status_Binance_does_not_document_is_unreadable_not_guessed(string? binance) =>
        Assert.Throws<FormatException>(() => BinanceOrderJson.Status(binance));

    [Fact]
    public void A_spot_FULL_answer_reads_exactly_with_its_taker_fills()
    {
        const string json = """
            {"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"6gCrw2kRUAF9CvJDGP16IP","transactTime":1507725176595,
             "price":"0.00000000","origQty":"0.00300000","executedQty":"0.00300000","origQuoteOrderQty":"0.000000","cummulativeQuoteQty":"195.03000003",
             "status":"FILLED","timeInForce":"GTC","type":"MARKET","side":"SELL","workingTime":1507725176595,"selfTradePreventionMode":"NONE",
             "fills":[{"price":"65010.00000001","qty":"0.00100000","commission":"0.06501000","commissionAsset":"USDT","tradeId":56},
                      {"price":"65010.00000001","qty":"0.00200000","commission":"0.13002000","commissionAsset":"USDT","tradeId":57}]}
            """;
        var order = BinanceOrderJson.Order(JsonDocument.Parse(json).RootElement, Spot);

        Assert.Equal(("6gCrw2kRUAF9CvJDGP16IP", "28", OrderSide.Sell, OrderType.Market, OrderStatus.Filled), (order.ClientOrderId, order.ExchangeOrderId, order.Side, order.Type, order.Status));
        Assert.Equal((0.003m, (decimal?)null, 0.003m, 195.03000003m), (order.Quantity, order.LimitPrice, order.ExecutedQuantity, order.CumulativeQuote));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1507725176595), order.UpdatedAt);
        Assert.Equal([("56", 0.001m, 65010.00000001m, 0.06501m, false), ("57", 0.002m, 65010.00000001m, 0.13002m, false)],
            order.Fills.Select(f => (f.TradeId, f.Quantity, f.Price, f.Fee, f.IsMaker)));
    }

    [Fact]
    public void A_spot_cancel_answer_is_named_by_origClientOrderId_and_a_futures_one_by_clientOrderId()
    {
        const string spot = """
            {"symbol":"BTCUSDT","origClientOrderId":"tg-original","orderId":4,"orderListId":-1,"clientOrderId":"cancelMyOrder1","transactTime":1684804350068,
             "price":"64000.00000000","origQty":"0.01000000","executedQty":"0.00000000","cummulativeQuoteQty":"0.00000000","status":"CANCELED",
             "timeInForce":"GTC","type":"LIMIT","side":"BUY","selfTradePreventionMode":"NONE"}
            """;
        const string futures = """
            {"clientOrderId":"tg-futures","cumQty":"0","cumQuote":"0","executedQty":"0","orderId":283194212,"origQty":"0.011","origType":"LIMIT",
             "price":"64000.1","reduceOnly":true,"side":"SELL","positionSide":"BOTH","status":"CANCELED","stopPrice":"0","closePosition":false,
             "symbol":"BTCUSDT","timeInForce":"GTC","type":"LIMIT","updateTime":1571110484038,"workingType":"CONTRACT_PRICE","priceProtect":false}
            """;
        var s = BinanceOrderJson.Order(JsonDocument.Parse(spot).RootElement, Spot);
        var f = BinanceOrderJson.Order(JsonDocument.Parse(futures).RootElement, Futures);
        Assert.Equal(("tg-original", OrderStatus.Canceled, 64000m), (s.ClientOrderId, s.Status, s.LimitPrice!.Value));
        Assert.Equal(("tg-futures", OrderStatus.Canceled, 64000.1m, 0.011m), (f.ClientOrderId, f.Status, f.LimitPrice!.Value, f.Quantity));
    }

    [Theory]
    [InlineData("\"1e-3\"")]
    [InlineData("0.001")]
    [InlineData("\"1,000.5\"")]
    [InlineData("\"NaN\"")]
    public void Only_Binances_plain_decimal_strings_are_read(string quantity)
    {
        var json = $$"""{"symbol":"BTCUSDT","orderId":1,"clientOrderId":"x","price":"0","origQty":{{quantity}},"executedQty":"0","cummulativeQuoteQty":"0","status":"NEW","type":"MARKET","side":"BUY","transactTime":1}""";
        Assert.Throws<FormatException>(() => BinanceOrderJson.Order(JsonDocument.Parse(Encoding.UTF8.GetBytes(json)).RootElement, Spot));
    }

    [Fact]
    public void An_answer_for_another_symbol_is_unreadable()
    {
        const string json = """{"symbol":"ETHUSDT","orderId":1,"clientOrderId":"x","price":"0","origQty":"1","executedQty":"0","cummulativeQuoteQty":"0","status":"NEW","type":"MARKET","side":"BUY","transactTime":1}""";
        Assert.Throws<FormatException>(() => BinanceOrderJson.Order(JsonDocument.Parse(json).RootElement, Spot));
    }

    [Fact]
    public void Leg_ids_of_an_OCO_are_derived_from_the_list_id_and_valid_for_Binance()
    {
        var list = ClientOrderId.For("intent-1");
        var (tp, sl) = (BinanceOrderChannel.TakeProfitClientOrderId(list), BinanceOrderChannel.StopLossClientOrderId(list));
        Assert.Equal(tp, BinanceOrderChannel.TakeProfitClientOrderId(list));
        Assert.NotEqual(tp, sl);
        Assert.True(ClientOrderId.IsValid(tp) && ClientOrderId.IsValid(sl));
        Assert.NotEqual(tp, BinanceOrderChannel.TakeProfitClientOrderId(ClientOrderId.For("intent-2")));
    }
}
