using CsCheck;
using Tollgate.Markets.Features;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Strategy;
using static Tollgate.Markets.Tests.Strategy.StrategyKit;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Strategy;

/// <summary>Which events fire which rule, and the intents they make.</summary>
public sealed class RuleStrategyTests
{

    private static RuleStrategy From(string json) => new(Parse(json));

    // FUT BTCUSDT (tick 0.1, step 0.001): bid 50000.0, ask 50000.1: spread_bps 0.02.
    private static FeatureEvent Tight(long updateId, double seconds = 0, decimal? imbalance = 0.5m, Instrument? instrument = null) =>
        Event(instrument ?? FutBtcUsdt, updateId, 50000.0m, 50000.1m, imbalance: imbalance, seconds: seconds);

    [Fact]
    public void The_example_rule_opens_a_market_buy_with_stop_and_target_on_the_tick()
    {
        var strategy = From(Example);
        var rev = strategy.Rules.Rev;
        var decision = strategy.OnFeatures(Tight(42), FakePositions.Flat);

        Assert.NotNull(decision);
        var intent = decision.Intent;
        Assert.Equal($"{rev}:fut-long-tight:FUT:BTCUSDT:42", intent.IntentId);
        Assert.Same(FutBtcUsdt, intent.Instrument);
        Assert.Equal((OrderSide.Buy, OrderType.Market, 0.002m), (intent.Side, intent.Type, intent.Quantity));
        Assert.Null(intent.LimitPrice);
        Assert.Equal(49000.0m, intent.StopLoss);   // 50000.1 × 0.98 = 49000.098, down to the tick
        Assert.Equal(52000.2m, intent.TakeProfit); // 50000.1 × 1.04 = 52000.104, up to the tick
        Assert.Equal(rev, intent.ConfigRev);
        Assert.Equal(T0, intent.DecidedAt);
        Assert.False(intent.ReduceOnly);
        Assert.Equal(IntentRejection.None, IntentValidation.Validate(intent, Table, referencePrice: 50000.05m));
    }

    [Fact]
    public void A_rule_does_not_fire_unless_every_condition_holds()
    {
        var strategy = From(Example);
        Assert.Null(strategy.OnFeatures(Tight(1, imbalance: 0.2m), FakePositions.Flat)); // imbalance > 0.2 fails at 0.2
        Assert.Null(strategy.OnFeatures(Event(FutBtcUsdt, 2, 50000m, 50100m), FakePositions.Flat)); // spread_bps 19.98
        Assert.NotNull(strategy.OnFeatures(Tight(3, imbalance: 0.21m), FakePositions.Flat));
    }

    // SPOT ETHUSDT (tick 0.01): bid 100.00, ask 100.05, five ticks wide; stop 1.5 %, target 3 %.
    [Theory]
    [InlineData("BUY", 0, "100.00", "98.50", "103.00")]
    [InlineData("BUY", 2, "100.02", "98.51", "103.03")]     // 98.5197 down, 103.0206 up
    [InlineData("BUY", 10, "100.04", "98.53", "103.05")]    // capped a tick below the ask
    [InlineData("BUY", -3, "99.97", "98.47", "102.97")]     // 98.47045 down, 102.9691 up
    [InlineData("SELL", 0, "100.05", "101.56", "97.04")]    // 101.55075 up, 97.0485 down
    [InlineData("SELL", 2, "100.03", "101.54", "97.02")]
    [InlineData("SELL", 10, "100.01", "101.52", "97.00")]   // floored a tick above the bid
    public void A_limit_rule_prices_from_the_touch_on_the_tick_and_never_crosses(string side, int offset, string limit, string sl, string tp)
    {
        var strategy = From(Set(Rule(market: "SPOT", symbols: ["ETHUSDT"], when: ["spread_bps < 10"], side: side, type: "LIMIT",
            offset: offset, quantity: "0.1", sl: "1.5", tp: "3")));
        var intent = strategy.OnFeatures(Event(SpotEthUsdt, 9, 100.00m, 100.05m), FakePositions.Flat)!.Intent;
        Assert.Equal(OrderType.Limit, intent.Type);
        Assert.Equal((decimal.Parse(limit), decimal.Parse(sl), decimal.Parse(tp)), (intent.LimitPrice!.Value, intent.StopLoss!.Value, intent.TakeProfit!.Value));
        Assert.Equal(IntentRejection.None, IntentValidation.Validate(intent, Table));
    }

