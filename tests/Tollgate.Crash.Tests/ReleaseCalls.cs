using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tollgate.Crash.Tests;

/// <summary>
/// The HTTP calls a release on Paper takes, each one call of the host's API: governance (rules, maps, the four-eyes
/// activation), the release (start, view, controls, approvals) and what an auditor reads after it (the traffic split's
/// and the version map's records, the kill switch).
/// </summary>
internal static class ReleaseCalls
{
    public static async Task<JsonElement> ReadOkAsync(this HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public static async Task<JsonElement> GetOkAsync(this HttpClient http, string path) => await (await http.GetAsync(path)).ReadOkAsync($"GET {path}");

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds; a read that throws (a host still starting) is retried.</summary>
    public static async Task<JsonElement> WaitForAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done, string what, TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        string? error = null;
        while (true)
        {
            try
            {
                last = await read();
                error = null;
                if (done(last)) return last;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException
                                          or Xunit.Sdk.XunitException)
            {
                error = e.Message;
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s; last answer: " +
                                           $"{(last.ValueKind == JsonValueKind.Undefined ? "none" : last.ToString())} {error}\n{context?.Invoke()}");
            await Task.Delay(200);
        }
    }

    /// <summary>The order path is ROUTING: startup reconciliation done, rules can be linted against its instruments.</summary>
    public static Task<JsonElement> WaitForRoutingAsync(this HttpClient http, TimeSpan timeout, Func<string>? context = null) =>
        WaitForAsync(() => http.GetOkAsync("/api/execution"), e => e.GetProperty("state").GetString() == "ROUTING", "the order path ROUTING", timeout, context);

    // ---- governance ----

    public static async Task<string> LintAsync(this HttpClient http, string rules) =>
        (await (await http.PostAsync("/api/execution/rules/lint", Json(rules))).ReadOkAsync("lint")).GetProperty("rev").GetString()!;

    public static async Task<string> StoreObjectAsync(this HttpClient http, string text) =>
        (await (await http.PutAsync("/api/objects", new ByteArrayContent(Encoding.UTF8.GetBytes(text)))).ReadOkAsync("object put")).GetProperty("digest").GetString()!;

    /// <summary>Registers a Paper map trading <paramref name="rules"/> (and, for a candidate, governed by the release policy <paramref name="policyJson"/>); returns its id.</summary>
    public static async Task<string> RegisterPaperMapAsync(this HttpClient http, string rules, string code, string? policyJson = null)
    {
        var rev = await http.LintAsync(rules);
        var artifacts = new List<object> { new { name = "rules", @ref = rev, digest = await http.StoreObjectAsync(rules) } };
        var policy = "policy-none";
        if (policyJson is not null)
        {
            policy = Tollgate.Release.Policy.ReleasePolicyReader.Parse(policyJson).Rev;
            artifacts.Add(new { name = "policy", @ref = policy, digest = await http.StoreObjectAsync(policyJson) });
        }
        var registered = await (await http.PostAsJsonAsync("/api/version-maps", new
        {
            environment = "Paper", docs = "docs-crash", policy, model = "model-crash", config = rev, code,
            rulebook_snapshot_ref = await http.StoreObjectAsync($"rulebook for {code}"), artifacts,
        })).ReadOkAsync("register a Paper map");
        return registered.GetProperty("map").GetProperty("id").GetString()!;
    }

    /// <summary>The Operator asks, the Trader approves (two steps), the Operator activates <paramref name="mapId"/> on Paper.</summary>
    public static async Task ActivateOnPaperAsync(HttpClient operatorHttp, HttpClient traderHttp, string mapId)
    {
        var approval = await (await operatorHttp.PostAsJsonAsync("/api/approvals", new
        {
            subject = new { kind = "ACTIVATE_VERSION_MAP", environment = "Paper", reference = mapId }, reason = $"trade {mapId} on Paper",
        })).ReadOkAsync("approval request");
        var approvalId = approval.GetProperty("id").GetString()!;
        await ApproveAsync(traderHttp, approvalId);
        await (await operatorHttp.PostAsJsonAsync("/api/environments/Paper/version-map/activate", new { map_id = mapId, reason = "the baseline", approval_id = approvalId }))
            .ReadOkAsync("activate on Paper");
    }

