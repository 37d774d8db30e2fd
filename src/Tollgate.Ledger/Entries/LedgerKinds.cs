using System.Text.Json;
using static Tollgate.Ledger.Entries.PayloadField;

namespace Tollgate.Ledger.Entries;

/// <summary>
/// Every kind of entry the ledger accepts, in one place (docs/LEDGER.md has the same table; a test keeps
/// them in step). Codes and verdicts are the ones of seeds 000-002.
/// </summary>
public static class LedgerKinds
{
    public static readonly LedgerKind DeployEvent = new("deploy_event",
        "a pipeline run's deployment event, every field of seed 000 §6.2",
        [Text("deploy_event_id"), OneOf("environment", [.. LedgerEnvironments.All]), Text("artifact_ref"), Text("code_commit_ref"),
         Map("active_version_map_ref"), Text("operator_id"), Text("timestamp"), OneOf("result", "SUCCESS", "FAIL", "ROLLED_BACK"),
         List("reason_codes"), Text("hash_manifest_ref"), Text("runbook_ref")],
        DeployEventRule);

    public static readonly LedgerKind GateResult = new("gate_result", "a release gate evaluation and its checks",
        [OneOf("gate", "VERSION_AUDIT", "RISK_COMPLIANCE", "EXECUTION_CONTROL", "UI_SPEC"), OneOf("verdict", "PASS", "VETO", "RETURN"),
         Text("evaluation_id"), List("checks")]);

    public static readonly LedgerKind Approval = new("approval", "a step of a two-step, four-eyes approval",
        [Text("approval_id"), OneOf("step", "REQUEST", "CHALLENGE", "CONFIRM", "VETO", "RETURN", "RESUBMIT", "WITHDRAW"), Text("subject_ref")]);

    public static readonly LedgerKind VersionMap = new("version_map", "a version map registered under its content hash (docs, policy, model, config, code)",
        [Text("map_id"), Map("map")]);

    public static readonly LedgerKind VersionMapSwitch = new("version_map_switch", "the Active Version Map pointer moved (activation or rollback)",
        [OneOf("action", "ACTIVATE", "ROLLBACK"), TextOrNull("from_map"), Text("to_map"), Text("config_version"), Text("reason"), Text("operator"),
         TextOrNull("approver")]);

    public static readonly LedgerKind KillSwitch = new("kill_switch", "the kill switch was engaged or released",
        [OneOf("state", "ENGAGED", "RELEASED"), Text("scope"), Text("reason"), List("reason_codes")]);

    public static readonly LedgerKind AccessDenied = new("access_denied", "a refused call: who tried what, and why it was refused",
        [Text("action"), Text("route"), Text("reason_code"), OneOf("status", "401", "403")]);

    public static readonly LedgerKind OrderPath = new("order_path", "a pre-, in- or post-execution log of one order intent",
        [OneOf("phase", "PRE", "IN", "POST"), Text("intent_id"), Text("step")]);

    public static readonly LedgerKind Reconciliation = new("reconciliation", "the exchange's open orders, fills and positions against Tollgate's (seed 002 S5)",
        [Text("reconciliation_id"), OneOf("result", "PASS", "FAIL"), List("reason_codes"), Map("agreement"), List("differences")]);

    public static readonly LedgerKind Incident = new("incident", "an incident report (seed 000 §10)",
        [Text("incident_id"), OneOf("class", "INC-EXE", "INC-RISK", "INC-DATA", "INC-UI", "INC-SEC", "INC-OPS"), OneOf("severity", "P0", "P1", "P2"), Text("summary")]);

    public static readonly LedgerKind ChecklistResult = new("checklist_result", "one item of a daily checklist (seed 000 §12)",
        [OneOf("checklist", "PRE_SESSION", "IN_SESSION", "POST_SESSION"), Text("item_id"), OneOf("result", "PASS", "FAIL", "NOT_EVALUABLE"), List("reason_codes")]);

    public static readonly LedgerKind Evidence = new("evidence", "a release-evidence check and its measured facts (seed 003)",
        [Text("check"), Flag("passed"), List("reason_codes"), Map("facts")]);

    public static readonly LedgerKind Bundle = new("bundle", "a sealed replay bundle: its manifest's hash",
        [Text("manifest_sha256"), Text("event_ref")]);

    public static readonly LedgerKind TrafficSplit = new("traffic_split", "a canary's share of decisions changed: staged, weighted, aborted or completed",
        [OneOf("action", "STAGE", "WEIGHT", "ABORT", "COMPLETE"), Text("release_id"), Text("stable_map"), TextOrNull("canary_map"), Text("split_by"), Text("reason")]);

    public static readonly LedgerKind ReleaseStage = new("release_stage", "one stage of a release pipeline run (seed 000 §6.1) and its result",
        [Text("release_id"), Text("stage"), OneOf("result", "PASS", "FAIL", "SKIPPED"), List("reason_codes"), Map("facts")]);

    public static readonly LedgerKind CanaryAnalysis = new("canary_analysis", "one canary analysis: every metric's values, sample sizes, statistics and verdict",
        [Text("release_id"), Text("analysis_id"), OneOf("decision", "CONTINUE", "PROMOTE", "ROLLBACK", "INCONCLUSIVE"), List("metrics")]);

    public static readonly IReadOnlyList<LedgerKind> All =
        [DeployEvent, GateResult, Approval, VersionMap, VersionMapSwitch, KillSwitch, AccessDenied, OrderPath, Reconciliation, Incident, ChecklistResult, Evidence, Bundle,
         TrafficSplit, ReleaseStage, CanaryAnalysis];

    public static LedgerKind? Find(string name) => All.FirstOrDefault(kind => kind.Name == name);

    private static string? DeployEventRule(LedgerEntryFields entry, JsonElement payload)
    {
        var environment = payload.GetProperty("environment").GetString();
        if (entry.Environment != environment)
            return $"deploy_event payload environment '{environment}' differs from the entry's '{entry.Environment ?? "null"}'";
        var result = payload.GetProperty("result").GetString();
        if (result != "SUCCESS" && payload.GetProperty("reason_codes").GetArrayLength() == 0)
            return $"deploy_event with result {result} must carry reason_codes (seed 000 §6.2)";
        var map = payload.GetProperty("active_version_map_ref");
        foreach (var side in new[] { "before", "after" })
        {
            if (!map.TryGetProperty(side, out var value) || value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                return $"deploy_event active_version_map_ref must have '{side}' (a map id, or null)";
        }
        return null;
    }
}
