using System.Text.Json.Nodes;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Strategy;
using Tollgate.Release.Bundles;
using static Tollgate.Release.Tests.Bundles.TestCaptures;

namespace Tollgate.Release.Tests.Bundles;

/// <summary>
/// The bundle lint: a corpus of bad bundles, each one change away from a good one, and each refused with exactly its
/// code at its path and nothing else; every problem at once; and the revs.
/// </summary>
public sealed class ConfigBundleLintTests
{
    /// <summary>Two rules as in samples/strategy/tight-spread.json, one per market.</summary>
    private const string Good = """
        {
          "bundle": 1,
          "universe": ["SPOT:BTCUSDT", "FUT:BTCUSDT"],
          "factors": {"size_mult": {"value": "1", "min": "0.5", "max": "2"}},
          "rules": {
            "name": "tight-spread",
            "rules": [
              {"id": "spot-btc-bid-heavy", "market": "SPOT", "symbols": ["BTCUSDT"], "when": ["spread_bps < 10", "imbalance > 0.2"],
               "side": "BUY", "type": "MARKET", "quantity": "0.01", "cooldown_seconds": 2, "max_open": 3},
              {"id": "fut-btc-ask-heavy", "market": "FUT", "symbols": ["BTCUSDT"], "when": ["spread_bps < 10", "imbalance < -0.2"],
               "side": "SELL", "type": "MARKET", "quantity": "0.002", "cooldown_seconds": 2, "max_open": 3}
            ]
          }
        }
        """;

