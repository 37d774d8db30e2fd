using Tollgate.Release.Analysis;
using static Tollgate.Release.Tests.MannWhitneyTests;

namespace Tollgate.Release.Tests;

public sealed class MetricJudgeTests
{
    // baseline {10..19} (mean 14.5, median 14.5), canary {30..39} (mean 34.5):
    // p = 1.83e-4 < 0.02, CI98 = [D19, D82] all > 0, shift 20 > 0.25·14.5 = 3.625, ratio 34.5/14.5 = 2.379.
    private static readonly double[] Low = Range(10, 10);
    private static readonly double[] High = Range(30, 10);

    [Theory]
    [InlineData(ChangeDirection.Increase, MetricOutcome.High)]
    [InlineData(ChangeDirection.Either, MetricOutcome.High)]
    [InlineData(ChangeDirection.Decrease, MetricOutcome.Pass)]
    public void Significant_increase_per_direction(ChangeDirection direction, MetricOutcome expected)
    {
        var c = MetricJudge.Classify(new MetricConfig("latency", direction), High, Low);

        Assert.Equal(expected, c.Outcome);
        Assert.True(c.Significant);
        Assert.Equal(34.5 / 14.5, c.MeanRatio, 1e-12);
        Assert.Equal(3.625, c.ToleranceBand, 1e-12);
        Assert.Contains("latency", c.Reason);
    }

    [Theory]
    [InlineData(ChangeDirection.Decrease, MetricOutcome.Low)]
    [InlineData(ChangeDirection.Either, MetricOutcome.Low)]
    [InlineData(ChangeDirection.Increase, MetricOutcome.Pass)]
    public void Significant_decrease_per_direction(ChangeDirection direction, MetricOutcome expected)
    {
        // canary {10..19} vs baseline {30..39}: ratio 14.5/34.5 = 0.42, shift −20, band 0.25·34.5 = 8.625.
        var c = MetricJudge.Classify(new MetricConfig("fills", direction), Low, High);

        Assert.Equal(expected, c.Outcome);
        Assert.True(c.Significant);
        Assert.Equal(14.5 / 34.5, c.MeanRatio, 1e-12);
    }

    [Theory]
    [InlineData(2.0, MetricOutcome.High)]   // 2.379 > 2.0
    [InlineData(2.5, MetricOutcome.Pass)]   // 2.379 ≤ 2.5
    public void Allowed_increase_is_an_effect_size_gate(double allowedIncrease, MetricOutcome expected)
    {
        var c = MetricJudge.Classify(new MetricConfig("latency", ChangeDirection.Increase, AllowedIncrease: allowedIncrease), High, Low);

        Assert.Equal(expected, c.Outcome);
        Assert.True(c.Significant);
    }

    [Theory]
    [InlineData(0.5, MetricOutcome.Low)]    // 0.420 < 0.5
    [InlineData(0.4, MetricOutcome.Pass)]   // 0.420 ≥ 0.4
    public void Allowed_decrease_is_an_effect_size_gate(double allowedDecrease, MetricOutcome expected)
    {
        var c = MetricJudge.Classify(new MetricConfig("fills", ChangeDirection.Decrease, AllowedDecrease: allowedDecrease), Low, High);

        Assert.Equal(expected, c.Outcome);
    }

    [Fact]
    public void Shift_within_tolerance_is_not_significant()
    {
        // baseline {100..109} (median 104.5), canary {110..119}: p = 1.83e-4 and the CI excludes 0,
        // but shift 10 ≤ 0.25·104.5 = 26.125 → PASS. With tolerance 0 the same data is HIGH.
        var cfg = new MetricConfig("latency", ChangeDirection.Increase);
        var within = MetricJudge.Classify(cfg, Range(110, 10), Range(100, 10));
        var strict = MetricJudge.Classify(cfg with { Tolerance = 0 }, Range(110, 10), Range(100, 10));

        Assert.Equal(MetricOutcome.Pass, within.Outcome);
        Assert.False(within.Significant);
        Assert.Contains("tolerance", within.Reason);
        Assert.Equal(26.125, within.ToleranceBand, 1e-12);
        Assert.Equal(MetricOutcome.High, strict.Outcome);
    }

