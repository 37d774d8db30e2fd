using System.Text.Json.Nodes;
using Tollgate.Markets.Features;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Strategy;

namespace Tollgate.Markets.Tests.Strategy;

/// <summary>Rule sets from JSON, feature events built by hand (features worked out the way the pipeline does), and a position book.</summary>
internal static class StrategyKit
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The example, verbatim.</summary>
    public const string Example = """
        {"name":"tight-spread","rules":[{"id":"fut-long-tight","market":"FUT","symbols":["BTCUSDT"],
          "when":["spread_bps < 10","imbalance > 0.2"],"side":"BUY","type":"MARKET","quantity":"0.002",
          "limit_offset_ticks":null,"stop_loss_pct":"2","take_profit_pct":"4","cooldown_seconds":30,"max_open":1}]}
        """;

    /// <summary>One rule as a JSON object, with the example's values unless given.</summary>
    public static JsonObject Rule(string id = "r1", string market = "FUT", string[]? symbols = null, string[]? when = null,
        string side = "BUY", string type = "MARKET", string quantity = "0.002", int? offset = null,
        string? sl = "2", string? tp = "4", int cooldown = 30, int maxOpen = 1)
    {
        var rule = new JsonObject
        {
            ["id"] = id,
            ["market"] = market,
            ["symbols"] = new JsonArray([.. (symbols ?? ["BTCUSDT"]).Select(s => (JsonNode)s)]),
            ["when"] = new JsonArray([.. (when ?? ["spread_bps < 10", "imbalance > 0.2"]).Select(s => (JsonNode)s)]),
            ["side"] = side,
            ["type"] = type,
            ["quantity"] = quantity,
            ["stop_loss_pct"] = sl,
            ["take_profit_pct"] = tp,
            ["cooldown_seconds"] = cooldown,
            ["max_open"] = maxOpen,
        };
        if (offset is { } o) rule["limit_offset_ticks"] = o;
        return rule;
    }

    public static string Set(params JsonObject[] rules) => Set("test", rules);

    public static string Set(string name, params JsonObject[] rules) =>
        new JsonObject { ["name"] = name, ["rules"] = new JsonArray([.. rules]) }.ToJsonString();

    public static RuleSet Parse(string json) => RuleSet.Parse(json, Support.TestInstruments.Table);

    public static RuleSet Parse(params JsonObject[] rules) => Parse(Set(rules));

    public static IReadOnlyList<RuleProblem> Problems(string json) => Assert.Throws<RuleSetException>(() => Parse(json)).Problems;

    /// <summary>
    /// A feature event as the pipeline would emit it from this top of book: mid, spread, spread_bps (4 places) and
    /// microprice (10 places) computed here. Exchange time is <see cref="T0"/> + <paramref name="seconds"/> unless
    /// <paramref name="noExchangeTime"/>; ingest time 5 ms later unless given.
    /// </summary>
    public static FeatureEvent Event(Instrument instrument, long updateId, decimal bid, decimal ask, decimal bidQty = 1m, decimal askQty = 1m,
        decimal? imbalance = 0.5m, decimal? atr = null, decimal? vol = null, RegimeState regime = RegimeState.Normal,
        double seconds = 0, bool noExchangeTime = false, DateTimeOffset? ingest = null, FeatureTrigger trigger = FeatureTrigger.Book)
    {
        var exchange = T0.AddSeconds(seconds);
        decimal mid = 0, spread = 0, bps = 0, micro = 0;
        if (bid > 0 && ask > 0)
        {
            mid = (bid + ask) * 0.5m;
            spread = ask - bid;
            bps = Math.Round(spread / mid * 10_000m, 4);
            micro = Math.Round((bid * askQty + ask * bidQty) / (bidQty + askQty), 10);
        }
        var r = regime == RegimeState.Unknown ? Regime.None : new Regime(regime, DateOnly.FromDateTime(T0.UtcDateTime), 0.03m, 20);
        return new FeatureEvent(instrument, trigger, updateId, noExchangeTime ? null : exchange, ingest ?? exchange.AddMilliseconds(5),
            bid, bidQty, ask, askQty, mid, spread, bps, micro, imbalance, atr, vol, r, "feat-test");
    }
}

/// <summary>A position book: open quantity per instrument, 0 unless set.</summary>
internal sealed class FakePositions : IPositionView
{
    private readonly Dictionary<Instrument, decimal> open = [];
    public static FakePositions Flat => new();
    public List<Instrument> Asked { get; } = [];

    public FakePositions With(Instrument instrument, decimal quantity)
    {
        open[instrument] = quantity;
        return this;
    }

    public decimal OpenQuantity(Instrument instrument)
    {
        Asked.Add(instrument);
        return open.GetValueOrDefault(instrument);
    }
}
