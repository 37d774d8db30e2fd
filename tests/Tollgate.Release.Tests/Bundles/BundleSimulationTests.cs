using Tollgate.Markets.Instruments;
using Tollgate.Markets.Strategy;
using Tollgate.Release.Bundles;
using static Tollgate.Release.Tests.Bundles.TestBundles;
using static Tollgate.Release.Tests.Bundles.TestCaptures;

namespace Tollgate.Release.Tests.Bundles;

/// <summary>
/// Simulations on the hand-checked tape: ten spot quotes, one a second, with spreads 4, 12, 8, 25, 16, 6, 30, 10, 18, 2
/// bps. "spread_bps &lt; 10" holds at 4, 8, 6, 2 (four points), "spread_bps &lt; 20" at 4, 12, 8, 16, 6, 10, 18, 2 (eight).
/// </summary>
public sealed class BundleSimulationTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    private static RuleSet Active(string when = "spread_bps < 10") => RuleSet.Parse(SpotRules(when), Exchange);

    private SimulationReport Simulate(RuleSet active, string candidate) =>
        BundleSimulation.Simulate(BundleFixture.Load(fixture.HandTape), active, ConfigBundle.Parse(candidate, Exchange));

    [Fact]
    public void An_identical_bundle_matches_every_decision()
    {
        var report = Simulate(Active(), Bundle(SpotRules("spread_bps < 10")));
        Assert.Equal(1m, report.Jaccard);
        Assert.Equal(0m, report.FlipPct);
        Assert.Equal(0m, report.LargerSizeRatio);
        Assert.Equal((10, 10, 4, 4, 4, 4, 0), (report.DecisionPoints, report.CandidateEligiblePoints, report.ActiveDecisions, report.CandidateDecisions, report.CommonDecisions, report.UnionDecisions, report.FlippedPoints));
        Assert.Equal(0.6m, report.SkipRate); // 6 of the 10 points decided nothing
        Assert.Equal(report.ActiveRulesRev, report.CandidateRulesRev);
        Assert.Equal((10, 10), (report.Capture.Frames, report.Capture.FeatureEvents));
    }

    [Fact]
    public void A_looser_threshold_gives_the_hand_checked_figures()
    {
        var report = Simulate(Active(), Bundle(SpotRules("spread_bps < 20")));
        // Active {4, 8, 6, 2}, candidate {4, 12, 8, 16, 6, 10, 18, 2}: 4 common of 8 → Jaccard 0.5; the candidate alone
        // acts at 12, 16, 10, 18 → 4 of 10 points flip; it decides at 8 of its 10 points → skip 0.2.
        Assert.Equal((4, 8, 4, 8), (report.ActiveDecisions, report.CandidateDecisions, report.CommonDecisions, report.UnionDecisions));
        Assert.Equal((4, 0, 4, 0), (report.FlippedPoints, report.OnlyActiveActs, report.OnlyCandidateActs, report.SidesDiffer));
        Assert.Equal((0.5m, 0.4m, 0.2m, 0m), (report.Jaccard, report.FlipPct, report.SkipRate, report.LargerSizeRatio));
    }

    [Fact]
    public void A_tighter_threshold_is_the_mirror_image()
    {
        var report = Simulate(Active("spread_bps < 20"), Bundle(SpotRules("spread_bps < 10")));
        Assert.Equal((4, 4, 0), (report.FlippedPoints, report.OnlyActiveActs, report.OnlyCandidateActs));
        Assert.Equal((0.5m, 0.4m, 0.6m), (report.Jaccard, report.FlipPct, report.SkipRate));
    }

    [Fact]
    public void The_other_side_at_the_same_points_shares_no_decision_and_flips_each_point()
    {
        var report = Simulate(Active(), Bundle(SpotRules("spread_bps < 10", side: "SELL")));
        Assert.Equal((0, 8, 4, 4), (report.CommonDecisions, report.UnionDecisions, report.FlippedPoints, report.SidesDiffer));
        Assert.Equal((0m, 0.4m), (report.Jaccard, report.FlipPct));
    }

    [Fact]
    public void A_size_multiplier_above_one_makes_every_common_decision_larger_and_changes_no_decision()
    {
        var report = Simulate(Active(), Bundle(SpotRules("spread_bps < 10"), SizeMult("1.5")));
        Assert.Equal((1m, 0m, 1m), (report.Jaccard, report.FlipPct, report.LargerSizeRatio));
        Assert.Equal((4, 0), (report.LargerSize, report.SmallerSize));
        var smaller = Simulate(Active(), Bundle(SpotRules("spread_bps < 10"), SizeMult("0.5")));
        Assert.Equal((0, 4, 0m), (smaller.LargerSize, smaller.SmallerSize, smaller.LargerSizeRatio));
    }

    [Fact]
    public void Another_rule_id_making_the_same_decisions_is_the_same_decisions()
    {
        var renamed = SpotRules("spread_bps < 10").Replace("spot-rule", "renamed-rule").Replace("\"spot\"", "\"renamed\"");
        var report = Simulate(Active(), Bundle(renamed));
        Assert.NotEqual(report.ActiveRulesRev, report.CandidateRulesRev);
        Assert.Equal((1m, 0m), (report.Jaccard, report.FlipPct));
    }

    [Fact]
    public void A_bundle_on_an_instrument_the_capture_lacks_is_refused_with_its_lint()
    {
        var exchange = new InstrumentTable([SpotBtc, FutBtc, new(MarketKind.Spot, "ETHUSDT", 0.01m, 0.0001m, 5m)]);
        var bundle = ConfigBundle.Parse(Bundle(SpotRules("spread_bps < 10"), universe: """["SPOT:BTCUSDT","SPOT:ETHUSDT"]"""), exchange);
        var refused = Assert.Throws<BundleLintException>(() => BundleSimulation.Simulate(BundleFixture.Load(fixture.HandTape), Active(), bundle));
        Assert.Equal((BundleReasons.Universe, "$.universe[1]"), (refused.Problems[0].Code, refused.Problems[0].Path));
    }

    [Fact]
    public void The_report_json_carries_every_figure_with_decimals_as_strings_and_is_the_same_twice()
    {
        var first = Simulate(Active(), Bundle(SpotRules("spread_bps < 20"))).ToJson();
        var second = Simulate(Active(), Bundle(SpotRules("spread_bps < 20"))).ToJson();
        Assert.Equal(first, second);
        Assert.Contains("\"jaccard\":\"0.5\",\"flip_pct\":\"0.4\",\"skip_rate\":\"0.2\",\"size_mult_gt1_ratio\":\"0\"", first);
        Assert.Contains("\"decision_points\":10,", first);
        Assert.Contains($"\"sha256\":\"{BundleFixture.Load(fixture.HandTape).Sha256}\"", first);
    }
}
