namespace Tollgate.Crash.Tests;

/// <summary>The rules, policy and CI evidence of the release crash tests.</summary>
internal static class ReleaseScenario
{
    /// <summary>CI's commit: the candidate map's code version.</summary>
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    /// <summary>
    /// Baseline rules that trade all the time while the book is two-sided and tight (cooldowns of 1-2 s): spot and futures
    /// market orders that fill, limit orders resting under the bid. Both cohorts of a canary then have samples every second.
    /// </summary>
    public const string BaselineRules = """
        {
          "name": "crash-baseline",
          "rules": [
            { "id": "spot-buy-market", "market": "SPOT", "symbols": ["BTCUSDT"], "when": ["spread_bps < 10"],
              "side": "BUY", "type": "MARKET", "quantity": "0.0002", "cooldown_seconds": 1, "max_open": 5 },
            { "id": "spot-buy-resting", "market": "SPOT", "symbols": ["BTCUSDT"], "when": ["spread_bps < 10"],
              "side": "BUY", "type": "LIMIT", "quantity": "0.0003", "limit_offset_ticks": -2, "cooldown_seconds": 1, "max_open": 5 },
            { "id": "fut-sell-market", "market": "FUT", "symbols": ["BTCUSDT"], "when": ["spread_bps < 10"],
              "side": "SELL", "type": "MARKET", "quantity": "0.002", "cooldown_seconds": 2, "max_open": 5 },
            { "id": "fut-buy-resting", "market": "FUT", "symbols": ["BTCUSDT"], "when": ["spread_bps < 10"],
              "side": "BUY", "type": "LIMIT", "quantity": "0.003", "limit_offset_ticks": -1, "cooldown_seconds": 2, "max_open": 5 }
          ]
        }
        """;

    /// <summary>
    /// A candidate that trades like the baseline with every quantity doubled, so its canary passes (equal quantities would
    /// not: risk refuses an order equal to one sent within a second as a duplicate, and the judge rightly calls that harm).
    /// </summary>
    public static readonly string CandidateRules = BaselineRules.Replace("\"crash-baseline\"", "\"crash-candidate\"")
        .Replace("\"0.0002\"", "\"0.0004\"").Replace("\"0.0003\"", "\"0.0006\"").Replace("\"0.002\"", "\"0.004\"").Replace("\"0.003\"", "\"0.006\"");

    /// <summary>
    /// A short-window Paper code policy: 10% → 50% → 100%, an analysis every second, pause when a window ends inconclusive
    /// (the test resumes it), no approval before the canary (the step to 100% still waits for one on Paper).
    /// <paramref name="maxRollbackSeconds"/> leaves room for a killed host's successor to start and acknowledge.
    /// </summary>
    public static string Policy(int firstWatch, int secondWatch, int finalWatch = 2, int maxRollbackSeconds = 60) => $$"""
        {
          "name": "crash-code", "kind": "code", "environment": "Paper", "split_by": "decision",
          "steps": [ { "weight_pct": 10, "watch_seconds": {{firstWatch}} }, { "weight_pct": 50, "watch_seconds": {{secondWatch}} }, { "weight_pct": 100, "watch_seconds": 0 } ],
          "analysis_interval_seconds": 1, "final_watch_seconds": {{finalWatch}}, "on_inconclusive": "pause",
          "max_rollback_seconds": {{maxRollbackSeconds}}, "approval_before_activate": false, "approval_timeout_seconds": 120,
          "score": { "pass": 75, "marginal": 50 },
          "guard_rails": { "error_rate_max": 0.05, "channel_latency_ms_max": 2000, "failed_health_checks_max": 3 },
          "metrics": [
            { "name": "reject_rate", "direction": "increase", "allowed_increase": 3, "minimum_sample_size": 3, "sequential": { "minimum_sample_per_side": 10 } },
            { "name": "fill_ratio", "direction": "decrease", "allowed_decrease": 0.5, "minimum_sample_size": 3, "sequential": { "minimum_sample_per_side": 10 } },
            { "name": "channel_latency_ms", "direction": "increase", "allowed_increase": 10, "minimum_sample_size": 3, "weight": 0.5, "sequential": { "minimum_sample_per_side": 10, "margin": 5 } }
          ],
          "waived_gates": ["UI_SPEC"]
        }
        """;

    /// <summary>CI's JUnit report: no failures, the gate tests present.</summary>
    public const string PassingReport = """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites tests="3" failures="0" errors="0">
          <testsuite name="Tollgate.Gates" tests="3" failures="0" errors="0">
            <testcase classname="Tollgate.Gates.VersionAuditGateTests" name="Passes_a_complete_map" time="0.1"/>
            <testcase classname="Tollgate.Gates.ExecutionControlGateTests" name="Vetoes_without_a_kill_switch" time="0.1"/>
            <testcase classname="Tollgate.Router.RouterTests" name="Routes_once" time="0.1"/>
          </testsuite>
        </testsuites>
        """;
}
