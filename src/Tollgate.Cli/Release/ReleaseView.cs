using System.Globalization;
using System.Text.Json;
using Tollgate.Cli.Governance;

namespace Tollgate.Cli.Release;

/// <summary>
/// Reads <c>GET /api/releases/{id}</c> for a person: one line per stage, approval and analysis, then the rollback and
/// the deploy event. The pipeline's and canary's custom status is camelCase (the durable engine's JSON); the rest is
/// the API's snake_case.
/// </summary>
internal static class ReleaseView
{
    private static readonly string[] TerminalStatuses = ["Completed", "Failed", "Terminated"];

    public static bool IsTerminal(JsonElement view) => TerminalStatuses.Contains(view.Text("status"));

    /// <summary>SUCCESS, FAIL or ROLLED_BACK once it ended; a pipeline that crashed without a result counts as FAIL.</summary>
    public static string Result(JsonElement view) =>
        view.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object ? result.Text("result") : IsTerminal(view) ? "FAIL" : "-";

    public static void Print(JsonElement view, TextWriter output)
    {
        var release = view.GetProperty("release");
        output.WriteLine($"release {release.Text("release_id")} {view.Text("status")}: {release.Text("kind")} on {release.Text("environment")}, " +
                         $"candidate {release.Text("candidate_map")}, requested by {release.Text("requested_by")}");
        output.WriteLine(ProgressLine(view));
        foreach (var stage in view.GetProperty("stages").EnumerateArray())
            output.WriteLine($"  {stage.Text("stage"),-13} {stage.Text("result"),-5} {(stage.Codes() == "-" ? "" : stage.Codes() + " ")}(ledger {stage.Text("ledger_index")})");
        foreach (var approval in view.GetProperty("approvals").EnumerateArray())
            output.WriteLine($"  approval {approval.Text("approval_id")} {approval.Text("purpose")} {approval.Text("state")}{(approval.Text("decided_by") == "-" ? "" : " by " + approval.Text("decided_by"))}");
        foreach (var analysis in view.GetProperty("analyses").EnumerateArray())
            output.WriteLine($"  analysis step {analysis.Text("step")} look {analysis.Text("look")}: {analysis.Text("decision")}" +
                             $"{(analysis.Codes() == "-" ? "" : " " + analysis.Codes())} — {analysis.Text("summary")} (ledger {analysis.Text("ledger_index")})");
        if (view.TryGetProperty("rollback", out var rollback) && rollback.ValueKind == JsonValueKind.Object)
            output.WriteLine($"  rollback {rollback.Text("result")}: split #{rollback.Text("splitSequence")}, acknowledged by {Count(rollback, "acknowledged")} host(s), " +
                             $"missing {Count(rollback, "missing")}, trigger to last acknowledgement {Millis(rollback, "triggerToAckMs")} ms, healthy {rollback.Text("healthy")}");
        if (view.TryGetProperty("deploy_event", out var deploy) && deploy.ValueKind == JsonValueKind.Object)
            output.WriteLine($"  deploy event at ledger index {deploy.Text("ledger_index")}");
        if (IsTerminal(view))
        {
            var codes = view.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object ? result.Codes("reasonCodes") : "-";
            output.WriteLine($"result {Result(view)}{(codes == "-" ? "" : ": " + codes)}{(view.Text("failure") == "-" ? "" : " (" + view.Text("failure") + ")")}");
        }
    }

    /// <summary>Where it stands in one line: stage, step, weight, state and the last analysis' decision.</summary>
    public static string ProgressLine(JsonElement view) =>
        view.TryGetProperty("progress", out var progress) && progress.ValueKind == JsonValueKind.Object ? Describe(progress) : $"[{view.Text("status")}]";

    public static string Describe(JsonElement progress)
    {
        var weight = progress.TryGetProperty("weightBasisPoints", out var bp) && bp.TryGetInt32(out var basis) ? basis / 100m : 0m;
        var step = progress.Text("steps") is "0" or "-" ? "" : $" step {progress.Text("step")}/{progress.Text("steps")} weight {weight.ToString("0.##", CultureInfo.InvariantCulture)}%";
        var last = progress.TryGetProperty("lastAnalysis", out var analysis) && analysis.ValueKind == JsonValueKind.Object
            ? $" last analysis {analysis.Text("decision")}{(analysis.Codes("reasonCodes") == "-" ? "" : " " + analysis.Codes("reasonCodes"))}"
            : "";
        var waiting = progress.Text("waitingFor") == "-" ? "" : $" waiting for {progress.Text("waitingFor")}";
        return $"[{progress.Text("stage")}] {progress.Text("state")}{step}{waiting}{last} — {progress.Text("detail")}";
    }

    private static int Count(JsonElement o, string name) => o.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.GetArrayLength() : 0;

    private static string Millis(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.TryGetDouble(out var ms) ? ms.ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