    /// <summary>A Trader approves <paramref name="approvalId"/> and confirms it with the challenge.</summary>
    public static async Task ApproveAsync(HttpClient trader, string approvalId)
    {
        var challenge = (await (await trader.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { })).ReadOkAsync("approve")).GetProperty("challenge").GetString();
        await (await trader.PostAsJsonAsync($"/api/approvals/{approvalId}/confirm", new { challenge })).ReadOkAsync("confirm");
    }

    public static async Task<JsonElement> ActiveMapAsync(this HttpClient http) => await http.GetOkAsync("/api/environments/Paper/version-map");

    /// <summary>Every switch of Paper's Active Version Map, as the history endpoint lists them.</summary>
    public static async Task<List<JsonElement>> VersionMapSwitchesAsync(this HttpClient http) =>
        [.. (await http.GetOkAsync("/api/environments/Paper/version-map/history")).GetProperty("switches").EnumerateArray()];

    public static async Task<bool> KillSwitchEngagedAsync(this HttpClient http) => (await http.GetOkAsync("/api/kill-switch/Paper")).GetProperty("engaged").GetBoolean();

    /// <summary>
    /// Paper's whole traffic-split stream from the ledger: record n is the <c>traffic_split</c> entry with key
    /// <c>split-Paper:n</c> (10 digits), n from 1 until a key is not found.
    /// </summary>
    public static async Task<List<JsonElement>> SplitRecordsAsync(this HttpClient http)
    {
        var records = new List<JsonElement>();
        for (var n = 1; ; n++)
        {
            var key = $"split-Paper:{n.ToString("D10", CultureInfo.InvariantCulture)}";
            var response = await http.GetAsync($"/api/ledger/entries?key={Uri.EscapeDataString(key)}");
            if (response.StatusCode == HttpStatusCode.NotFound) return records;
            var entry = (await response.ReadOkAsync($"ledger entry {key}")).GetProperty("entry");
            Assert.Equal("traffic_split", entry.GetProperty("kind").GetString());
            records.Add(entry);
        }
    }

    // ---- the release ----

    /// <summary>CI starts a code release of <paramref name="candidateMap"/> on Paper with its passing report and the gates' inputs; returns the release id.</summary>
    public static async Task<string> StartReleaseAsync(this HttpClient pipeline, string candidateMap, string code, string reportDigest, string ciRun)
    {
        var started = await (await pipeline.PostAsJsonAsync("/api/releases", new
        {
            environment = "Paper", kind = "code", candidate_map = candidateMap,
            evidence = new { commit = code, ci_run_id = ciRun, ci_run_url = $"https://ci.example/runs/{ciRun}", test_report = reportDigest },
            gate_inputs = new
            {
                document_index = new[] { new { doc_key = "DEPLOY_OPS", version = "2025-12-19", status = "ACTIVE" }, new { doc_key = "RISK_COMPLIANCE", version = "v3", status = "ACTIVE" } },
                veto_reason_codes = new[] { new { code = "RISK_MAX_QTY", description = "order quantity above the policy maximum" } },
            },
        })).ReadOkAsync("start the release");
        return started.GetProperty("release_id").GetString()!;
    }

    public static Task<JsonElement> ReleaseAsync(this HttpClient http, string id) => http.GetOkAsync($"/api/releases/{id}");

    /// <summary>pause, resume, promote, promote-full or abort, with a reason.</summary>
    public static async Task<JsonElement> ControlAsync(this HttpClient http, string id, string action, string reason) =>
        await (await http.PostAsJsonAsync($"/api/releases/{id}/{action}", new { reason })).ReadOkAsync($"{action} {id}");

    public static bool Ended(JsonElement release) => release.GetProperty("status").GetString() is "Completed" or "Failed" or "Terminated";

    public static string? PendingApproval(JsonElement release) => release.GetProperty("approvals").EnumerateArray()
        .Where(a => a.GetProperty("state").GetString() == "PENDING").Select(a => a.GetProperty("approval_id").GetString()).FirstOrDefault();

    /// <summary>The canary's (or the pipeline's) progress: stage, state, step, weight.</summary>
    public static (string Stage, string State, int Step, int WeightBasisPoints) Progress(JsonElement release)
    {
        var p = release.GetProperty("progress");
        if (p.ValueKind != JsonValueKind.Object) return ("", "", 0, 0);
        return (p.GetProperty("stage").GetString()!, p.GetProperty("state").GetString()!, p.GetProperty("step").GetInt32(), p.GetProperty("weightBasisPoints").GetInt32());
    }

    public static List<Analysis> Analyses(JsonElement release) => [.. release.GetProperty("analyses").EnumerateArray().Select(a => new Analysis(
        a.GetProperty("analysis_id").GetString()!, a.GetProperty("step").GetInt32(), a.GetProperty("look").GetInt32(),
        a.GetProperty("window_start").GetDateTime(), a.GetProperty("window_end").GetDateTimeOffset(), a.GetProperty("decision").GetString()!))];

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

/// <summary>One look of the canary: <see cref="WindowEnd"/> is when it was taken (the orchestration's time at the look).</summary>
internal sealed record Analysis(string Id, int Step, int Look, DateTime WindowStart, DateTimeOffset WindowEnd, string Decision);
