using System.Text.Json.Nodes;
using Tollgate.Markets.Strategy;
using Tollgate.Release.Bundles;
using static Tollgate.Release.Tests.Bundles.TestBundles;
using static Tollgate.Release.Tests.Bundles.TestCaptures;

namespace Tollgate.Release.Tests.Bundles;

/// <summary>
/// The seed 002 D rejections, each alone, on the hand-checked and knife-edge tapes (figures in
/// <see cref="BundleSimulationTests"/> and <see cref="BundleSensitivityTests"/>), and the report's determinism.
/// </summary>
public sealed class BundleAcceptanceTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    private static readonly AcceptanceThresholds Policy = new(MaxFlipPct: 0.3m, MinJaccard: 0.4m, MaxLipschitz: 5m, MinDecisions: 1, MinSizeMult: 0.5m, MaxSizeMult: 2m);

    private AcceptanceReport Judge(string tape, string active, string candidate, AcceptanceThresholds? policy = null)
    {
        var capture = BundleFixture.Load(tape);
        var bundle = ConfigBundle.Parse(candidate, Exchange);
        var simulation = BundleSimulation.Simulate(capture, RuleSet.Parse(active, Exchange), bundle);
        var sensitivity = BundleSensitivity.Run(capture, bundle);
        return BundleAcceptance.Evaluate(bundle, simulation, sensitivity, policy ?? Policy);
    }

    [Fact]
    public void A_candidate_within_every_threshold_is_accepted()
    {
        // Identical decisions; its threshold's worst 5% move (to 10.5) adds the point at 10: 1 of 10, Lipschitz 2.
        var report = Judge(fixture.HandTape, SpotRules("spread_bps < 10"), Bundle(SpotRules("spread_bps < 10")));
        Assert.Equal((BundleVerdict.Accepted, "ACCEPTED"), (report.Verdict, report.VerdictCode));
        Assert.Empty(report.Reasons);
        Assert.Equal(2m, report.Sensitivity.MaxLipschitz);
    }

    [Fact]
    public void Flip_pct_over_the_threshold_is_rejected_and_equal_to_it_is_not()
    {
        var report = Judge(fixture.HandTape, SpotRules("spread_bps < 10"), Bundle(SpotRules("spread_bps < 20")));
        Assert.Equal(BundleVerdict.Rejected, report.Verdict);
        Assert.Equal([BundleReasons.FlipHigh], report.ReasonCodes);
        Assert.Equal("flip_pct 0.4 (4 of 10 points) is over 0.3", report.Reasons[0].Message);

        var atTheLimit = Judge(fixture.HandTape, SpotRules("spread_bps < 10"), Bundle(SpotRules("spread_bps < 20")), Policy with { MaxFlipPct = 0.4m });
        Assert.Equal(BundleVerdict.Accepted, atTheLimit.Verdict);
    }

    [Fact]
    public void A_jaccard_index_below_the_minimum_is_rejected()
    {
        var report = Judge(fixture.HandTape, SpotRules("spread_bps < 10"), Bundle(SpotRules("spread_bps < 20")), Policy with { MaxFlipPct = 0.5m, MinJaccard = 0.6m });
        Assert.Equal([BundleReasons.JaccardLow], report.ReasonCodes);
        Assert.Equal("Jaccard 0.5 (4 of 8 decisions) is below 0.6", report.Reasons[0].Message);
    }

    [Fact]
    public void A_declared_range_outside_the_policy_is_rejected_as_out_of_bounds()
    {
        var report = Judge(fixture.HandTape, SpotRules("spread_bps < 10"), Bundle(SpotRules("spread_bps < 10"), SizeMult("1", min: "0.25", max: "3")));
        Assert.Equal(
            [(BundleReasons.Bounds, "$.factors.size_mult.min"), (BundleReasons.Bounds, "$.factors.size_mult.max")],
            report.Reasons.Select(r => (r.Code, r.Path)));
    }

    [Fact]
    public void A_sensitive_candidate_is_rejected_naming_its_most_sensitive_parameter()
    {
        var report = Judge(fixture.EdgeTape, SpotRules("spread_bps < 10"), Bundle(SpotRules("spread_bps < 10")));
        var reason = Assert.Single(report.Reasons);
        Assert.Equal((BundleReasons.Sensitive, "$.rules.rules[0].when[0]"), (reason.Code, reason.Path));
        Assert.Equal((1m, 0m), (report.Simulation.Jaccard, report.Simulation.FlipPct)); // nothing else is wrong with it

        var robust = Judge(fixture.EdgeTape, SpotRules("spread_bps < 50"), Bundle(SpotRules("spread_bps < 50")));
        Assert.Equal(BundleVerdict.Accepted, robust.Verdict);
    }

    [Fact]
    public void A_capture_on_which_nothing_is_decided_is_no_evidence()
    {
        var report = Judge(fixture.HandTape, SpotRules("spread_bps < 1"), Bundle(SpotRules("spread_bps < 1")));
        Assert.Equal((1m, 0m), (report.Simulation.Jaccard, report.Simulation.FlipPct)); // vacuously perfect
        Assert.Equal([BundleReasons.NoEvidence], report.ReasonCodes);
    }

    [Fact]
    public void Every_failing_check_is_a_reason_in_the_documented_order()
    {
        var report = Judge(fixture.EdgeTape, SpotRules("spread_bps < 50"), Bundle(SpotRules("spread_bps < 10", side: "SELL"), SizeMult("1", max: "4")),
            Policy with { MinDecisions = 20 });
        Assert.Equal([BundleReasons.Bounds, BundleReasons.NoEvidence, BundleReasons.FlipHigh, BundleReasons.JaccardLow, BundleReasons.Sensitive], report.ReasonCodes);
    }

    [Fact]
    public void Reports_of_another_candidate_or_of_two_captures_are_refused_and_so_are_bad_thresholds()
    {
        var capture = BundleFixture.Load(fixture.HandTape);
        var bundle = ConfigBundle.Parse(Bundle(SpotRules("spread_bps < 10")), Exchange);
        var other = ConfigBundle.Parse(Bundle(SpotRules("spread_bps < 20")), Exchange);
        var active = RuleSet.Parse(SpotRules("spread_bps < 10"), Exchange);
        var simulation = BundleSimulation.Simulate(capture, active, bundle);
        var sensitivity = BundleSensitivity.Run(capture, bundle);
        Assert.Throws<ArgumentException>(() => BundleAcceptance.Evaluate(other, simulation, sensitivity, Policy));
        var elsewhere = BundleSensitivity.Run(BundleFixture.Load(fixture.EdgeTape), bundle);
        Assert.Throws<ArgumentException>(() => BundleAcceptance.Evaluate(bundle, simulation, elsewhere, Policy));
        Assert.Throws<ArgumentOutOfRangeException>(() => BundleAcceptance.Evaluate(bundle, simulation, sensitivity, Policy with { MaxFlipPct = 1.5m }));
        Assert.Throws<ArgumentException>(() => BundleAcceptance.Evaluate(bundle, simulation, sensitivity, Policy with { MinSizeMult = 1.2m }));
    }

    [Fact]
    public void The_report_recomputes_byte_identically_and_holds_every_figure()
    {
        var first = Judge(fixture.HandTape, SpotRules("spread_bps < 10"), Bundle(SpotRules("spread_bps < 20"))).ToJson();
        var second = Judge(fixture.HandTape, SpotRules("spread_bps < 10"), Bundle(SpotRules("spread_bps < 20"))).ToJson();
        Assert.Equal(first, second);

        var json = JsonNode.Parse(first)!.AsObject();
        Assert.Equal(["verdict", "reasons", "bundle_rev", "rules_rev", "factors", "thresholds", "simulation", "sensitivity"], json.Select(p => p.Key));
        Assert.Equal("REJECTED", (string?)json["verdict"]);
        Assert.Equal("BUNDLE-FLIP-HIGH", (string?)json["reasons"]![0]!["code"]);
        Assert.Equal("0.3", (string?)json["thresholds"]!["max_flip_pct"]);
        Assert.Equal("0.5", (string?)json["simulation"]!["jaccard"]);
        Assert.Equal(4, (int)json["simulation"]!["flipped_points"]!);
        Assert.Equal("1", (string?)json["factors"]!["size_mult"]!["value"]);
        Assert.Equal(2, json["sensitivity"]!["parameters"]!.AsArray().Count); // size_mult and the one threshold
    }
}
