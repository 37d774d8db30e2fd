using System.Text.Json;

namespace Tollgate.Release.Benchmarks.Rollback;

/// <summary>
/// Reads of <c>GET /api/releases/{id}</c>: the governance members are snake_case (split, status, canary_status), the
/// orchestrations' custom status and outputs (progress, rollback, result) camelCase, as the durable engine serializes them.
/// </summary>
internal readonly record struct ReleaseView(JsonElement Json)
{
    public string? Status => Text(Json, "status");

    /// <summary>The pipeline orchestration's failure message, when it failed rather than ended with a result.</summary>
    public string? Failure => Text(Json, "failure");

    public bool Ended => Status is "Completed" or "Failed" or "Terminated";

    public string? CanaryStatus => Text(Json, "canary_status");

    public string? Stage => Text(Member(Json, "progress"), "stage");

    public string? State => Text(Member(Json, "progress"), "state");

    public int? Step => Member(Json, "progress") is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("step", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : null;

    public long? SplitSequence => Member(Json, "split") is { ValueKind: JsonValueKind.Object } s ? s.GetProperty("sequence").GetInt64() : null;

    public string? SplitAction => Text(Member(Json, "split"), "action");

    public decimal SplitWeightPct => Member(Json, "split") is { ValueKind: JsonValueKind.Object } s && s.GetProperty("weight_pct").ValueKind == JsonValueKind.Number
        ? s.GetProperty("weight_pct").GetDecimal() : 0;

    /// <summary>The canary at its first step, analysing, with a share of decisions on the candidate.</summary>
    public bool CanaryRunningAtFirstStep => CanaryStatus == "Running" && Stage == "CANARY" && State == "RUNNING" && Step == 1
        && SplitAction == "WEIGHT" && SplitWeightPct > 0;

    /// <summary>The rollback orchestration's result (COMPLETE or INCOMPLETE), once it has completed.</summary>
    public JsonElement? Rollback => Member(Json, "rollback") is { ValueKind: JsonValueKind.Object } r ? r : null;

    /// <summary>The pipeline's result once it completed: ROLLED_BACK, FAIL or SUCCESS.</summary>
    public string? Result => Text(Member(Json, "result"), "result");

    public IReadOnlyList<string> ResultCodes => Member(Json, "result") is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("reasonCodes", out var codes)
        ? [.. codes.EnumerateArray().Select(c => c.GetString() ?? "")] : [];

    /// <summary>The analyses recorded so far (the judge's looks).</summary>
    public int Analyses => Member(Json, "analyses") is { ValueKind: JsonValueKind.Array } a ? a.GetArrayLength() : 0;

    /// <summary>Every stage that did not PASS, with its codes: what a failure message needs.</summary>
    public string FailedStages()
    {
        if (Member(Json, "stages") is not { ValueKind: JsonValueKind.Array } stages) return "(no stages)";
        var failed = stages.EnumerateArray().Where(s => Text(s, "result") != "PASS")
            .Select(s => $"{Text(s, "stage")} {Text(s, "result")} [{string.Join(", ", s.GetProperty("reason_codes").EnumerateArray().Select(c => c.GetString()))}]").ToList();
        return failed.Count == 0 ? "(every recorded stage passed)" : string.Join("; ", failed);
    }

    public override string ToString() => $"status {Status}, canary {CanaryStatus}, stage {Stage} {State} step {Step}, split #{SplitSequence} {SplitAction} {SplitWeightPct}%";

    private static JsonElement Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static string? Text(JsonElement element, string name) =>
        Member(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
