using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tollgate.Host.Tests.Execution;
using Tollgate.Host.Tests.Markets;

namespace Tollgate.Host.Tests.Release;

/// <summary>What release tests share: a short-window policy, CI's evidence, a candidate map, and the calls a release manager makes.</summary>
public static class ReleaseHost
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";
    public const string Pipeline = "ci.pipeline";

    /// <summary>A config-free test policy: 10% → 50% → 100% with short watches, every execution metric judged, pause when inconclusive.</summary>
    public static string Policy(string kind = "code", string onInconclusive = "pause", int watch = 4, int finalWatch = 2, string extraMetric = "") => $$"""
        {
          "name": "test-{{kind}}", "kind": "{{kind}}", "environment": "Paper", "split_by": "decision",
          "steps": [ { "weight_pct": 10, "watch_seconds": {{watch}} }, { "weight_pct": 50, "watch_seconds": {{watch}} }, { "weight_pct": 100, "watch_seconds": 0 } ],
          "analysis_interval_seconds": 1, "final_watch_seconds": {{finalWatch}}, "on_inconclusive": "{{onInconclusive}}",
          "max_rollback_seconds": 10, "approval_before_activate": false, "approval_timeout_seconds": 120,
          "score": { "pass": 75, "marginal": 50 },
          "guard_rails": { "error_rate_max": 0.05, "channel_latency_ms_max": 2000, "failed_health_checks_max": 3 },
          "metrics": [
            { "name": "reject_rate", "direction": "increase", "allowed_increase": 3, "minimum_sample_size": 3, "sequential": { "minimum_sample_per_side": 10 } },
            { "name": "fill_ratio", "direction": "decrease", "allowed_decrease": 0.5, "minimum_sample_size": 3, "sequential": { "minimum_sample_per_side": 10 } },
            { "name": "channel_latency_ms", "direction": "increase", "allowed_increase": 10, "minimum_sample_size": 3, "weight": 0.5, "sequential": { "minimum_sample_per_side": 10, "margin": 5 } }{{extraMetric}}
          ],
          "waived_gates": ["UI_SPEC"]
        }
        """;

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

    /// <summary>Registers a Paper map of <paramref name="rules"/> with its release policy as the policy artifact; returns the map id.</summary>
    public static async Task<string> RegisterCandidateAsync(HttpClient http, string rules, string policyJson, string code = Commit)
    {
        var rev = await http.LintAsync(rules);
        var rulesDigest = await http.StoreObjectAsync(rules);
        var policyDigest = await http.StoreObjectAsync(policyJson);
        var policyRev = Tollgate.Release.Policy.ReleasePolicyReader.Parse(policyJson).Rev;
        var rulebook = await http.StoreObjectAsync("rulebook for the candidate");
        var registered = await (await http.PostAsJsonAsync("/api/version-maps", new
        {
            environment = "Paper", docs = "docs-test", policy = policyRev, model = "model-test", config = rev, code,
            rulebook_snapshot_ref = rulebook,
            artifacts = new[] { new { name = "rules", @ref = rev, digest = rulesDigest }, new { name = "policy", @ref = policyRev, digest = policyDigest } },
        })).ReadOkAsync("register the candidate map");
        return registered.GetProperty("map").GetProperty("id").GetString()!;
    }

    public static async Task<HttpResponseMessage> StartAsync(HttpClient pipeline, string map, string? report, string ciRun = "run-1", string commit = Commit) =>
        await pipeline.PostAsJsonAsync("/api/releases", new
        {
            environment = "Paper", kind = "code", candidate_map = map,
            evidence = new { commit, ci_run_id = ciRun, ci_run_url = "https://ci.example/runs/1", test_report = report },
            gate_inputs = GateInputs,
        });

    /// <summary>What CI sends the gates: the document index and the policy's veto codes (as the demo's CI does).</summary>
    public static readonly object GateInputs = new
    {
        document_index = new[] { new { doc_key = "DEPLOY_OPS", version = "2025-12-19", status = "ACTIVE" }, new { doc_key = "RISK_COMPLIANCE", version = "v3", status = "ACTIVE" } },
        veto_reason_codes = new[] { new { code = "RISK_MAX_QTY", description = "order quantity above the policy maximum" } },
    };

    public static async Task<JsonElement> ReleaseAsync(this HttpClient http, string id)
    {
        var response = await http.GetAsync($"/api/releases/{id}");
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET release: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    public static Task<JsonElement> WaitForReleaseAsync(this HttpClient http, string id, Func<JsonElement, bool> done, string what, int seconds = 90) =>
        MarketHost.WaitForAsync(() => http.ReleaseAsync(id), done, what, TimeSpan.FromSeconds(seconds));

    public static bool Ended(JsonElement release) => release.GetProperty("status").GetString() is "Completed" or "Failed" or "Terminated";

    public static string? PendingApproval(JsonElement release) => release.GetProperty("approvals").EnumerateArray()
        .Where(a => a.GetProperty("state").GetString() == "PENDING").Select(a => a.GetProperty("approval_id").GetString()).FirstOrDefault();

    /// <summary>A Trader approves and confirms <paramref name="approvalId"/>.</summary>
    public static async Task ApproveAsync(HttpClient trader, string approvalId)
    {
        var challenge = (await (await trader.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { })).ReadOkAsync("approve")).GetProperty("challenge").GetString();
        await (await trader.PostAsJsonAsync($"/api/approvals/{approvalId}/confirm", new { challenge })).ReadOkAsync("confirm");
    }

    /// <summary>
    /// Busy rules with every quantity doubled: a candidate that trades like the baseline, so a canary of it passes. (Equal
    /// quantities would not: risk refuses an order equal to one sent within a second as a duplicate, so the canary's
    /// orders would be refused as duplicates of the baseline's, which the judge rightly calls harm.)
    /// </summary>
    public static string ScaledBusyRules(string name) => ExecutionHost.BusyRules.Replace("\"busy-test\"", $"\"{name}\"")
        .Replace("\"0.0002\"", "\"0.0004\"").Replace("\"0.0003\"", "\"0.0006\"").Replace("\"0.002\"", "\"0.004\"").Replace("\"0.003\"", "\"0.006\"");

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
