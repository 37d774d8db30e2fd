using Tollgate.Release.Analysis;
using Tollgate.Release.Analysis.Simulation;

namespace Tollgate.Release.Tests;

public sealed class SimulationTests
{
    private static readonly SequentialTestConfig Latency = new("latency", ChangeDirection.Increase);
    private static readonly NormalSamples Normal = new(100, 50);

    /// <summary>Monte-Carlo tolerance on a rate whose true value is <paramref name="rate"/>: three binomial standard errors.</summary>
    private static double ThreeStandardErrors(double rate, int streams) => 3 * Math.Sqrt(rate * (1 - rate) / streams);

    [Fact]
    public void AA_sequential_false_alarms_stay_at_most_alpha_at_every_look_while_repeated_mann_whitney_exceeds_it()
    {
        // 2,000 A/A streams, 20 looks of 50 samples per side (1,000 per side at the end).
        var settings = new SimulationSettings(Streams: 2000, Looks: 20, PerLook: 50, Seed: 1);
        var outcome = SequentialSimulation.Run(Latency, settings, SimulationScenario.Same(Normal));
        var bound = Latency.Alpha + ThreeStandardErrors(Latency.Alpha, settings.Streams); // 0.02 + 0.0094

        var sequential = outcome.SequentialRollback.RateByLook;
        Assert.Equal(20, sequential.Count);
        Assert.All(sequential, rate => Assert.True(rate <= bound, $"sequential cumulative false-alarm rate {rate} > {bound}"));

        // Kayenta's rule re-run at every look: each look alone is a 1% one-sided test (two-sided p < 0.02, bad sign);
        // repeated 20 times its cumulative false-alarm rate passes α = 0.02 by far more than the tolerance.
        var repeated = outcome.RepeatedMannWhitney.RateByLook;
        Assert.True(repeated[^1] > bound, $"repeated Mann-Whitney's final cumulative rate {repeated[^1]} should exceed {bound}");
        Assert.True(repeated[^1] > 2 * repeated[0], "the repeated test's false alarms should grow with looks");

        // The fixed-horizon test, once at the end, holds its per-look level (α/2 per side).
        var final = outcome.FinalMannWhitney.Rate;
        Assert.True(final <= MetricConfig.Alpha / 2 + ThreeStandardErrors(MetricConfig.Alpha / 2, settings.Streams), $"final-look rate {final}");
    }

    [Fact]
    public void AB_half_sigma_shift_is_detected_in_at_least_90_percent_of_streams()
    {
        var settings = new SimulationSettings(Streams: 500, Looks: 20, PerLook: 50, Seed: 2);
        var outcome = SequentialSimulation.Run(Latency, settings, SimulationScenario.Worse(Normal, 0.5, ChangeDirection.Increase));

        Assert.True(outcome.SequentialRollback.Rate >= 0.9, $"detection rate {outcome.SequentialRollback.Rate}");
        Assert.Equal(0, outcome.SequentialPromotion.Decided);
        Assert.True(outcome.SequentialRollback.MeanSamplesToDecision < 20 * 50);
    }

