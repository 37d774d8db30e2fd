using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Release.Analysis;

namespace Tollgate.Release.Policy;

/// <summary>What a release changes: code (seed 001's rollout) or a config bundle (seed 002's).</summary>
public enum ReleaseKind { Code, ConfigBundle }

/// <summary>What an inconclusive window does: wait for a human (Argo's Inconclusive pause), or roll back.</summary>
public enum InconclusiveAction { Pause, Abort }

/// <summary>How decisions split between canary and baseline: every decision of a symbol to one side, or each decision alone.</summary>
public enum CanarySplit { Symbol, Decision }

/// <summary>One step: the canary's share of decisions (basis points), how long it is watched, and whether a four-eyes approval comes first.</summary>
public sealed record PolicyStep(int WeightBasisPoints, TimeSpan Watch, bool ApprovalBefore);

/// <summary>Absolute thresholds (seed 001 §6.1) that roll back at once, whatever the comparison says.</summary>
/// <param name="ErrorRateMax">Canary error rate above this (seed: 5%).</param>
/// <param name="ChannelLatencyMsMax">Canary channel latency p95 above this.</param>
/// <param name="FailedHealthChecksMax">More failed health checks than this during the window (seed: 3).</param>
public sealed record GuardRails(double ErrorRateMax, double ChannelLatencyMsMax, int FailedHealthChecksMax);

/// <summary>How one metric is judged: Kayenta's classification and the sequential test's stopping rule.</summary>
public sealed record PolicyMetric(MetricConfig Judge, SequentialTestConfig Sequential);

/// <summary>
/// A release policy (issue 8 item 1): per environment and kind, the canary steps, watch windows, the analysis
/// interval, every metric and how it is judged, guard rails, score thresholds, the approvals required, what an
/// inconclusive window does and the max rollback time. Versioned config: <see cref="Rev"/> is <c>policy-</c> and
/// 16 hex of SHA-256 of <see cref="ToJson"/>, the policy version a version map names; the policy JSON is the map's
/// <c>policy</c> artifact.
/// </summary>
public sealed record ReleasePolicy(
    string Name,
    ReleaseKind Kind,
    string Environment,
    CanarySplit SplitBy,
    IReadOnlyList<PolicyStep> Steps,
    TimeSpan AnalysisInterval,
    TimeSpan FinalWatch,
    InconclusiveAction OnInconclusive,
    TimeSpan MaxRollbackTime,
    bool ApprovalBeforeActivate,
    TimeSpan ApprovalTimeout,
    ScoreThresholds Score,
    GuardRails Guards,
    IReadOnlyList<PolicyMetric> Metrics,
    IReadOnlyList<string> WaivedGates)
{
    /// <summary>The gates a policy may waive, by name; a waiver covers only checks that could not be evaluated, never a VETO or a RETURN that was looked at.</summary>
    public static readonly IReadOnlyList<string> Gates = ["VERSION_AUDIT", "RISK_COMPLIANCE", "EXECUTION_CONTROL", "UI_SPEC"];

    public string Rev => "policy-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson().ToJsonString())))[..16];

    /// <summary>The canonical form: fixed member order, invariant numbers.</summary>
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["kind"] = Kind == ReleaseKind.Code ? "code" : "config_bundle",
        ["environment"] = Environment,
        ["split_by"] = SplitBy.ToString().ToLowerInvariant(),
        ["steps"] = new JsonArray([.. Steps.Select(s => (JsonNode)new JsonObject
        {
            ["weight_pct"] = s.WeightBasisPoints / 100m,
            ["watch_seconds"] = (long)s.Watch.TotalSeconds,
            ["approval_before"] = s.ApprovalBefore,
        })]),
        ["analysis_interval_seconds"] = (long)AnalysisInterval.TotalSeconds,
        ["final_watch_seconds"] = (long)FinalWatch.TotalSeconds,
        ["on_inconclusive"] = OnInconclusive.ToString().ToLowerInvariant(),
        ["max_rollback_seconds"] = (long)MaxRollbackTime.TotalSeconds,
        ["approval_before_activate"] = ApprovalBeforeActivate,
        ["approval_timeout_seconds"] = (long)ApprovalTimeout.TotalSeconds,
        ["score"] = new JsonObject { ["pass"] = Score.Pass, ["marginal"] = Score.Marginal },
        ["guard_rails"] = new JsonObject
        {
            ["error_rate_max"] = Guards.ErrorRateMax,
            ["channel_latency_ms_max"] = Guards.ChannelLatencyMsMax,
            ["failed_health_checks_max"] = Guards.FailedHealthChecksMax,
        },
        ["metrics"] = new JsonArray([.. Metrics.Select(m => (JsonNode)new JsonObject
        {
            ["name"] = m.Judge.Name,
            ["direction"] = m.Judge.Direction.ToString().ToLowerInvariant(),
            ["allowed_increase"] = m.Judge.AllowedIncrease,
            ["allowed_decrease"] = m.Judge.AllowedDecrease,
            ["critical"] = m.Judge.Critical,
            ["minimum_sample_size"] = m.Judge.MinimumSampleSize,
            ["tolerance"] = m.Judge.Tolerance,
            ["weight"] = m.Judge.Weight,
            ["nan_strategy"] = m.Judge.NanStrategy.ToString().ToLowerInvariant(),
            ["sequential"] = new JsonObject
            {
                ["alpha"] = m.Sequential.Alpha,
                ["beta"] = m.Sequential.Beta,
                ["margin"] = m.Sequential.Margin,
                ["margin_kind"] = m.Sequential.MarginKind.ToString().ToLowerInvariant(),
                ["minimum_sample_per_side"] = m.Sequential.MinimumSamplePerSide,
            },
        })]),
        ["waived_gates"] = new JsonArray([.. WaivedGates.Select(g => (JsonNode)g)]),
    };

    public override string ToString() => $"{Name} ({Rev}): {string.Join(" → ", Steps.Select(s => $"{(s.WeightBasisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture)}%"))}";
}
