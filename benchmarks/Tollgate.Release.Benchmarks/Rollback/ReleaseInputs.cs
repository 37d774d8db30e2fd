using System.Globalization;
using Tollgate.Release.Policy;

namespace Tollgate.Release.Benchmarks.Rollback;

/// <summary>
/// What the releases of the benchmark are made of: a baseline rule set that trades all the time, candidates that
/// differ from it and from each other, the release policy, and CI's evidence. Written out here rather than taken from
/// the test projects (a benchmark does not reference tests), after tests/Tollgate.Host.Tests' ExecutionHost and ReleaseHost.
/// </summary>
internal static class ReleaseInputs
{
    /// <summary>CI's commit: the code version of every candidate map (the Build stage checks they agree).</summary>
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    /// <summary>
    /// The baseline. Busy: rules that trade all the time (every condition holds while the book is two-sided and tight,
    /// cooldowns of 1-2 s): spot buys at market and resting limit buys under the bid, futures sells at market and resting
    /// limit buys. Quiet (the default): the same rules with a condition that never holds (a spread is never negative),
    /// so every host evaluates them on every book update but sends no intent — several Paper hosts on one task hub share
    /// one order-intents stream log, and their publishers collide on it (409 "two publishers on one partition?").
    /// </summary>
    public static string BaselineRules(bool busy) => Rules("bench-baseline", 1, busy);

    /// <summary>
    /// Release <paramref name="index"/>'s candidate: its own name (so its rev, and the map naming it, differ from every
    /// other release's) and the quantities scaled by 2, 3 or 4 — never the baseline's, since risk refuses an order equal
    /// to one sent within a second as a duplicate, and a canary refused for that would be judged harmful and roll back by
    /// itself before the benchmark's abort.
    /// </summary>
    public static string CandidateRules(int index, bool busy) => Rules($"bench-candidate-{index:000}", 2 + index % 3, busy);

    private static string Rules(string name, int scale, bool busy)
    {
        string Q(decimal quantity) => (quantity * scale).ToString(CultureInfo.InvariantCulture);
        var when = busy ? "spread_bps < 10" : "spread_bps < 0";
        return $$"""
            {
              "name": "{{name}}",
              "rules": [
                { "id": "spot-buy-market", "market": "SPOT", "symbols": ["BTCUSDT"], "when": ["{{when}}"],
                  "side": "BUY", "type": "MARKET", "quantity": "{{Q(0.0002m)}}", "cooldown_seconds": 1, "max_open": 5 },
                { "id": "spot-buy-resting", "market": "SPOT", "symbols": ["BTCUSDT"], "when": ["{{when}}"],
                  "side": "BUY", "type": "LIMIT", "quantity": "{{Q(0.0003m)}}", "limit_offset_ticks": -2, "cooldown_seconds": 1, "max_open": 5 },
                { "id": "fut-sell-market", "market": "FUT", "symbols": ["BTCUSDT"], "when": ["{{when}}"],
                  "side": "SELL", "type": "MARKET", "quantity": "{{Q(0.002m)}}", "cooldown_seconds": 2, "max_open": 5 },
                { "id": "fut-buy-resting", "market": "FUT", "symbols": ["BTCUSDT"], "when": ["{{when}}"],
                  "side": "BUY", "type": "LIMIT", "quantity": "{{Q(0.003m)}}", "limit_offset_ticks": -1, "cooldown_seconds": 2, "max_open": 5 }
              ]
            }
            """;
    }

    /// <summary>
    /// A code-release policy for Paper: 10% → 50% → 100%, whose first watch (600 s) outlasts any abort of the benchmark, so
    /// the canary is still at step 1 when it is aborted. Analyses every 5 s (the canary runs for a few seconds before
    /// the abort, so one or two looks; too few samples for the judge to promote or roll back by itself).
    /// <paramref name="maxRollbackSeconds"/> is the limit on trigger → every host acknowledged.
    /// </summary>
    public static string Policy(int maxRollbackSeconds) => $$"""
        {
          "name": "bench-rollback", "kind": "code", "environment": "Paper", "split_by": "decision",
          "steps": [ { "weight_pct": 10, "watch_seconds": 600 }, { "weight_pct": 50, "watch_seconds": 600 }, { "weight_pct": 100, "watch_seconds": 0 } ],
          "analysis_interval_seconds": 5, "final_watch_seconds": 60, "on_inconclusive": "pause",
          "max_rollback_seconds": {{maxRollbackSeconds}}, "approval_before_activate": false, "approval_timeout_seconds": 600,
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

    /// <summary>The policy's rev, the map's policy version (as <c>tollgate policy lint</c> prints it).</summary>
    public static string PolicyRev(string policyJson) => ReleasePolicyReader.Parse(policyJson).Rev;

    /// <summary>CI's JUnit report: no failures, and the gate tests the Test stage looks for.</summary>
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
