using System.Net;
using System.Text;
using Tollgate.Governance.Environments;
using Tollgate.Host.Tests.Security;

namespace Tollgate.Host.Tests.GovernanceApi;

/// <summary>
/// Everything governance has persisted that the API can show: the ledger's size, the approvals, every kill switch,
/// and each environment's active version map and switch history. Two snapshots are equal when nothing was persisted.
/// </summary>
public sealed record GovernanceState(long LedgerSize, string Approvals, string KillSwitches, string VersionMaps)
{
    public static async Task<GovernanceState> ReadAsync(HttpClient reader)
    {
        var maps = new StringBuilder();
        foreach (var environment in EnvironmentCatalog.All)
        {
            maps.Append(environment).Append(" active: ").AppendLine(await ReadAsync(reader, $"/api/environments/{environment}/version-map", HttpStatusCode.NotFound));
            maps.Append(environment).Append(" history: ").AppendLine(await ReadAsync(reader, $"/api/environments/{environment}/version-map/history"));
        }
        return new GovernanceState(await new LedgerTrail(reader).SizeAsync(), await ReadAsync(reader, "/api/approvals"), await ReadAsync(reader, "/api/kill-switch"),
            maps.ToString());
    }

    private static async Task<string> ReadAsync(HttpClient reader, string path, HttpStatusCode? alsoFine = null)
    {
        var response = await reader.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK || response.StatusCode == alsoFine, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return $"{(int)response.StatusCode} {body}";
    }
}

/// <summary>Valid request bodies, for setting a scene and as the base bad bodies are made from.</summary>
public static class GovernanceBodies
{
    public static readonly string Zeros = new('0', 64);

    public static string Map(string environment, string code = "c0ffee") =>
        $$"""{"environment":"{{environment}}","docs":"docs-7","policy":"policy-3","model":"model-2","config":"config-9","code":"{{code}}","rulebook_snapshot_ref":"sha256:{{Zeros}}","artifacts":[{"name":"engine","ref":"ghcr.io/tollgate/engine:1","digest":"sha256:{{Zeros}}"}]}""";

    public static string Approval(string environment, string kind = "ACTIVATE_VERSION_MAP", string reference = "vm-0123456789abcdef") =>
        $$"""{"subject":{"kind":"{{kind}}","environment":"{{environment}}","reference":"{{reference}}"},"reason":"ship it"}""";

    public static string Gate(string environment, string release = "release-1") => $$"""{"environment":"{{environment}}","release_id":"{{release}}"}""";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