    [Fact]
    public void Canary_worse_by_the_margin_is_promoted_at_most_beta_of_the_time()
    {
        var settings = new SimulationSettings(Streams: 1000, Looks: 20, PerLook: 50, Seed: 3);
        var outcome = SequentialSimulation.Run(Latency, settings, SimulationScenario.AtMargin(Normal, Latency));

        Assert.Equal(110, outcome.Scenario.Canary.Mean, 1e-12); // 10% above the baseline mean of 100
        var bound = Latency.Beta + ThreeStandardErrors(Latency.Beta, settings.Streams);
        Assert.True(outcome.SequentialPromotion.Rate <= bound, $"false promotion rate {outcome.SequentialPromotion.Rate} > {bound}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_figures()
    {
        var settings = new SimulationSettings(Streams: 300, Looks: 10, PerLook: 20, Seed: 42);
        var scenario = SimulationScenario.Worse(new LogNormalSamples(3, 1), 0.25, ChangeDirection.Increase);

        var first = SequentialSimulation.Run(Latency, settings, scenario);
        var second = SequentialSimulation.Run(Latency, settings, scenario);
        var otherSeed = SequentialSimulation.Run(Latency, settings with { Seed = 43 }, scenario);

        Assert.Equal(first.SequentialRollback.FirstDecisionsAtLook, second.SequentialRollback.FirstDecisionsAtLook);
        Assert.Equal(first.SequentialPromotion.FirstDecisionsAtLook, second.SequentialPromotion.FirstDecisionsAtLook);
        Assert.Equal(first.RepeatedMannWhitney.FirstDecisionsAtLook, second.RepeatedMannWhitney.FirstDecisionsAtLook);
        Assert.NotEqual(first.SequentialRollback.FirstDecisionsAtLook, otherSeed.SequentialRollback.FirstDecisionsAtLook);
    }

    [Fact]
    public void Incremental_rank_test_equals_mann_whitney_compare_at_every_look()
    {
        var random = new Random(29);
        var rankTest = new IncrementalMannWhitney();
        List<double> canary = [], baseline = [];
        for (var look = 0; look < 6; look++)
        {
            // Rounded values: many ties within and across the two sides.
            double[] c = [.. Enumerable.Range(0, 7 + look).Select(_ => Math.Round(random.NextDouble() * 6 + 0.4))];
            double[] b = [.. Enumerable.Range(0, 5 + 2 * look).Select(_ => Math.Round(random.NextDouble() * 6))];
            canary.AddRange(c);
            baseline.AddRange(b);
            rankTest.Add(c, b);

            var expected = MannWhitney.Compare(canary, baseline);
            var (z, p) = rankTest.Test();
            Assert.Equal(expected.Z, z, 1e-12);
            Assert.Equal(expected.PValue, p, 1e-12);
        }
    }

    [Fact]
    public void Rates_and_mean_looks_are_read_from_first_decisions()
    {
        var tally = new DecisionTally(Streams: 10, FirstDecisionsAtLook: [2, 0, 3, 0], PerLook: 25);

        Assert.Equal([0.2, 0.2, 0.5, 0.5], tally.RateByLook);
        Assert.Equal(0.5, tally.Rate);
        Assert.Equal((1 * 2 + 3 * 3) / 5.0, tally.MeanLooksToDecision, 1e-15);
        Assert.Equal(25 * 11 / 5.0, tally.MeanSamplesToDecision, 1e-12);
        Assert.True(double.IsNaN(new DecisionTally(5, [0, 0], 10).MeanLooksToDecision));
    }

    public static TheoryData<SimulatedDistribution> Distributions() =>
        [new NormalSamples(100, 50), new LogNormalSamples(3, 1), new BernoulliSamples(0.02), new NormalSamples(0, 1).ShiftedBy(2.5)];

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Simulated_distributions_have_their_stated_mean_and_spread(SimulatedDistribution distribution)
    {
        const int draws = 200_000;
        var random = new Random(31);
        var moments = default(SequentialMoments);
        for (var i = 0; i < draws; i++) moments = moments.Add(distribution.Sample(random));

        // Mean within 5 standard errors; the sample SD within 5% (the lognormal's fourth moment makes its SD noisy).
        Assert.Equal(distribution.Mean, moments.Mean, 5 * distribution.StandardDeviation / Math.Sqrt(draws));
        Assert.Equal(distribution.StandardDeviation, Math.Sqrt(moments.Variance), 0.05 * distribution.StandardDeviation);
    }

    [Fact]
    public void A_shift_that_leaves_a_probability_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BernoulliSamples(0.02).ShiftedBy(-0.05));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulationSettings(0, 20, 50, 1).Validate());
    }
}
