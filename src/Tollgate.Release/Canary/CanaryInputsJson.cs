using System.Globalization;
using System.Text.Json.Nodes;

namespace Tollgate.Release.Canary;

/// <summary>
/// The inputs of an analysis as a JSON document (numbers as round-trip strings), stored with the verdict so that
/// <see cref="CanaryReplay"/> recomputes the verdict from the stored object alone.
/// </summary>
public static class CanaryInputsJson
{
    public static JsonObject ToJson(CanaryInputs inputs) => new()
    {
        ["analysis_id"] = inputs.AnalysisId,
        ["canary_rev"] = inputs.CanaryRev,
        ["baseline_rev"] = inputs.BaselineRev,
        ["final"] = inputs.Final,
        ["failed_health_checks"] = inputs.FailedHealthChecks,
        ["guard_rails_only"] = inputs.GuardRailsOnly,
        ["metrics"] = new JsonArray([.. inputs.Metrics.Select(m => (JsonNode)new JsonObject
        {
            ["metric"] = m.Metric,
            ["canary_window"] = Numbers(m.CanaryWindow),
            ["baseline_window"] = Numbers(m.BaselineWindow),
            ["canary_new"] = Numbers(m.CanaryNew),
            ["baseline_new"] = Numbers(m.BaselineNew),
        })]),
        ["prior_states"] = new JsonObject(inputs.PriorStates.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value.DeepClone()))),
    };

    public static CanaryInputs FromJson(JsonObject json) => new(
        (string)json["analysis_id"]!,
        (string)json["canary_rev"]!,
        (string)json["baseline_rev"]!,
        (bool)json["final"]!,
        (int)json["failed_health_checks"]!,
        [.. json["metrics"]!.AsArray().Select(m => new MetricWindow((string)m!["metric"]!, Read(m["canary_window"]), Read(m["baseline_window"]),
            Read(m["canary_new"]), Read(m["baseline_new"])))],
        json["prior_states"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsObject().DeepClone().AsObject(), StringComparer.Ordinal),
        (bool)json["guard_rails_only"]!);

    private static JsonArray Numbers(IReadOnlyList<double> values) =>
        new([.. values.Select(v => (JsonNode)JsonValue.Create(v.ToString("R", CultureInfo.InvariantCulture)))]);

    private static double[] Read(JsonNode? node) =>
        [.. node!.AsArray().Select(v => double.Parse((string)v!, NumberStyles.Float, CultureInfo.InvariantCulture))];
}
