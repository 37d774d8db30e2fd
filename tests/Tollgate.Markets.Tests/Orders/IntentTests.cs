using CsCheck;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Tests.Orders;

/// <summary>Client order ids, and the intents refused before anything is sent.</summary>
public sealed class IntentTests
{
    private static readonly Instrument Btc = new(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m);
    private static readonly Instrument Perp = new(MarketKind.Futures, "BTCUSDT", 0.10m, 0.001m, 100m);
    private static readonly InstrumentTable Universe = new([Btc, Perp]);
    private static readonly DateTimeOffset At = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static OrderIntent Limit(decimal qty = 0.01m, decimal? price = 65000.10m, OrderSide side = OrderSide.Buy, decimal? sl = null, decimal? tp = null, Instrument? instrument = null)
        => new("intent-1", instrument ?? Btc, side, OrderType.Limit, qty, price, sl, tp, "cfg-41", At);

    [Fact]
    public void A_client_order_id_is_the_same_for_one_intent_distinct_across_intents_and_always_valid_for_Binance()
    {
        Gen.String.Where(s => s.Length > 0).Sample(id =>
        {
            var cid = ClientOrderId.For(id);
            Assert.Equal(cid, ClientOrderId.For(id));
            Assert.True(ClientOrderId.IsValid(cid), cid);
            Assert.Equal(35, cid.Length);
            Assert.NotEqual(cid, ClientOrderId.For(id + "x"));
        });
        Assert.Equal(ClientOrderId.For("intent-1"), ClientOrderId.For("intent-1"));
        Assert.False(ClientOrderId.IsValid("has space"));
        Assert.False(ClientOrderId.IsValid(new string('a', 37)));
        Assert.Throws<ArgumentException>(() => ClientOrderId.For(""));
    }

    public static TheoryData<string, OrderIntent> Refused() => new()
    {
        { "EXE-INTENT-ID", Limit() with { IntentId = "" } },
        { "EXE-INTENT-ID", Limit() with { IntentId = new string('i', 129) } },
        { "EXE-INTENT-CONFIG", Limit() with { ConfigRev = " " } },
        { "EXE-INTENT-SYMBOL", Limit(instrument: new Instrument(MarketKind.Spot, "DOGEUSDT", 0.00001m, 1m, 1m)) },
        { "EXE-INTENT-SYMBOL", Limit(instrument: new Instrument(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m)) }, // same name, not the routed instrument
        { "EXE-INTENT-QTY", Limit(qty: 0m) },
        { "EXE-INTENT-QTY", Limit(qty: -0.01m) },
        { "EXE-INTENT-STEP", Limit(qty: 0.000015m) },
        { "EXE-INTENT-PRICE", Limit(price: null) },
        { "EXE-INTENT-PRICE", Limit(price: 0m) },
        { "EXE-INTENT-PRICE", Limit() with { Type = OrderType.Market } },
        { "EXE-INTENT-TICK", Limit(price: 65000.105m) },
        { "EXE-INTENT-TICK", Limit(sl: 64000.001m) },
        { "EXE-INTENT-TICK", Limit(tp: -1m) },
        { "EXE-INTENT-NOTIONAL", Limit(qty: 0.00007m) }, // 4.55 USDT < 5
        { "EXE-INTENT-PROTECTION", Limit(sl: 65000.10m) },
        { "EXE-INTENT-PROTECTION", Limit(sl: 66000m) },
        { "EXE-INTENT-PROTECTION", Limit(tp: 64000m) },
        { "EXE-INTENT-PROTECTION", Limit(side: OrderSide.Sell, sl: 64000m) },
        { "EXE-INTENT-PROTECTION", Limit(side: OrderSide.Sell, tp: 66000m) },
        { "EXE-INTENT-STEP", Limit(qty: 0.0015m, price: 65000.10m, instrument: Perp) },
        { "EXE-INTENT-TICK", Limit(qty: 0.002m, price: 65000.15m, instrument: Perp) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_bad_intent_is_refused_with_its_code(string code, OrderIntent intent)
        => Assert.Equal(code, IntentValidation.Validate(intent, Universe).Code());

    public static TheoryData<OrderIntent> Passed() => new()
    {
        Limit(),
        Limit(sl: 64000m, tp: 67000m),
        Limit(side: OrderSide.Sell, sl: 66000m, tp: 64000m),
        new OrderIntent("m-1", Btc, OrderSide.Buy, OrderType.Market, 0.001m, null, null, null, "cfg-41", At),
        new OrderIntent("m-2", Perp, OrderSide.Sell, OrderType.Limit, 0.002m, 65000.1m, 65500.0m, null, "cfg-41", At, ReduceOnly: true),
    };

    [Theory]
    [MemberData(nameof(Passed))]
    public void A_good_intent_passes(OrderIntent intent) => Assert.Equal(IntentRejection.None, IntentValidation.Validate(intent, Universe));

    [Fact]
    public void A_market_order_is_priced_by_the_reference_for_its_minimum_notional_and_protection()
    {
        var market = new OrderIntent("m-3", Btc, OrderSide.Buy, OrderType.Market, 0.00005m, null, 66000m, null, "cfg-41", At);
        Assert.Equal(IntentRejection.None, IntentValidation.Validate(market with { StopLoss = null }, Universe));
        Assert.Equal(IntentRejection.BelowMinNotional, IntentValidation.Validate(market with { StopLoss = null }, Universe, referencePrice: 65000m));
        Assert.Equal(IntentRejection.Protection, IntentValidation.Validate(market with { Quantity = 0.001m }, Universe, referencePrice: 65000m));
    }

    [Fact]
    public void Every_rejection_has_its_own_code()
        => Assert.Equal(Enum.GetValues<IntentRejection>().Length, Enum.GetValues<IntentRejection>().Select(r => r.Code()).Distinct().Count());
}
