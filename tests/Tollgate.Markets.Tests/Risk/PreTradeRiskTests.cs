using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Risk;

namespace Tollgate.Markets.Tests.Risk;

/// <summary>Each pre-trade control refuses what it must, with its code, and passes what it must.</summary>
public sealed class PreTradeRiskTests
{
    private static readonly Instrument Spot = new(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m);
    private static readonly Instrument Perp = new(MarketKind.Futures, "BTCUSDT", 0.10m, 0.001m, 100m);
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly RiskLimits Limits = new(MaxOrderQuantity: 1m, MaxOrderNotional: 50_000m, CollarBps: 50m, MaxOrdersPerSecond: 3,
        MaxPositionQuantity: 2m, MaxConcurrentPositions: 1, Leverage: 10m, DuplicateWindow: TimeSpan.FromSeconds(1));

    private static PreTradeRisk NewRisk(int globalPerSecond = 10, decimal marginBudget = 10_000m, bool perp = true)
        => new(perp ? new Dictionary<Instrument, RiskLimits> { [Spot] = Limits, [Perp] = Limits } : new Dictionary<Instrument, RiskLimits> { [Spot] = Limits },
            new GlobalRiskLimits(globalPerSecond, marginBudget));

    private static RiskContext Book(decimal position = 0, int open = 0, decimal margin = 0, HealthLevel health = HealthLevel.Green, DateTimeOffset? now = null)
        => new(64_990m, 65_010m, position, open, margin, health, now ?? T0);

    private static int next;
    private static OrderIntent Buy(decimal qty = 0.1m, decimal? price = 65_000m, Instrument? on = null, OrderSide side = OrderSide.Buy, bool reduceOnly = false)
        => new($"intent-{Interlocked.Increment(ref next)}", on ?? Spot, side, price is null ? OrderType.Market : OrderType.Limit, qty, price, null, null, "cfg-41", T0, reduceOnly);

