using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tollgate.Release.Benchmarks.Rollback;

/// <summary>A host's HTTP API as one identity sees it: the calls a release manager, CI and a Trader make in this benchmark.</summary>
internal sealed class TollgateApi(string endpoint, string token) : IDisposable
{
    private readonly HttpClient http = Client(endpoint, token);

    public string Endpoint => endpoint;

    /// <summary><c>GET /api/health</c>'s status (PASS, WARN, FAIL), or null while the host does not answer.</summary>
    public async Task<string?> HealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("/api/health", cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary><c>GET /api/execution</c>, or null while the order path is starting (not 200).</summary>
    public async Task<JsonElement?> ExecutionAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/execution", cancellationToken);
        if (!response.IsSuccessStatusCode) return null;
        return await ReadAsync(response, "GET /api/execution", cancellationToken);
    }

    /// <summary><c>POST /api/execution/rules/lint</c>: the rules' rev (the config version a map names).</summary>
    public async Task<string> LintAsync(string rules, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, "/api/execution/rules/lint", new StringContent(rules, Encoding.UTF8, "application/json"), cancellationToken))
        .GetProperty("rev").GetString()!;

    /// <summary><c>PUT /api/objects</c>: the stored object's <c>sha256:</c> digest.</summary>
    public async Task<string> StoreObjectAsync(string text, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Put, "/api/objects", new ByteArrayContent(Encoding.UTF8.GetBytes(text)), cancellationToken)).GetProperty("digest").GetString()!;

    /// <summary><c>POST /api/version-maps</c> for Paper; returns the map id.</summary>
    public async Task<string> RegisterPaperMapAsync(string config, string policy, string code, string rulebookDigest, IEnumerable<object> artifacts,
        CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, "/api/version-maps", JsonContent.Create(new
        {
            environment = "Paper", docs = "docs-bench", policy, model = "model-bench", config, code, rulebook_snapshot_ref = rulebookDigest, artifacts,
        }), cancellationToken)).GetProperty("map").GetProperty("id").GetString()!;

    /// <summary><c>POST /api/approvals</c>: asks to activate <paramref name="mapId"/> on Paper; returns the approval id.</summary>
    public async Task<string> RequestActivationAsync(string mapId, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, "/api/approvals", JsonContent.Create(new
        {
            subject = new { kind = "ACTIVATE_VERSION_MAP", environment = "Paper", reference = mapId }, reason = $"rollback benchmark baseline {mapId}",
        }), cancellationToken)).GetProperty("id").GetString()!;

    /// <summary>The two-step approval: approve (answers a challenge), then confirm with it.</summary>
    public async Task ApproveAsync(string approvalId, CancellationToken cancellationToken)
    {
        var challenge = (await SendAsync(HttpMethod.Post, $"/api/approvals/{approvalId}/approve", JsonContent.Create(new { }), cancellationToken))
            .GetProperty("challenge").GetString();
        await SendAsync(HttpMethod.Post, $"/api/approvals/{approvalId}/confirm", JsonContent.Create(new { challenge }), cancellationToken);
    }

    public Task ActivateOnPaperAsync(string mapId, string approvalId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "/api/environments/Paper/version-map/activate",
            JsonContent.Create(new { map_id = mapId, reason = "rollback benchmark baseline", approval_id = approvalId }), cancellationToken);

    /// <summary><c>POST /api/releases</c> (a Pipeline identity): a code release of <paramref name="mapId"/>; returns the release id.</summary>
    public async Task<string> StartReleaseAsync(string mapId, string commit, string ciRun, string testReportDigest, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, "/api/releases", JsonContent.Create(new
        {
            environment = "Paper", kind = "code", candidate_map = mapId,
            evidence = new { commit, ci_run_id = ciRun, ci_run_url = $"https://ci.example/runs/{ciRun}", test_report = testReportDigest },
            // What CI sends the gates: the document index and the policy's veto codes.
            gate_inputs = new
            {
                document_index = new[]
                {
                    new { doc_key = "DEPLOY_OPS", version = "2025-12-19", status = "ACTIVE" }, new { doc_key = "RISK_COMPLIANCE", version = "v3", status = "ACTIVE" },
                },
                veto_reason_codes = new[] { new { code = "RISK_MAX_QTY", description = "order quantity above the policy maximum" } },
            },
        }), cancellationToken)).GetProperty("release_id").GetString()!;

    /// <summary><c>GET /api/releases/{id}</c>: stages, canary progress, the current split, the rollback and the result.</summary>
    public Task<JsonElement> ReleaseAsync(string id, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, $"/api/releases/{id}", null, cancellationToken);

    /// <summary><c>POST /api/releases/{id}/abort</c> with a reason (recorded with the actor).</summary>
    public Task AbortAsync(string id, string reason, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/api/releases/{id}/abort", JsonContent.Create(new { reason }), cancellationToken);

    public void Dispose() => http.Dispose();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, $"{method} {path}", cancellationToken);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new BenchmarkFailure($"{what}: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    private static HttpClient Client(string endpoint, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(endpoint), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}

/// <summary>The benchmark cannot measure what it set out to: a step failed or a rollback was not complete. Never caught as a result.</summary>
internal sealed class BenchmarkFailure(string message) : Exception(message);
