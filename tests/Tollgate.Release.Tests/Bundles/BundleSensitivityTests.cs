using Tollgate.Release.Bundles;
using static Tollgate.Release.Tests.Bundles.TestBundles;
using static Tollgate.Release.Tests.Bundles.TestCaptures;

namespace Tollgate.Release.Tests.Bundles;

/// <summary>
/// Sensitivity on the knife-edge tape (spreads 9.6, 10.4, 9.8, 10.2, … bps, ten points): "spread_bps &lt; 10" decides at
/// the five points below 10; at 10.5 it decides at all ten, at 9.5 at none, so either 5% move flips half the points.
/// "spread_bps &lt; 50" is far from every spread and moves nothing.
/// </summary>
public sealed class BundleSensitivityTests(BundleFixture fixture) : IClassFixture<BundleFixture>
{
    private SensitivityReport Run(string tape, string bundle, decimal epsilon = BundleSensitivity.DefaultEpsilon) =>
        BundleSensitivity.Run(BundleFixture.Load(tape), ConfigBundle.Parse(bundle, Exchange), epsilon);

    [Fact]
    public void A_knife_edge_threshold_is_sensitive_with_the_hand_checked_figures()
    {
        var report = Run(fixture.EdgeTape, Bundle(SpotRules("spread_bps < 10")));
        Assert.Equal((10, 5), (report.DecisionPoints, report.Decisions));
        var threshold = Assert.Single(report.Parameters, p => p.Parameter == "$.rules.rules[0].when[0]");
        Assert.Equal("spot-rule: spread_bps < 10", threshold.Description);
        Assert.Equal(new Perturbation(10.5m, 0.5m, 5, null), threshold.Plus);
        Assert.Equal(new Perturbation(9.5m, 0.5m, 5, null), threshold.Minus);
        Assert.Equal(10m, threshold.Lipschitz); // 0.5 flipped per 0.05 relative change
        Assert.Equal((10m, "$.rules.rules[0].when[0]"), (report.MaxLipschitz, report.MostSensitive));
    }

    [Fact]
    public void A_threshold_far_from_the_market_is_robust()
    {
        var report = Run(fixture.EdgeTape, Bundle(SpotRules("spread_bps < 50")));
        Assert.Equal(10, report.Decisions);
        var threshold = Assert.Single(report.Parameters, p => p.Parameter == "$.rules.rules[0].when[0]");
        Assert.Equal((52.5m, 0m, 47.5m, 0m), (threshold.Plus.Value, threshold.Plus.FlipPct!.Value, threshold.Minus.Value, threshold.Minus.FlipPct!.Value));
        Assert.Equal(0m, report.MaxLipschitz);
    }

    [Fact]
    public void A_size_factor_changes_sizes_not_decisions_so_its_estimate_is_zero()
    {
        var report = Run(fixture.EdgeTape, Bundle(SpotRules("spread_bps < 10")));
        var factor = report.Parameters[0];
        Assert.Equal(("$.factors.size_mult.value", "size_mult", 1m), (factor.Parameter, factor.Description, factor.Value));
        Assert.Equal(new Perturbation(1.05m, 0m, 0, null), factor.Plus);
        Assert.Equal(new Perturbation(0.95m, 0m, 0, null), factor.Minus);
        Assert.Equal(0m, factor.Lipschitz);
    }

    [Fact]
    public void Values_the_bundle_or_the_format_does_not_allow_are_skipped_with_why()
    {
        var rules = """{"name":"edges","rules":[{"id":"edge","market":"SPOT","symbols":["BTCUSDT"],"when":["spread_bps < 10","microprice_edge_bps >= 0","imbalance < 1","regime != VOLATILE"],"side":"BUY","type":"MARKET","quantity":"0.01","cooldown_seconds":0,"max_open":1}]}""";
        var report = Run(fixture.EdgeTape, Bundle(rules, SizeMult("2", max: "2")));
        Assert.Equal(["$.factors.size_mult.value", "$.rules.rules[0].when[0]", "$.rules.rules[0].when[1]", "$.rules.rules[0].when[2]"], report.Parameters.Select(p => p.Parameter));
        var (factor, zero, imbalance) = (report.Parameters[0], report.Parameters[2], report.Parameters[3]);
        Assert.Equal("outside the declared [0.5, 2]", factor.Plus.Skipped);
        Assert.Null(factor.Plus.FlipPct);
        Assert.Equal(1.9m, factor.Minus.Value);
        Assert.NotNull(factor.Minus.FlipPct);
        Assert.Equal(("0 has no relative neighbourhood", "0 has no relative neighbourhood"), (zero.Plus.Skipped, zero.Minus.Skipped));
        Assert.Null(zero.Lipschitz);
        Assert.StartsWith("STRAT-BOUNDS", imbalance.Plus.Skipped); // imbalance < 1.05 is outside [-1, 1]
        Assert.Equal(0.95m, imbalance.Minus.Value);
        Assert.NotNull(imbalance.Lipschitz);
    }

    [Fact]
    public void Epsilon_scales_the_estimate_and_is_refused_outside_zero_one()
    {
        var report = Run(fixture.EdgeTape, Bundle(SpotRules("spread_bps < 10")), epsilon: 0.1m);
        Assert.Equal(5m, report.MaxLipschitz); // 11 and 9 flip the same half of the points: 0.5 / 0.1
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(fixture.EdgeTape, Bundle(SpotRules("spread_bps < 10")), epsilon: 0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(fixture.EdgeTape, Bundle(SpotRules("spread_bps < 10")), epsilon: 1m));
    }

    [Fact]
    public void The_report_is_the_same_twice_byte_for_byte()
    {
        var first = Run(fixture.EdgeTape, Bundle(SpotRules("spread_bps < 10"))).ToJson();
        Assert.Equal(first, Run(fixture.EdgeTape, Bundle(SpotRules("spread_bps < 10"))).ToJson());
        Assert.Contains("\"max_lipschitz\":\"10\",\"most_sensitive\":\"$.rules.rules[0].when[0]\"", first);
    }
}
