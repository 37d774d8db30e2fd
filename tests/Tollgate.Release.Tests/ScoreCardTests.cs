using Tollgate.Release.Analysis;

namespace Tollgate.Release.Tests;

public sealed class ScoreCardTests
{
    private static readonly ScoreThresholds Thresholds = new(Pass: 75m, Marginal: 50m);

    private static MetricClassification M(string name, MetricOutcome outcome, decimal weight = 1m, bool critical = false) =>
        new(new MetricConfig(name, ChangeDirection.Increase, Critical: critical, Weight: weight),
            outcome, name, new MannWhitneyResult { Tested = true, CanarySize = 1, BaselineSize = 1, NonFiniteCount = 0 },
            1.0, 0.0, outcome is MetricOutcome.High or MetricOutcome.Low);

    [Fact]
    public void Score_exactly_at_pass_threshold_is_pass()
    {
        // 3 of 4 equal weights pass → 100·3/4 = 75 = pass threshold → PASS.
        var r = ScoreCard.Evaluate([M("a", MetricOutcome.Pass), M("b", MetricOutcome.Pass), M("c", MetricOutcome.Pass), M("d", MetricOutcome.High)], Thresholds);

        Assert.Equal(75m, r.Score);
        Assert.Equal(CardOutcome.Pass, r.Outcome);
    }

    [Fact]
    public void Score_just_below_pass_is_marginal()
    {
        // weights 74.99 pass, 25.01 fail → 74.99 < 75 → MARGINAL.
        var r = ScoreCard.Evaluate([M("a", MetricOutcome.Pass, 74.99m), M("b", MetricOutcome.Low, 25.01m)], Thresholds);

        Assert.Equal(74.99m, r.Score);
        Assert.Equal(CardOutcome.Marginal, r.Outcome);
    }

    [Fact]
    public void Score_exactly_at_marginal_threshold_is_marginal()
    {
        // 1 of 2 pass → 50 = marginal threshold → MARGINAL (the boundary belongs to the better band).
        var r = ScoreCard.Evaluate([M("a", MetricOutcome.Pass), M("b", MetricOutcome.High)], Thresholds);

        Assert.Equal(50m, r.Score);
        Assert.Equal(CardOutcome.Marginal, r.Outcome);
    }

    [Fact]
    public void Score_just_below_marginal_is_fail()
    {
        var r = ScoreCard.Evaluate([M("a", MetricOutcome.Pass, 49.99m), M("b", MetricOutcome.High, 50.01m)], Thresholds);

        Assert.Equal(49.99m, r.Score);
        Assert.Equal(CardOutcome.Fail, r.Outcome);
    }

    [Fact]
    public void Weights_decide_the_score()
    {
        // pass weight 3, fail weight 1 → 75 → PASS; swap the weights → 25 → FAIL.
        var pass = ScoreCard.Evaluate([M("a", MetricOutcome.Pass, 3m), M("b", MetricOutcome.High, 1m)], Thresholds);
        var fail = ScoreCard.Evaluate([M("a", MetricOutcome.Pass, 1m), M("b", MetricOutcome.High, 3m)], Thresholds);

        Assert.Equal(CardOutcome.Pass, pass.Outcome);
        Assert.Equal(3m, pass.PassingWeight);
        Assert.Equal(4m, pass.ScoredWeight);
        Assert.Equal(25m, fail.Score);
        Assert.Equal(CardOutcome.Fail, fail.Outcome);
    }

    [Fact]
    public void Failing_critical_metric_fails_the_card_regardless_of_score()
    {
        // 99 of 100 weight passes (score 99) but the failing 1 is critical.
        var r = ScoreCard.Evaluate([M("a", MetricOutcome.Pass, 99m), M("crit", MetricOutcome.Low, 1m, critical: true)], Thresholds);

        Assert.Equal(99m, r.Score);
        Assert.Equal(CardOutcome.Fail, r.Outcome);
        Assert.Contains("crit", r.Reason);
    }

    [Fact]
    public void Critical_failure_beats_inconclusive()
    {
        var r = ScoreCard.Evaluate([M("a", MetricOutcome.Inconclusive), M("crit", MetricOutcome.High, critical: true)], Thresholds);

        Assert.Equal(CardOutcome.Fail, r.Outcome);
    }

    [Fact]
    public void Any_inconclusive_metric_makes_the_card_inconclusive()
    {
        var r = ScoreCard.Evaluate([M("a", MetricOutcome.Pass), M("b", MetricOutcome.Pass), M("c", MetricOutcome.Inconclusive)], Thresholds);

        Assert.Equal(CardOutcome.Inconclusive, r.Outcome);
        Assert.Equal(100m, r.Score); // scored over the conclusive metrics, reported but not decisive
        Assert.Contains("c", r.Reason);
    }

    [Fact]
    public void Noncritical_no_data_is_left_out_of_the_score()
    {
        var r = ScoreCard.Evaluate([M("a", MetricOutcome.Pass), M("b", MetricOutcome.NoData)], Thresholds);

        Assert.Equal(100m, r.Score);
        Assert.Equal(CardOutcome.Pass, r.Outcome);
    }

    [Fact]
    public void Critical_no_data_is_inconclusive()
    {
        var r = ScoreCard.Evaluate([M("a", MetricOutcome.Pass), M("crit", MetricOutcome.NoData, critical: true)], Thresholds);

        Assert.Equal(CardOutcome.Inconclusive, r.Outcome);
    }

    [Fact]
    public void Nothing_scorable_is_inconclusive_never_pass()
    {
        var none = ScoreCard.Evaluate([], Thresholds);
        var allNoData = ScoreCard.Evaluate([M("a", MetricOutcome.NoData)], Thresholds);
        var zeroWeight = ScoreCard.Evaluate([M("a", MetricOutcome.Pass, 0m)], Thresholds);

        Assert.Equal(CardOutcome.Inconclusive, none.Outcome);
        Assert.Null(none.Score);
        Assert.Equal(CardOutcome.Inconclusive, allNoData.Outcome);
        Assert.Equal(CardOutcome.Inconclusive, zeroWeight.Outcome);
    }

    [Theory]
    [InlineData(50, 75)]
    [InlineData(101, 50)]
    [InlineData(75, -1)]
    public void Invalid_thresholds_throw(int pass, int marginal)
    {
        Assert.ThrowsAny<ArgumentException>(() => ScoreCard.Evaluate([M("a", MetricOutcome.Pass)], new ScoreThresholds(pass, marginal)));
    }

    [Fact]
    public void End_to_end_from_samples()
    {
        // latency (critical, increase bad) HIGH on separated data; fills pass → critical failure → FAIL.
        var latency = MetricJudge.Classify(new MetricConfig("latency", ChangeDirection.Increase, Critical: true),
            MannWhitneyTests.Range(30, 10), MannWhitneyTests.Range(10, 10));
        var fills = MetricJudge.Classify(new MetricConfig("fills", ChangeDirection.Decrease, Weight: 9m),
            MannWhitneyTests.Range(10, 10), MannWhitneyTests.Range(10, 10));

        var r = ScoreCard.Evaluate([latency, fills], Thresholds);

        Assert.Equal(MetricOutcome.High, latency.Outcome);
        Assert.Equal(MetricOutcome.Pass, fills.Outcome);
        Assert.Equal(90m, r.Score);
        Assert.Equal(CardOutcome.Fail, r.Outcome);
    }
}
