using Tollgate.Markets.Strategy;
using Tollgate.Release.Bundles;
using Xunit.Abstractions;
using static Tollgate.Release.Tests.Bundles.TestBundles;

namespace Tollgate.Release.Tests.Bundles;

/// <summary>
/// samples/bundles against samples/strategy/tight-spread.json (the demo's active rules) on the generated market:
/// good.json lints, dry-runs clean and passes the policy; wide-spread.json lints too (nothing in it is malformed),
/// but it crosses wide spreads with larger sizes, and its paper dry-run pays for it in slippage and fills.
/// </summary>
public sealed class SampleBundleTests(BundleFixture fixture, ITestOutputHelper output) : IClassFixture<BundleFixture>
{
    private static readonly AcceptanceThresholds Policy = new(MaxFlipPct: 0.05m, MinJaccard: 0.8m, MaxLipschitz: 2m, MinDecisions: 20, MinSizeMult: 0.5m, MaxSizeMult: 1.5m);

    private static ConfigBundle Sample(string name, SimulationCapture capture) =>
        ConfigBundle.Parse(File.ReadAllText(RepoFile("samples", "bundles", name)), capture.Instruments);

    private static RuleSet TightSpread(SimulationCapture capture) =>
        RuleSet.Parse(File.ReadAllText(RepoFile("samples", "strategy", "tight-spread.json")), capture.Instruments);

    private async Task<(AcceptanceReport Acceptance, DryRunReport DryRun)> JudgeAsync(string sample)
    {
        var capture = BundleFixture.Load(fixture.Market);
        var bundle = Sample(sample, capture);
        var simulation = BundleSimulation.Simulate(capture, TightSpread(capture), bundle);
        var sensitivity = BundleSensitivity.Run(capture, bundle);
        var dryRun = await BundleSimulation.DryRunAsync(capture, bundle, null, CancellationToken.None);
        var acceptance = BundleAcceptance.Evaluate(bundle, simulation, sensitivity, Policy);
        output.WriteLine($"{sample}: {acceptance.ToJson()}");
        output.WriteLine($"{sample} dry-run: {dryRun.ToJson()}");
        return (acceptance, dryRun);
    }

    [Fact]
    public async Task Good_lints_dry_runs_clean_and_is_accepted()
    {
        var (acceptance, dryRun) = await JudgeAsync("good.json");
        Assert.True(acceptance.Verdict == BundleVerdict.Accepted, string.Join("; ", acceptance.Reasons));
        Assert.True(dryRun.Decisions > 20, $"{dryRun.Decisions} decisions");
        Assert.True(dryRun.Fills > 0);
        Assert.Empty(dryRun.Refusals); // its stops clear a multi-tick spread, unlike tight-spread's (see the README)
        Assert.Equal(1m, dryRun.FillRatio);
        Assert.Empty(dryRun.ReconciliationCodes);
    }

    [Fact]
    public async Task Wide_spread_lints_but_trades_far_worse_than_good()
    {
        var (good, goodRun) = await JudgeAsync("good.json");
        var (wide, wideRun) = await JudgeAsync("wide-spread.json");
        Assert.Equal(BundleVerdict.Rejected, wide.Verdict);
        Assert.Contains(BundleReasons.JaccardLow, wide.ReasonCodes);
        Assert.Contains(BundleReasons.Bounds, wide.ReasonCodes); // size_mult declared up to 2, the policy allows 1.5
        Assert.True(wide.Simulation.FlipPct > good.Simulation.FlipPct);
        Assert.True(wide.Simulation.LargerSizeRatio == 1m, "every decision it shares with tight-spread is larger");
        Assert.True(wideRun.SlippageBpsMean > 2 * goodRun.SlippageBpsMean, $"slippage {wideRun.SlippageBpsMean} bps against {goodRun.SlippageBpsMean}");
        Assert.True(wideRun.FillRatio < goodRun.FillRatio, $"fill ratio {wideRun.FillRatio} against {goodRun.FillRatio}");
    }

    [Fact]
    public async Task A_dry_run_is_the_same_twice()
    {
        var capture = BundleFixture.Load(fixture.Market);
        var bundle = Sample("good.json", capture);
        var first = await BundleSimulation.DryRunAsync(capture, bundle, null, CancellationToken.None);
        var second = await BundleSimulation.DryRunAsync(BundleFixture.Load(fixture.Market), bundle, null, CancellationToken.None);
        Assert.Equal(first.ToJson(), second.ToJson());
    }
}