    public static TheoryData<string, OrderIntent, RiskContext> Refused() => new()
    {
        { "RISK-HEALTH-RED", Buy(), Book(health: HealthLevel.Red) },
        { "RISK-MAX-QTY", Buy(qty: 1.5m), Book() },
        { "RISK-MAX-NOTIONAL", Buy(qty: 0.9m, price: 65_005m), Book() },           // 58,504.5 > 50,000
        { "RISK-NO-BOOK", Buy(), Book() with { BestBid = null } },
        { "RISK-NO-BOOK", Buy(), Book() with { BestAsk = 64_000m } },                // crossed
        { "RISK-COLLAR", Buy(price: 65_400m), Book() },                              // 50 bps of 65,000 = 325 above 65,010 → 65,335 max
        { "RISK-COLLAR", Buy(price: 64_600m, side: OrderSide.Sell), Book() },        // min 64,990 − 325 = 64,665
        { "RISK-POSITION", Buy(qty: 0.5m), Book(position: 1.8m) },                   // 2.3 > 2
        { "RISK-POSITION", Buy(qty: 0.5m, side: OrderSide.Sell, reduceOnly: true), Book(position: 0.2m) }, // would flip short
        { "RISK-POSITION", Buy(qty: 0.1m, reduceOnly: true), Book(position: 0.5m) },  // a buy does not reduce a long
        { "RISK-CONCURRENCY", Buy(), Book(open: 1) },
        { "RISK-MARGIN", Buy(qty: 0.5m, on: Perp), Book(margin: 7_000m) },           // 32,500 / 10 = 3,250; 7,000 + 3,250 > 10,000
        { "RISK-MAX-QTY", Buy(qty: 0.00001m), Book(health: HealthLevel.Orange) },    // halved below one step
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_control_refuses_with_its_code(string code, OrderIntent intent, RiskContext context)
    {
        var decision = NewRisk().Check(intent, context);
        Assert.False(decision.Passed);
        Assert.Equal(code, decision.Refusal.Code());
        Assert.False(string.IsNullOrWhiteSpace(decision.Detail));
        Assert.Equal(0, decision.Quantity);
    }

    public static TheoryData<OrderIntent, RiskContext, decimal> Passed() => new()
    {
        { Buy(), Book(), 0.1m },
        { Buy(price: null), Book(), 0.1m },                                           // market order priced at the ask
        { Buy(price: 65_335m), Book(), 0.1m },                                        // exactly on the collar
        { Buy(qty: 0.2m, side: OrderSide.Sell, reduceOnly: true), Book(position: 1m, health: HealthLevel.Red), 0.2m }, // RED still reduces
        { Buy(qty: 0.5m), Book(position: 1.5m, open: 1), 0.5m },                      // adds to the open position: 2.0 is the limit
        { Buy(qty: 0.5m, side: OrderSide.Sell), Book(position: 2.5m, open: 1), 0.5m }, // over the limit already, but reducing
        { Buy(qty: 0.1m), Book(health: HealthLevel.Yellow), 0.08m },                  // size_mult 0.8
        { Buy(qty: 0.1m), Book(health: HealthLevel.Orange), 0.05m },                  // size_mult 0.5
        { Buy(qty: 0.33333m), Book(health: HealthLevel.Yellow), 0.26666m },           // rounded down to the step
        { Buy(qty: 0.1m, on: Perp), Book(margin: 9_000m), 0.1m },                     // 650 of margin fits
    };

    [Theory]
    [MemberData(nameof(Passed))]
    public void A_control_passes_what_it_must(OrderIntent intent, RiskContext context, decimal quantity)
    {
        var decision = NewRisk().Check(intent, context);
        Assert.True(decision.Passed, $"{decision.Refusal.Code()}: {decision.Detail}");
        Assert.Equal(quantity, decision.Quantity);
    }

    [Fact]
    public void Instruments_without_limits_are_not_traded()
        => Assert.Equal("RISK-NO-LIMITS", NewRisk(perp: false).Check(Buy(on: Perp), Book()).Refusal.Code());

    [Fact]
    public void The_per_instrument_and_global_throttles_count_sent_orders_in_a_rolling_second()
    {
        var risk = NewRisk(globalPerSecond: 4);
        for (var i = 0; i < 3; i++)
        {
            var intent = Buy(qty: 0.01m * (i + 1));
            Assert.True(risk.Check(intent, Book(now: T0.AddMilliseconds(i))).Passed);
            risk.Commit(intent, T0.AddMilliseconds(i));
        }
        Assert.Equal("RISK-THROTTLE-SYMBOL", risk.Check(Buy(qty: 0.05m), Book(now: T0.AddMilliseconds(500))).Refusal.Code());
        var perp = Buy(qty: 0.01m, on: Perp);
        Assert.True(risk.Check(perp, Book(now: T0.AddMilliseconds(500))).Passed);
        risk.Commit(perp, T0.AddMilliseconds(500));
        Assert.Equal("RISK-THROTTLE-GLOBAL", risk.Check(Buy(qty: 0.02m, on: Perp), Book(now: T0.AddMilliseconds(600))).Refusal.Code());
        // A second after the first three, they no longer count.
        Assert.True(risk.Check(Buy(qty: 0.07m), Book(now: T0.AddMilliseconds(1_002))).Passed);
    }

    [Fact]
    public void A_check_alone_changes_nothing()
    {
        var risk = NewRisk();
        for (var i = 0; i < 10; i++) Assert.True(risk.Check(Buy(), Book()).Passed);
    }

    [Fact]
    public void The_same_order_under_another_intent_id_within_the_window_is_a_duplicate_but_its_own_retry_is_not()
    {
        var risk = NewRisk();
        var first = Buy(qty: 0.1m, price: 65_000m);
        Assert.True(risk.Check(first, Book()).Passed);
        risk.Commit(first, T0);
        Assert.Equal("RISK-DUPLICATE", risk.Check(first with { IntentId = "double-click" }, Book(now: T0.AddMilliseconds(300))).Refusal.Code());
        Assert.True(risk.Check(first, Book(now: T0.AddMilliseconds(300))).Passed);
        Assert.True(risk.Check(first with { IntentId = "later" }, Book(now: T0.AddSeconds(2))).Passed);
        Assert.True(risk.Check(first with { IntentId = "other-price", LimitPrice = 65_001m }, Book(now: T0.AddMilliseconds(300))).Passed);
        // A canary's rule set deciding the same order as the baseline's is its own decision, not a double click.
        Assert.True(risk.Check(first with { IntentId = "canary", ConfigRev = "cfg-42" }, Book(now: T0.AddMilliseconds(300))).Passed);
    }

    [Fact]
    public void Every_refusal_has_its_own_code_and_the_health_matrix_is_seed_002s()
    {
        Assert.Equal(Enum.GetValues<RiskRefusal>().Length, Enum.GetValues<RiskRefusal>().Select(r => r.Code()).Distinct().Count());
        Assert.Equal([1.0m, 0.8m, 0.5m, 0m], Enum.GetValues<HealthLevel>().Select(h => h.SizeMultiplier()));
    }
}