    private static string Edit(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(Good)!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    private static JsonObject SizeMult(JsonObject root) => root["factors"]!["size_mult"]!.AsObject();
    private static JsonObject Rule(JsonObject root, int index) => root["rules"]!["rules"]![index]!.AsObject();

    public static TheoryData<string, string, string, string> Corpus() => new()
    {
        { "not JSON", "{\"bundle\": 1,", BundleReasons.Schema, "$" },
        { "not an object", "[1, 2]", BundleReasons.Schema, "$" },
        { "format missing", Edit(r => r.Remove("bundle")), BundleReasons.Schema, "$.bundle" },
        { "format 2", Edit(r => r["bundle"] = 2), BundleReasons.Schema, "$.bundle" },
        { "format as a string", Edit(r => r["bundle"] = "1"), BundleReasons.Schema, "$.bundle" },
        { "a field twice", Good.Replace("\"bundle\": 1,", "\"bundle\": 1, \"bundle\": 1,"), BundleReasons.Schema, "$.bundle" },
        { "unknown field", Edit(r => r["colour"] = "red"), BundleReasons.UnknownField, "$.colour" },
        { "universe missing", Edit(r => r.Remove("universe")), BundleReasons.Schema, "$.universe" },
        { "universe not an array", Edit(r => r["universe"] = "SPOT:BTCUSDT"), BundleReasons.Schema, "$.universe" },
        { "universe empty", Edit(r => r["universe"] = new JsonArray()), BundleReasons.Schema, "$.universe" },
        { "universe entry a number", Edit(r => r["universe"]!.AsArray().Add(42)), BundleReasons.Schema, "$.universe[2]" },
        { "universe entry without a market", Edit(r => r["universe"]!.AsArray().Add("ETHUSDT")), BundleReasons.Universe, "$.universe[2]" },
        { "universe entry on no market", Edit(r => r["universe"]!.AsArray().Add("MARGIN:ETHUSDT")), BundleReasons.Universe, "$.universe[2]" },
        { "universe entry twice (any case)", Edit(r => r["universe"]!.AsArray().Add("spot:btcusdt")), BundleReasons.Universe, "$.universe[2]" },
        { "universe entry not on the exchange", Edit(r => r["universe"]!.AsArray().Add("SPOT:DOGEUSDT")), BundleReasons.Universe, "$.universe[2]" },
        { "rule symbol outside the universe", Edit(r => r["universe"] = new JsonArray("SPOT:BTCUSDT")), BundleReasons.Universe, "$.rules.rules[1].symbols[0]" },
        { "factors not an object", Edit(r => r["factors"] = new JsonArray()), BundleReasons.Schema, "$.factors" },
        { "unknown factor", Edit(r => r["factors"]!["spread_mult"] = JsonNode.Parse("""{"value":"1","min":"0.5","max":"2"}""")), BundleReasons.UnknownField, "$.factors.spread_mult" },
        { "factor not an object", Edit(r => r["factors"]!["size_mult"] = "1"), BundleReasons.Schema, "$.factors.size_mult" },
        { "factor field unknown", Edit(r => SizeMult(r)["step"] = "0.1"), BundleReasons.UnknownField, "$.factors.size_mult.step" },
        { "factor min missing", Edit(r => SizeMult(r).Remove("min")), BundleReasons.Schema, "$.factors.size_mult.min" },
        { "factor value a boolean", Edit(r => SizeMult(r)["value"] = true), BundleReasons.Schema, "$.factors.size_mult.value" },
        { "factor value NaN", Edit(r => SizeMult(r)["value"] = "NaN"), BundleReasons.Bounds, "$.factors.size_mult.value" },
        { "factor value Infinity", Edit(r => SizeMult(r)["max"] = "Infinity"), BundleReasons.Bounds, "$.factors.size_mult.max" },
        { "factor value beyond decimal", Good.Replace("\"max\": \"2\"", "\"max\": 1e400"), BundleReasons.Bounds, "$.factors.size_mult.max" },
        { "factor value with an exponent", Edit(r => SizeMult(r)["value"] = "1e0"), BundleReasons.Bounds, "$.factors.size_mult.value" },
        { "factor min above max", Edit(r => { SizeMult(r)["min"] = "2.5"; SizeMult(r)["max"] = "2"; }), BundleReasons.Bounds, "$.factors.size_mult.min" },
        { "factor value above max", Edit(r => SizeMult(r)["value"] = "2.01"), BundleReasons.Bounds, "$.factors.size_mult.value" },
        { "factor value below min", Edit(r => SizeMult(r)["value"] = 0.4), BundleReasons.Bounds, "$.factors.size_mult.value" },
        { "size multiplier range reaching 0", Edit(r => SizeMult(r)["min"] = "0"), BundleReasons.Bounds, "$.factors.size_mult.min" },
        { "size multiplier rounding a quantity to nothing", Edit(r => { SizeMult(r)["value"] = "0.1"; SizeMult(r)["min"] = "0.1"; }), BundleReasons.Bounds, "$.factors.size_mult.value" },
        { "rules missing", Edit(r => r.Remove("rules")), BundleReasons.Schema, "$.rules" },
        { "rules not an object", Edit(r => r["rules"] = new JsonArray()), RuleProblemCodes.Schema, "$.rules" },
        { "rule field unknown", Edit(r => Rule(r, 0)["colour"] = "red"), RuleProblemCodes.UnknownField, "$.rules.rules[0].colour" },
        { "rule feature unknown", Edit(r => Rule(r, 0)["when"]![0] = "spread_pct < 10"), RuleProblemCodes.Feature, "$.rules.rules[0].when[0]" },
        { "rule quantity off the exchange's step", Edit(r => Rule(r, 1)["quantity"] = "0.0025"), RuleProblemCodes.Bounds, "$.rules.rules[1].quantity" },
        { "rule ids twice", Edit(r => Rule(r, 1)["id"] = "spot-btc-bid-heavy"), RuleProblemCodes.DuplicateId, "$.rules.rules[1].id" },
    };

    [Fact]
    public void The_corpus_base_lints_clean()
    {
        var bundle = ConfigBundle.Parse(Good, Exchange);
        Assert.Equal(["FUT:BTCUSDT", "SPOT:BTCUSDT"], bundle.Universe.Select(i => i.Key));
        Assert.Equal(0.001m, bundle.Universe[0].StepSize); // the exchange's filters, not the bundle's
        Assert.Equal(new BundleFactor("size_mult", 1m, 0.5m, 2m), Assert.Single(bundle.Factors));
        Assert.Equal(bundle.Rules.Rev, bundle.EffectiveRules.Rev); // ×1 changes nothing
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Each_bad_bundle_is_refused_with_exactly_its_code_at_its_path(string change, string json, string code, string path)
    {
        var refused = Assert.Throws<BundleLintException>(() => ConfigBundle.Parse(json, Exchange));
        var problem = Assert.Single(refused.Problems);
        Assert.True(problem.Code == code && problem.Path == path, $"{change}: expected {code} at {path}, got {problem}");
    }

    [Fact]
    public void The_corpus_covers_every_lint_code_and_the_codes_are_listed_once()
    {
        var covered = Corpus().Select(row => (string)row[2]).Where(code => code.StartsWith("BUNDLE-", StringComparison.Ordinal)).Distinct();
        Assert.Equal(new[] { BundleReasons.Bounds, BundleReasons.Schema, BundleReasons.UnknownField, BundleReasons.Universe }.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
        Assert.Equal(BundleReasons.All.Count, BundleReasons.All.Distinct().Count());
        Assert.All(BundleReasons.All, code => Assert.StartsWith("BUNDLE-", code));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var json = Edit(r =>
        {
            r["colour"] = "red";
            SizeMult(r)["value"] = "3";
            r["universe"]!.AsArray().Add("SPOT:DOGEUSDT");
            Rule(r, 0)["when"]![1] = "imbalance ~ 0.2";
        });
        var refused = Assert.Throws<BundleLintException>(() => ConfigBundle.Parse(json, Exchange));
        Assert.Equal(
            [(BundleReasons.UnknownField, "$.colour"), (BundleReasons.Universe, "$.universe[2]"), (BundleReasons.Bounds, "$.factors.size_mult.value"),
             (RuleProblemCodes.Operator, "$.rules.rules[0].when[1]")],
            refused.Problems.Select(p => (p.Code, p.Path)));
        Assert.Contains("4 problem(s)", refused.Message);
    }

    [Fact]
    public void Without_an_exchange_table_the_universe_is_taken_as_written_and_no_step_is_checked()
    {
        var offStep = Edit(r => Rule(r, 1)["quantity"] = "0.0025");
        var bundle = ConfigBundle.Parse(offStep);
        Assert.All(bundle.Universe, i => Assert.Equal(0m, i.StepSize));
        var refused = Assert.Throws<BundleLintException>(() => bundle.Bind(Exchange));
        Assert.Equal((RuleProblemCodes.Bounds, "$.rules.rules[1].quantity"), (refused.Problems[0].Code, refused.Problems[0].Path));
    }

    [Fact]
    public void The_rev_ignores_layout_and_changes_with_meaning()
    {
        var bundle = ConfigBundle.Parse(Good, Exchange);
        Assert.Matches("^bundle-[0-9a-f]{16}$", bundle.Rev);

        string[] same =
        [
            Edit(r => r["universe"] = new JsonArray("fut:btcusdt", "SPOT:BTCUSDT")), // order and case of the universe
            Edit(r => { SizeMult(r)["value"] = "1.000"; SizeMult(r)["max"] = 2; }), // trailing zeros, a number for a string
            Good.Replace("\n", " ").Replace("  ", " "), // whitespace
            bundle.Canonical, // the canonical form reads back to itself
        ];
        foreach (var json in same) Assert.Equal(bundle.Rev, ConfigBundle.Parse(json, Exchange).Rev);
        Assert.Equal(ConfigBundle.Parse(Edit(r => r.Remove("factors")), Exchange).Rev, ConfigBundle.Parse(Edit(r => r["factors"] = new JsonObject()), Exchange).Rev);

        string[] different =
        [
            Edit(r => SizeMult(r)["max"] = "3"),
            Edit(r => Rule(r, 0)["when"]![0] = "spread_bps < 11"),
            Edit(r => r.Remove("factors")),
            Edit(r => r["universe"] = new JsonArray("SPOT:BTCUSDT", "FUT:BTCUSDT", "SPOT:DOGEUSDT")),
        ];
        var exchange = new InstrumentTable([SpotBtc, FutBtc, new(MarketKind.Spot, "DOGEUSDT", 0.00001m, 1m, 1m)]);
        var revs = different.Select(json => ConfigBundle.Parse(json, exchange).Rev).Append(bundle.Rev).ToList();
        Assert.Equal(revs.Count, revs.Distinct().Count());
    }

    [Fact]
    public void The_effective_rules_are_the_rules_with_size_mult_applied_rounded_down_to_the_step()
    {
        var bundle = ConfigBundle.Parse(Edit(r => SizeMult(r)["value"] = "1.75"), Exchange);
        // spot 0.01 × 1.75 = 0.0175 (on the 0.00001 step); futures 0.002 × 1.75 = 0.0035 → 0.003 on the 0.001 step.
        Assert.Equal([0.0175m, 0.003m], bundle.EffectiveRules.Rules.Select(r => r.Quantity));
        Assert.Equal([0.01m, 0.002m], bundle.Rules.Rules.Select(r => r.Quantity));
        var byHand = RuleSet.Parse(bundle.Rules.Canonical.Replace("\"quantity\":\"0.01\"", "\"quantity\":\"0.0175\"").Replace("\"quantity\":\"0.002\"", "\"quantity\":\"0.003\""), Exchange);
        Assert.Equal(byHand.Rev, bundle.EffectiveRules.Rev);
        Assert.NotEqual(bundle.Rules.Rev, bundle.EffectiveRules.Rev);
        Assert.Equal(1.75m, bundle.SizeMult);
    }

    [Fact]
    public void The_canonical_form_is_compact_ordered_and_names_the_rules_canonically()
    {
        var bundle = ConfigBundle.Parse(Edit(r => SizeMult(r)["value"] = 1.50), Exchange);
        Assert.StartsWith("""{"bundle":1,"universe":["FUT:BTCUSDT","SPOT:BTCUSDT"],"factors":{"size_mult":{"value":"1.5","min":"0.5","max":"2"}},"rules":{"name":"tight-spread",""", bundle.Canonical);
        Assert.EndsWith(bundle.Rules.Canonical + "}", bundle.Canonical);
    }
}
