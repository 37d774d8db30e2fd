using System.Text.Json;
using Tollgate.Markets.Features;
using Tollgate.Markets.Strategy;
using static Tollgate.Markets.Tests.Strategy.StrategyKit;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Strategy;

/// <summary>What a decision records: every feature at decision time, the conditions as they were seen, and its JSON.</summary>
public sealed class DecisionRecordTests
{
    // bid 50000.0 x3, ask 50000.1 x1: mid 50000.05, spread 0.1, spread_bps 0.1/50000.05 × 10⁴ = 0.0199998 → 0.0200,
    // microprice (50000.0·1 + 50000.1·3)/4 = 50000.075, edge 0.025/50000.05 × 10⁴ = 0.0049999 → 0.0050.
    private static readonly FeatureEvent Seen = Event(FutBtcUsdt, 42, 50000.0m, 50000.1m, bidQty: 3m, askQty: 1m,
        imbalance: 0.5m, atr: null, vol: 0.012m, regime: RegimeState.Calm);

    private static StrategyDecision Decide() =>
        new RuleStrategy(Parse(Set(Rule("calm-long", when: ["spread_bps < 10", "imbalance > 0.2", "regime == CALM"])))).OnFeatures(Seen, FakePositions.Flat)!;

    [Fact]
    public void The_record_names_the_rule_rev_event_and_every_feature()
    {
        var decision = Decide();
        var r = decision.Record;
        Assert.Equal(decision.Intent.IntentId, r.IntentId);
        Assert.Equal("calm-long", r.RuleId);
        Assert.Equal(decision.Intent.ConfigRev, r.Rev);
        Assert.Equal("FUT:BTCUSDT", r.InstrumentKey);
        Assert.Equal((T0, 42L, FeatureTrigger.Book), (r.DecidedAt, r.UpdateId, r.Trigger));
        Assert.Equal((T0, T0.AddMilliseconds(5)), (r.ExchangeTime, r.IngestTime));
        Assert.Equal("feat-test", r.FeatureRev);
        Assert.Equal(DecisionRecord.FeatureNames.Order(StringComparer.Ordinal), r.Features.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["bid", "bid_qty", "ask", "ask_qty", "mid", "spread", "spread_bps", "microprice", "microprice_edge_bps", "imbalance", "atr", "realized_vol"], DecisionRecord.FeatureNames);
        Assert.Equal(50000.05m, r.Features["mid"]);
        Assert.Equal(0.1m, r.Features["spread"]);
        Assert.Equal(0.02m, r.Features["spread_bps"]);
        Assert.Equal(50000.075m, r.Features["microprice"]);
        Assert.Equal(0.005m, r.Features["microprice_edge_bps"]);
        Assert.Equal(0.5m, r.Features["imbalance"]);
        Assert.Null(r.Features["atr"]); // not used by the rule, recorded as missing all the same
        Assert.Equal(0.012m, r.Features["realized_vol"]);
        Assert.Equal((50000.0m, 3m, 50000.1m, 1m), (r.Features["bid"]!.Value, r.Features["bid_qty"]!.Value, r.Features["ask"]!.Value, r.Features["ask_qty"]!.Value));
        Assert.Equal("CALM", r.Regime);
        Assert.Equal(
            [new ConditionResult("spread_bps < 10", "0.0200", true), new ConditionResult("imbalance > 0.2", "0.5", true), new ConditionResult("regime == CALM", "CALM", true)],
            r.Conditions);
    }

    [Fact]
    public void The_json_has_every_field_in_one_order_with_decimals_as_strings()
    {
        var r = Decide().Record;
        var expected =
            $$"""{"intent_id":"{{r.IntentId}}","rule_id":"calm-long","rev":"{{r.Rev}}","instrument":"FUT:BTCUSDT","decided_at":"2026-12-03T12:00:00.0000000Z","update_id":42,"trigger":"book","ts_exch":"2026-12-03T12:00:00.0000000Z","ts_ingest":"2026-12-03T12:00:00.0050000Z","feature_rev":"feat-test","features":{"bid":"50000.0","bid_qty":"3","ask":"50000.1","ask_qty":"1","mid":"50000.05","spread":"0.1","spread_bps":"0.0200","microprice":"50000.075","microprice_edge_bps":"0.0050","imbalance":"0.5","atr":null,"realized_vol":"0.012"},"regime":"CALM","conditions":[{"condition":"spread_bps < 10","value":"0.0200","holds":true},{"condition":"imbalance > 0.2","value":"0.5","holds":true},{"condition":"regime == CALM","value":"CALM","holds":true}]}""";
        Assert.Equal(expected, r.ToJson());
        Assert.Equal(r.ToJson(), Decide().Record.ToJson());

        using var json = JsonDocument.Parse(r.ToJson());
        foreach (var feature in json.RootElement.GetProperty("features").EnumerateObject())
            Assert.True(feature.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null, feature.Name);
    }

    [Fact]
    public void Without_an_exchange_time_the_record_says_so_and_decides_at_ingest()
    {
        var ingest = T0.AddSeconds(3);
        var e = Event(FutBtcUsdt, 9, 50000.0m, 50000.1m, noExchangeTime: true, ingest: ingest, trigger: FeatureTrigger.Quote);
        var r = new RuleStrategy(Parse(Example)).OnFeatures(e, FakePositions.Flat)!.Record;
        Assert.Null(r.ExchangeTime);
        Assert.Equal(ingest, r.DecidedAt);
        using var json = JsonDocument.Parse(r.ToJson());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ts_exch").ValueKind);
        Assert.Equal("quote", json.RootElement.GetProperty("trigger").GetString());
    }
}
