using System.Text.Json.Nodes;
using Tollgate.Release.Canary;
using Tollgate.Release.Policy;

namespace Tollgate.Release.Tests.Canary;

public sealed class CanaryJudgeTests
{
    private static readonly ReleasePolicy Policy = ReleasePolicyReader.Parse("""
        {
          "name": "judge", "kind": "config_bundle", "environment": "Paper", "split_by": "decision",
          "steps": [ { "weight_pct": 10, "watch_seconds": 60 }, { "weight_pct": 100, "watch_seconds": 0 } ],
          "analysis_interval_seconds": 10, "final_watch_seconds": 60, "on_inconclusive": "pause", "max_rollback_seconds": 180,
          "approval_before_activate": false, "approval_timeout_seconds": 600, "score": { "pass": 95, "marginal": 75 },
          "guard_rails": { "error_rate_max": 0.05, "channel_latency_ms_max": 800, "failed_health_checks_max": 3 },
          "metrics": [
            { "name": "slippage_bps", "direction": "increase", "allowed_increase": 1.2, "critical": true, "minimum_sample_size": 20, "sequential": { "minimum_sample_per_side": 20 } },
            { "name": "fill_ratio", "direction": "decrease", "allowed_decrease": 0.9, "minimum_sample_size": 20, "sequential": { "minimum_sample_per_side": 20 } }
          ]
        }
        """);

    private static double[] Series(int n, double start, double step) => [.. Enumerable.Range(0, n).Select(i => start + step * (i % 17))];

    private static CanaryInputs Inputs(double[] canarySlip, double[] baseSlip, bool final, int health = 0, double[]? errors = null, bool guardOnly = false) => new(
        "rel-1:1:0:1", "rules-c", "rules-b", final, health,
        [
            new MetricWindow("slippage_bps", canarySlip, baseSlip, canarySlip, baseSlip),
            new MetricWindow("fill_ratio", Series(40, 0.9, 0.005), Series(40, 0.9, 0.005), Series(40, 0.9, 0.005), Series(40, 0.9, 0.005)),
            new MetricWindow("error_rate", errors ?? [0, 0, 0, 0], [0, 0], errors ?? [0, 0, 0, 0], [0, 0]),
        ], new Dictionary<string, JsonObject>(), guardOnly);

    [Fact]
    public void Equal_cohorts_continue_before_the_window_ends_and_promote_at_its_final_look()
    {
        var same = Series(40, 1.0, 0.1);
        Assert.Equal(CanaryDecision.Continue, CanaryJudge.Judge(Policy, Inputs(same, same, final: false)).Decision);
        var final = CanaryJudge.Judge(Policy, Inputs(same, same, final: true));
        Assert.Equal(CanaryDecision.Promote, final.Decision);
        Assert.Empty(final.ReasonCodes);
    }

    [Fact]
    public void A_much_worse_canary_is_rolled_back_by_the_sequential_test_before_the_window_ends()
    {
        var verdict = CanaryJudge.Judge(Policy, Inputs(Series(200, 6.0, 0.1), Series(200, 1.0, 0.1), final: false));
        Assert.Equal(CanaryDecision.Rollback, verdict.Decision);
        Assert.Contains(CanaryReasons.SequentialHarm, verdict.ReasonCodes);
    }

    [Fact]
    public void Guard_rails_roll_back_at_any_look_whatever_the_comparison()
    {
        var same = Series(40, 1.0, 0.1);
        Assert.Contains(CanaryReasons.GuardErrorRate, CanaryJudge.Judge(Policy, Inputs(same, same, false, errors: [1, 0, 0, 0])).ReasonCodes);
        Assert.Contains(CanaryReasons.GuardHealth, CanaryJudge.Judge(Policy, Inputs(same, same, false, health: 4)).ReasonCodes);
        Assert.Equal(CanaryDecision.Continue, CanaryJudge.Judge(Policy, Inputs(same, same, false, health: 3)).Decision);
    }

    [Fact]
    public void Too_few_samples_at_the_final_look_is_inconclusive_never_a_promotion()
    {
        var few = Series(5, 1.0, 0.1);
        var verdict = CanaryJudge.Judge(Policy, Inputs(few, few, final: true));
        Assert.Equal(CanaryDecision.Inconclusive, verdict.Decision);
        Assert.Contains(CanaryReasons.ScoreInconclusive, verdict.ReasonCodes);
    }

    [Fact]
    public void With_no_baseline_only_the_guard_rails_decide_and_a_clean_final_look_promotes()
    {
        var verdict = CanaryJudge.Judge(Policy, Inputs(Series(40, 6.0, 0.1), [], final: true, guardOnly: true));
        Assert.Equal(CanaryDecision.Promote, verdict.Decision);
        Assert.Equal(CanaryDecision.Rollback, CanaryJudge.Judge(Policy, Inputs(Series(40, 6.0, 0.1), [], true, errors: [1, 1, 0, 0], guardOnly: true)).Decision);
    }

    [Fact]
    public void A_stored_analysis_replays_to_the_byte_identical_verdict_and_a_changed_sample_does_not()
    {
        var inputs = Inputs(Series(60, 1.3, 0.1), Series(60, 1.0, 0.1), final: true);
        var stored = CanaryReplay.Store(inputs, CanaryJudge.Judge(Policy, inputs));
        var (identical, original, recomputed) = CanaryReplay.Verify(Policy, stored);
        Assert.True(identical);
        Assert.Equal(original, recomputed);

        var tampered = System.Text.Encoding.UTF8.GetString(stored).Replace("\"canary_new\":[\"1.3\"", "\"canary_new\":[\"9.3\"");
        Assert.NotEqual(System.Text.Encoding.UTF8.GetString(stored), tampered);
        Assert.False(CanaryReplay.Verify(Policy, System.Text.Encoding.UTF8.GetBytes(tampered)).Identical);
    }
}
