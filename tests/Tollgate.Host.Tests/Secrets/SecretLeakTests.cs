using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Secrets;

/// <summary>
/// Plants known secret values in a host on Azurite (the storage account key, the local token key, the GitHub webhook
/// secret and private key, and the ledger signing key it creates), drives every kind of endpoint — the normal paths,
/// the refusals, and requests that carry the secrets themselves in bodies, paths, queries and headers — and then
/// scans every log line, every response (status line, headers, body) and every ledger entry for any of them.
/// </summary>
public sealed class SecretLeakTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string WebhookSecret = "gh-webhook-secret-3f1c9a7e5b2d4086";
    private readonly string privateKeyPem = RSA.Create(2048).ExportPkcs8PrivateKeyPem();
    private readonly List<string> seen = [];
    private HostFactory host = null!;
    private string dataDir = null!;

    public async Task InitializeAsync()
    {
        dataDir = Directory.CreateTempSubdirectory("tollgate-secret-leak-").FullName;
        host = new HostFactory()
            .With("AzureWebJobsStorage", azurite.ConnectionString)
            .With("TOLLGATE_TASK_HUB", "leak" + Guid.NewGuid().ToString("N")[..10])
            .With("TOLLGATE_DATA_DIR", dataDir)
            .With("Tollgate:GitHub:AppId", "4242")
            .With("Tollgate:GitHub:ApiUrl", $"http://127.0.0.1:{Support.Api.ClosedPort()}/")
            .With("Tollgate:GitHub:Environments", "production=Live")
            .With("Tollgate:GitHub:WebhookSecret", WebhookSecret)
            .With("Tollgate:GitHub:PrivateKey", privateKeyPem);
        await LedgerApiTests.WaitForLedgerAsync(host.Http());
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task No_planted_secret_reaches_a_log_line_a_response_or_the_ledger()
    {
        var secrets = Secrets();
        var operatorHttp = host.As("olivia", Role.Operator, Role.Pipeline);
        var trader = host.As("tariq", Role.Trader);
        var auditor = host.As("aiko", Role.Auditor);

        // Normal governance paths.
        var rulebook = await ReadAsync(await operatorHttp.PutAsync("/api/objects", new ByteArrayContent("rulebook"u8.ToArray())));
        var digest = rulebook.GetProperty("digest").GetString();
        var map = await ReadAsync(await operatorHttp.PostAsJsonAsync("/api/version-maps", new
        {
            environment = "Research", docs = "d", policy = "p", model = "m", config = "c", code = "leak",
            rulebook_snapshot_ref = digest, artifacts = Array.Empty<object>(),
        }));
        var mapId = map.GetProperty("map").GetProperty("id").GetString();
        await ReadAsync(await operatorHttp.PostAsJsonAsync("/api/environments/Research/version-map/activate", new { map_id = mapId, reason = "first" }));
        await ReadAsync(await operatorHttp.PostAsJsonAsync("/api/gates/evaluations", new { environment = "Research", release_id = "leak-1", version_map_id = mapId }));
        var approval = await ReadAsync(await operatorHttp.PostAsJsonAsync("/api/approvals", new
        {
            subject = new { kind = "ACTIVATE_VERSION_MAP", environment = "Paper", reference = mapId }, reason = "probe",
        }));
        var approvalId = approval.GetProperty("id").GetString();
        var challenge = (await ReadAsync(await trader.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { }))).GetProperty("challenge").GetString();
        await ReadAsync(await trader.PostAsJsonAsync($"/api/approvals/{approvalId}/confirm", new { challenge }));
        await ReadAsync(await operatorHttp.PostAsJsonAsync("/api/kill-switch/Research/engage", new { reason = "drill" }));
        await ReadAsync(await operatorHttp.PostAsJsonAsync("/api/kill-switch/Research/release", new { reason = "drill over" }));
        await ReadAsync(await operatorHttp.PostAsJsonAsync("/api/kill-switch/Paper/preflight", new { }));
        await ReadAsync(await auditor.GetAsync("/api/settings"));
        await ReadAsync(await operatorHttp.PostAsync("/api/orchestrations/EngineTour", Support.Api.Json("""{"steps":1,"fanOut":1,"timerSeconds":0}""")));

        // Every planted secret thrown at the host where input could be echoed, logged or recorded.
        foreach (var secret in secrets)
        {
            var escaped = Uri.EscapeDataString(secret);
            await ReadAsync(await operatorHttp.PostAsJsonAsync("/api/kill-switch/Research/engage", new { reason = secret }));
            await ReadAsync(await operatorHttp.PostAsJsonAsync("/api/approvals", new
            {
                subject = new { kind = "ACTIVATE_VERSION_MAP", environment = "Research", reference = mapId }, reason = secret,
            }));
            await ReadAsync(await operatorHttp.PostAsync("/api/version-maps", Support.Api.Json($$"""{"environment":{{JsonSerializer.Serialize(secret)}}}""")));
            await ReadAsync(await operatorHttp.PostAsync($"/api/orchestrations/{escaped}", Support.Api.Json("{}")));
            await ReadAsync(await operatorHttp.PostAsync($"/api/orchestrations/EngineTour?instanceId={escaped}", Support.Api.Json(JsonSerializer.Serialize(new { subject = secret }))));
            await ReadAsync(await operatorHttp.GetAsync($"/api/ledger/entries?key={escaped}"));
            await ReadAsync(await operatorHttp.GetAsync($"/api/gates/VERSION_AUDIT/evaluations/{escaped}"));
            await ReadAsync(await operatorHttp.PostAsync("/api/ledger/entries", Support.Api.Json($$"""{"actor":"olivia","note":{{JsonSerializer.Serialize(secret)}}}""")));
            await ReadAsync(await host.Http(secret).GetAsync("/api/auth/whoami"));
            var entry = Encoding.UTF8.GetString(LedgerEntries.Evidence("leak:" + Guid.NewGuid().ToString("N")).Bytes)
                .Replace("\"dr.wal_recovery\"", JsonSerializer.Serialize(secret), StringComparison.Ordinal);
            await ReadAsync(await host.As("tester", Role.Operator).PostAsync("/api/ledger/entries", Support.Api.Json(entry)));
        }

        // The GitHub webhook: signed with the planted secret (the callback host is closed, so it ends 502), and forged.
        var hook = JsonSerializer.Serialize(new
        {
            action = "requested", environment = "production", @event = "push",
            deployment_callback_url = $"http://127.0.0.1:{Support.Api.ClosedPort()}/repos/o/r/actions/runs/1/deployment_protection_rule",
            deployment = new { sha = "0123456789abcdef0123456789abcdef01234567" }, installation = new { id = 7 },
        });
        foreach (var signature in new[] { Sign(hook, WebhookSecret), "sha256=" + new string('0', 64), WebhookSecret })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/deployment-protection") { Content = Support.Api.Json(hook) };
            request.Headers.Add("X-GitHub-Event", "deployment_protection_rule");
            request.Headers.Add("X-Hub-Signature-256", signature);
            await ReadAsync(await host.Anonymous().SendAsync(request));
        }

        // The ledger signing key only exists once the host made it; add its lines too.
        var pem = await File.ReadAllTextAsync(Path.Combine(dataDir, "ledger-signing-key.pem"));
        secrets.AddRange(PemLines(pem));

        seen.AddRange(host.Logs.Lines);
        seen.AddRange(await LedgerEntriesAsync(auditor));
        Assert.NotEmpty(seen);
        var leaks = secrets.SelectMany(secret => seen.Where(text => text.Contains(secret, StringComparison.Ordinal))
            .Select(text => $"{secret[..6]}… in: {text[..Math.Min(200, text.Length)]}")).ToList();
        Assert.True(leaks.Count == 0, "secrets leaked:\n" + string.Join("\n", leaks.Take(20)));
    }

    /// <summary>The planted values, and the pieces they would leak as (each line of a PEM body).</summary>
    private List<string> Secrets()
    {
        var accountKey = azurite.ConnectionString.Split(';').Select(part => part.Split('=', 2)).First(part => part[0] == "AccountKey")[1];
        return [accountKey, host.Tokens.KeyBase64, WebhookSecret, .. PemLines(privateKeyPem)];
    }

    private static IEnumerable<string> PemLines(string pem) =>
        pem.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith("-----", StringComparison.Ordinal));

    private async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        seen.Add($"{(int)response.StatusCode} {response.ReasonPhrase}\n{response.Headers}{response.Content.Headers}\n{body}");
        Assert.True((int)response.StatusCode < 500 || response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable,
            $"{(int)response.StatusCode}: {body}");
        try { return JsonDocument.Parse(body).RootElement.Clone(); }
        catch (JsonException) { return default; }
    }

    private static async Task<List<string>> LedgerEntriesAsync(HttpClient http)
    {
        var note = await http.GetStringAsync("/api/ledger/checkpoint");
        var size = long.Parse(note.Split('\n')[1]);
        var entries = new List<string>();
        for (var index = 0; index < size; index++) entries.Add(await http.GetStringAsync($"/api/ledger/entries/{index}"));
        Assert.True(entries.Count > 10, $"the scenario recorded only {entries.Count} ledger entries");
        return entries;
    }

    private static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
