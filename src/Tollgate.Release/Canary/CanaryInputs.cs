namespace Tollgate.Release.Canary;

/// <summary>One metric's samples for one look: the whole window (for the comparison) and what is new since the last look (for the sequential test).</summary>
public sealed record MetricWindow(string Metric, IReadOnlyList<double> CanaryWindow, IReadOnlyList<double> BaselineWindow,
    IReadOnlyList<double> CanaryNew, IReadOnlyList<double> BaselineNew);

/// <summary>Everything one canary analysis judges; recorded whole, so the verdict can be recomputed from the record alone.</summary>
/// <param name="AnalysisId"><c>{release}:{step}:{look}</c>.</param>
/// <param name="Final">The look at the end of a watch window: the only one that may PROMOTE.</param>
/// <param name="FailedHealthChecks">Failed health checks seen during the window.</param>
/// <param name="PriorStates">Each metric's sequential state after the previous look of this window (JSON), absent at the first.</param>
/// <param name="GuardRailsOnly">No baseline to compare with (every decision is the canary's): guard rails alone decide.</param>
public sealed record CanaryInputs(
    string AnalysisId,
    string CanaryRev,
    string BaselineRev,
    bool Final,
    int FailedHealthChecks,
    IReadOnlyList<MetricWindow> Metrics,
    IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonObject> PriorStates,
    bool GuardRailsOnly = false);