    [Fact]
    public void A_market_sell_is_protected_from_the_bid_and_a_rule_without_protection_has_none()
    {
        var sell = From(Set(Rule(side: "SELL", when: ["spread_bps < 10"])));
        var intent = sell.OnFeatures(Event(FutBtcUsdt, 5, 50000.3m, 50000.4m), FakePositions.Flat)!.Intent;
        Assert.Equal(51000.4m, intent.StopLoss);   // 50000.3 × 1.02 = 51000.306, up
        Assert.Equal(48000.2m, intent.TakeProfit); // 50000.3 × 0.96 = 48000.288, down
        Assert.Equal(IntentRejection.None, IntentValidation.Validate(intent, Table, referencePrice: 50000.35m));

        var bare = From(Set(Rule(sl: null, tp: null, when: ["spread_bps < 10"]))).OnFeatures(Tight(6), FakePositions.Flat)!.Intent;
        Assert.Null(bare.StopLoss);
        Assert.Null(bare.TakeProfit);
    }

    [Fact]
    public void Stops_and_targets_are_on_the_tick_and_never_tighter_than_asked()
    {
        var gen = Gen.Select(Gen.Long[1, 10_000_000], Gen.Int[1, 5000], Gen.Int[1, 5000], Gen.Bool, Gen.Bool);
        gen.Sample((bidTicks, slBasis, tpBasis, buy, limit) =>
        {
            var (sl, tp) = (slBasis / 100m, tpBasis / 100m); // 0.01 % .. 50 %
            var rule = Parse(Set(Rule(side: buy ? "BUY" : "SELL", type: limit ? "LIMIT" : "MARKET", offset: limit ? 0 : null,
                sl: sl.ToString(System.Globalization.CultureInfo.InvariantCulture), tp: tp.ToString(System.Globalization.CultureInfo.InvariantCulture)))).Rules[0];
            var bid = bidTicks * 0.1m;
            if (!RulePricing.TryPrice(rule, FutBtcUsdt, bid, bid + 0.2m, out var limitPrice, out var stop, out var target)) return;
            var entry = limitPrice ?? (buy ? bid + 0.2m : bid);
            Assert.True(FutBtcUsdt.IsOnTick(stop!.Value) && FutBtcUsdt.IsOnTick(target!.Value));
            if (buy)
            {
                Assert.InRange(stop.Value, entry * (1 - sl / 100) - 0.1m, entry * (1 - sl / 100));
                Assert.InRange(target.Value, entry * (1 + tp / 100), entry * (1 + tp / 100) + 0.1m);
            }
            else
            {
                Assert.InRange(stop.Value, entry * (1 + sl / 100), entry * (1 + sl / 100) + 0.1m);
                Assert.InRange(target.Value, entry * (1 - tp / 100) - 0.1m, entry * (1 - tp / 100));
            }
        });
    }

    [Fact]
    public void The_cooldown_runs_on_exchange_time_not_the_wall_clock()
    {
        var strategy = From(Example); // cooldown 30 s
        Assert.NotNull(strategy.OnFeatures(Tight(1, seconds: 0), FakePositions.Flat));
        // Ingested ten minutes later (a slow replay, a backlog): it is still 29.999 s after the first on the exchange.
        var late = Event(FutBtcUsdt, 2, 50000.0m, 50000.1m, seconds: 29.999, ingest: T0.AddMinutes(10));
        Assert.Null(strategy.OnFeatures(late, FakePositions.Flat));
        var next = strategy.OnFeatures(Tight(3, seconds: 30), FakePositions.Flat);
        Assert.NotNull(next);
        Assert.Equal(T0.AddSeconds(30), next.Intent.DecidedAt);
        // Time running backwards keeps the cooldown closed.
        Assert.Null(strategy.OnFeatures(Tight(4, seconds: 10), FakePositions.Flat));
    }