    [Fact]
    public void Not_significant_p_passes()
    {
        // The tie example from MannWhitneyTests: p = 0.266 ≥ 0.02.
        var c = MetricJudge.Classify(new MetricConfig("latency", ChangeDirection.Either, Tolerance: 0), [1, 2, 2, 3], [2, 3, 4]);

        Assert.Equal(MetricOutcome.Pass, c.Outcome);
        Assert.False(c.Significant);
        Assert.Contains("p ≥", c.Reason);
    }

    [Fact]
    public void Complete_separation_on_tiny_samples_is_not_significant()
    {
        // {4,5,6} vs {1,2,3}: every difference positive, but p = 0.081 ≥ 0.02 → PASS, not HIGH.
        var c = MetricJudge.Classify(new MetricConfig("latency", ChangeDirection.Increase, Tolerance: 0), [4, 5, 6], [1, 2, 3]);

        Assert.Equal(MetricOutcome.Pass, c.Outcome);
    }

    [Fact]
    public void Below_minimum_sample_is_inconclusive_never_pass()
    {
        // Same separated data that is HIGH with enough samples; and identical data (which would pass).
        var cfg = new MetricConfig("latency", ChangeDirection.Increase, MinimumSampleSize: 11);
        var separated = MetricJudge.Classify(cfg, High, Low);
        var identical = MetricJudge.Classify(cfg, Low, Low);
        var oneSideShort = MetricJudge.Classify(cfg with { MinimumSampleSize = 10 }, High, Low.Take(9).ToArray());

        Assert.Equal(MetricOutcome.Inconclusive, separated.Outcome);
        Assert.Equal(MetricOutcome.Inconclusive, identical.Outcome);
        Assert.Equal(MetricOutcome.Inconclusive, oneSideShort.Outcome);
        Assert.Contains("minimum sample size 10", oneSideShort.Reason);
        Assert.Contains("baseline 9", oneSideShort.Reason);
    }

    [Fact]
    public void Minimum_sample_counts_after_nan_removal()
    {
        var cfg = new MetricConfig("latency", ChangeDirection.Increase, MinimumSampleSize: 3);
        var removed = MetricJudge.Classify(cfg, [1, 2, double.NaN], [1, 2, 3]);
        var replaced = MetricJudge.Classify(cfg with { NanStrategy = NanStrategy.ReplaceWithZero }, [1, 2, double.NaN], [1, 2, 3]);

        Assert.Equal(MetricOutcome.Inconclusive, removed.Outcome);
        Assert.Equal(MetricOutcome.Pass, replaced.Outcome);
    }

    [Fact]
    public void Empty_side_is_no_data()
    {
        var c = MetricJudge.Classify(new MetricConfig("latency", ChangeDirection.Increase), [], Low);

        Assert.Equal(MetricOutcome.NoData, c.Outcome);
        Assert.Contains("canary is empty", c.Reason);
        Assert.False(c.Failed);
    }

    [Fact]
    public void All_equal_passes()
    {
        var c = MetricJudge.Classify(new MetricConfig("errors", ChangeDirection.Either, Tolerance: 0), [0, 0, 0], [0, 0, 0]);

        Assert.Equal(MetricOutcome.Pass, c.Outcome);
        Assert.Equal(1, c.MeanRatio);
    }

    [Fact]
    public void Zero_baseline_mean_with_nonzero_canary_is_infinite_ratio()
    {
        // errors: baseline all 0, canary 1..10: p small, CI > 0, band 0 → HIGH at any allowed increase.
        var c = MetricJudge.Classify(new MetricConfig("errors", ChangeDirection.Increase, AllowedIncrease: 100), Range(1, 10), new double[10]);

        Assert.Equal(MetricOutcome.High, c.Outcome);
        Assert.True(double.IsPositiveInfinity(c.MeanRatio));
    }

    [Theory]
    [InlineData(0.9, 1.0, 1, 0.25, 1)]
    [InlineData(1.0, 1.1, 1, 0.25, 1)]
    [InlineData(1.0, 0.0, 1, 0.25, 1)]
    [InlineData(1.0, 1.0, 0, 0.25, 1)]
    [InlineData(1.0, 1.0, 1, -0.1, 1)]
    [InlineData(1.0, 1.0, 1, 0.25, -1)]
    public void Invalid_config_throws(double allowedIncrease, double allowedDecrease, int minSample, double tolerance, int weight)
    {
        var cfg = new MetricConfig("m", ChangeDirection.Increase, allowedIncrease, allowedDecrease, false, minSample, tolerance, weight);

        Assert.ThrowsAny<ArgumentException>(() => MetricJudge.Classify(cfg, [1], [1]));
    }
}
