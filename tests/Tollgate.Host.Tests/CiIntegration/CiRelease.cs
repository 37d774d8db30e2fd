using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>What CI does before it asks a gate: store the release's policy and rulebook, register its version map; and the gate request bodies.</summary>
public static class CiRelease
{
    public static readonly object[] DocumentIndex =
    [
        new { doc_key = "000", version = "1.4", status = "ACTIVE" },
        new { doc_key = "000", version = "1.3", status = "SUPERSEDED" },
        new { doc_key = "003", version = "2.0", status = "ACTIVE" },
    ];

    public static readonly object[] VetoReasonCodes =
    [
        new { code = "RISK-LIMIT-01", description = "Position limit exceeded" },
        new { code = "RISK-DRAWDOWN-02", description = "Daily drawdown limit reached" },
    ];

    /// <summary>A full 40-digit lowercase commit hash, as GitHub's deployment.sha and $GITHUB_SHA are.</summary>
    public static string NewSha() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    /// <summary>PUT /api/objects; returns the digest (sha256:&lt;hex&gt;).</summary>
    public static async Task<string> StoreObjectAsync(HttpClient ci, string content)
    {
        var response = await ci.PutAsync("/api/objects", new ByteArrayContent(Encoding.UTF8.GetBytes(content)));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("digest").GetString()!;
    }

    /// <summary>
    /// POST /api/version-maps with code = <paramref name="sha"/>; returns the map id. With <paramref name="storeObjects"/> false the
    /// policy and rulebook digests name objects that were never stored, so RISK_COMPLIANCE vetoes.
    /// </summary>
    public static async Task<string> RegisterMapAsync(HttpClient ci, string environment, string sha, bool storeObjects = true, string config = "config-12")
    {
        var policyText = $"policy for {sha}: max position 10 lots\n";
        var rulebookText = $"rulebook snapshot for {sha}\n";
        var policy = storeObjects ? await StoreObjectAsync(ci, policyText) : Digest(policyText);
        var rulebook = storeObjects ? await StoreObjectAsync(ci, rulebookText) : Digest(rulebookText);
        var body = JsonSerializer.Serialize(new
        {
            environment,
            docs = "docs-2026.11",
            policy = "policy-7",
            model = "model-3.1",
            config,
            code = sha,
            rulebook_snapshot_ref = rulebook,
            artifacts = new[] { new { name = "policy", @ref = "policy-7", digest = policy } },
        });
        var response = await ci.PostAsync("/api/version-maps", Support.Api.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("map").GetProperty("id").GetString()!;
    }

    /// <summary>A gate request body as docs/CI.md shows it.</summary>
    public static string GateBody(string environment, string release, string? mapId, bool documents = true, bool vetoCodes = true) => JsonSerializer.Serialize(new
    {
        environment,
        release_id = release,
        version_map_id = mapId,
        document_index = documents ? DocumentIndex : null,
        veto_reason_codes = vetoCodes ? VetoReasonCodes : null,
    });

    /// <summary>Every entry of the host's ledger, in order (the <c>entry</c> member of GET /api/ledger/entries/{index}).</summary>
    public static async Task<List<JsonElement>> LedgerEntriesAsync(HttpClient reader)
    {
        var entries = new List<JsonElement>();
        for (var index = 0; ; index++)
        {
            var response = await reader.GetAsync($"/api/ledger/entries/{index}");
            if (!response.IsSuccessStatusCode) return entries;
            entries.Add((await response.ReadJsonAsync()).GetProperty("entry"));
        }
    }

    public static IEnumerable<JsonElement> OfKind(this IEnumerable<JsonElement> entries, string kind) =>
        entries.Where(entry => entry.GetProperty("kind").GetString() == kind);

    private static string Digest(string content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