    [Fact]
    public void Without_an_exchange_time_the_cooldown_runs_on_ingest_time()
    {
        var strategy = From(Example);
        FeatureEvent At(long id, double s) => Event(FutBtcUsdt, id, 50000.0m, 50000.1m, noExchangeTime: true, ingest: T0.AddSeconds(s));
        Assert.Equal(T0, strategy.OnFeatures(At(1, 0), FakePositions.Flat)!.Intent.DecidedAt);
        Assert.Null(strategy.OnFeatures(At(2, 29), FakePositions.Flat));
        Assert.Equal(T0.AddSeconds(31), strategy.OnFeatures(At(3, 31), FakePositions.Flat)!.Record.DecidedAt);
    }

    [Fact]
    public void The_cooldown_is_per_rule_and_instrument_and_a_cooling_rule_lets_the_next_one_fire()
    {
        var strategy = From(Set(
            Rule("first", symbols: ["BTCUSDT", "BNBUSDT"], quantity: "0.01", when: ["spread_bps < 10"], cooldown: 60, maxOpen: 2),
            Rule("second", when: ["spread_bps < 10"], cooldown: 60)));
        Assert.Equal("first", strategy.OnFeatures(Tight(1, 0), FakePositions.Flat)!.Record.RuleId);
        Assert.Equal("first", strategy.OnFeatures(Event(FutBnbUsdt, 1, 600.00m, 600.01m, seconds: 1), FakePositions.Flat)!.Record.RuleId);
        Assert.Equal("second", strategy.OnFeatures(Tight(2, 10), FakePositions.Flat)!.Record.RuleId);
        Assert.Null(strategy.OnFeatures(Tight(3, 20), FakePositions.Flat));
        Assert.Equal("first", strategy.OnFeatures(Tight(4, 60), FakePositions.Flat)!.Record.RuleId);
    }

    [Fact]
    public void Max_open_counts_the_rules_instruments_that_hold_a_position()
    {
        var single = From(Example);
        Assert.Null(single.OnFeatures(Tight(1), FakePositions.Flat.With(FutBtcUsdt, 0.002m)));
        Assert.Null(single.OnFeatures(Tight(2), FakePositions.Flat.With(FutBtcUsdt, -0.001m))); // a short is open too
        // Refused for max_open does not start the cooldown: flat again, it fires at once.
        Assert.NotNull(single.OnFeatures(Tight(3, seconds: 1), FakePositions.Flat.With(SpotBtcUsdt, 1m)));

        string Two(int maxOpen) => Set(Rule(symbols: ["BTCUSDT", "BNBUSDT"], quantity: "0.01", when: ["spread_bps < 10"], maxOpen: maxOpen));
        var bnbOpen = FakePositions.Flat.With(FutBnbUsdt, 0.5m);
        Assert.Null(From(Two(1)).OnFeatures(Tight(4), bnbOpen));
        Assert.NotNull(From(Two(2)).OnFeatures(Tight(4), bnbOpen));
        Assert.Null(From(Two(2)).OnFeatures(Tight(4), bnbOpen.With(FutBtcUsdt, 0.01m)));
    }

    [Fact]
    public void A_rule_at_max_open_lets_the_next_rule_fire()
    {
        var strategy = From(Set(Rule("one", when: ["spread_bps < 10"]), Rule("pyramid", when: ["spread_bps < 10"], maxOpen: 2)));
        var decision = strategy.OnFeatures(Tight(1), FakePositions.Flat.With(FutBtcUsdt, 0.002m));
        Assert.Equal("pyramid", decision!.Record.RuleId);
    }

    [Fact]
    public void The_same_events_make_the_same_intents_with_the_same_ids()
    {
        var events = Enumerable.Range(0, 200).Select(i => Event(FutBtcUsdt, 1000 + i, 50000.0m, 50000.1m + i % 7 * 10m,
            imbalance: i % 5 / 4m - 0.5m, seconds: i * 3.5, ingest: DateTimeOffset.UnixEpoch.AddSeconds(i))).ToList();
        List<StrategyDecision> Run()
        {
            var strategy = From(Set(Rule("a", when: ["spread_bps < 10", "imbalance > 0.2"], cooldown: 20),
                Rule("b", side: "SELL", type: "LIMIT", offset: 1, when: ["spread_bps >= 10", "imbalance < 0"], cooldown: 7)));
            return [.. events.Select(e => strategy.OnFeatures(e, FakePositions.Flat)).OfType<StrategyDecision>()];
        }
        var first = Run();
        var second = Run();
        Assert.True(first.Count > 10, $"{first.Count} decisions");
        Assert.Contains(first, d => d.Record.RuleId == "a");
        Assert.Contains(first, d => d.Record.RuleId == "b");
        Assert.Equal(first.Select(d => d.Intent), second.Select(d => d.Intent));
        Assert.Equal(first.Select(d => d.Record.ToJson()), second.Select(d => d.Record.ToJson()));
        Assert.Equal(first.Count, first.Select(d => d.Intent.IntentId).Distinct().Count());
    }

    [Fact]
    public void An_event_delivered_twice_names_the_same_intent()
    {
        var strategy = From(Set(Rule(when: ["spread_bps < 10"], cooldown: 0)));
        var a = strategy.OnFeatures(Tight(77), FakePositions.Flat)!.Intent;
        var b = strategy.OnFeatures(Tight(77), FakePositions.Flat)!.Intent;
        Assert.Equal(a, b);
        Assert.Equal(ClientOrderId.For(a.IntentId), ClientOrderId.For(b.IntentId));
        Assert.Equal(RuleStrategy.IntentId(strategy.Rules.Rev, "r1", FutBtcUsdt, 77), a.IntentId);
        Assert.True(a.IntentId.Length <= IntentValidation.MaxIntentIdLength);
    }

    [Fact]
    public void Missing_features_never_fire_a_rule_that_needs_them()
    {
        var strategy = From(Set(
            Rule("needs-imbalance", when: ["spread_bps < 10", "imbalance > 0.2"]),
            Rule("needs-atr", when: ["atr > 0"], cooldown: 0),
            Rule("needs-regime", when: ["regime != VOLATILE"], cooldown: 0),
            Rule("spread-only", when: ["spread_bps < 10"], cooldown: 0)));
        var noDepth = Event(FutBtcUsdt, 1, 50000.0m, 50000.1m, imbalance: null, atr: null, regime: RegimeState.Unknown);
        Assert.Equal("spread-only", strategy.OnFeatures(noDepth, FakePositions.Flat)!.Record.RuleId);

        var atrOnly = From(Set(Rule(when: ["atr >= 0"], cooldown: 0)));
        Assert.Null(atrOnly.OnFeatures(Event(FutBtcUsdt, 2, 0m, 0m, atr: 5m), FakePositions.Flat));           // no book
        Assert.Null(atrOnly.OnFeatures(Event(FutBtcUsdt, 3, 0m, 50000.1m, atr: 5m), FakePositions.Flat));     // one side
        Assert.Null(atrOnly.OnFeatures(Event(FutBtcUsdt, 4, 50000.1m, 50000.1m, atr: 5m), FakePositions.Flat)); // locked
        Assert.Null(atrOnly.OnFeatures(Event(FutBtcUsdt, 5, 50000.0m, 50000.1m, atr: null), FakePositions.Flat));
        Assert.NotNull(atrOnly.OnFeatures(Event(FutBtcUsdt, 6, 50000.0m, 50000.1m, atr: 5m), FakePositions.Flat));
    }

    [Fact]
    public void Only_the_rules_instruments_fire_and_the_intent_carries_the_universes_instrument()
    {
        var strategy = From(Example);
        Assert.Null(strategy.OnFeatures(Tight(1, instrument: SpotBtcUsdt), FakePositions.Flat)); // same symbol, other market
        Assert.Null(strategy.OnFeatures(Tight(2, instrument: FutBnbUsdt), FakePositions.Flat));
        var lookalike = new Instrument(MarketKind.Futures, "BTCUSDT", 0.1m, 0.001m, 100m);
        var positions = FakePositions.Flat;
        Assert.Same(FutBtcUsdt, strategy.OnFeatures(Tight(3, instrument: lookalike), positions)!.Intent.Instrument);
        Assert.All(positions.Asked, i => Assert.Same(FutBtcUsdt, i));
    }
}
