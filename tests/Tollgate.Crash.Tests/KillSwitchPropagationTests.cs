using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tollgate.Durable.AzureStorage.Tests;

namespace Tollgate.Crash.Tests;

/// <summary>
/// Two real hosts on one Azurite task hub: a kill-switch change made through one is enforced by the other, pushed (a
/// signed engagement applies at once) or polled; a forged push changes nothing.
/// </summary>
public sealed class KillSwitchPropagationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("tollgate-kill-").FullName;

    [Fact]
    public async Task An_engagement_through_one_host_is_enforced_by_the_other_and_so_is_its_release()
    {
        var taskHub = "kill" + Guid.NewGuid().ToString("N")[..10];
        await using var a = await HostProcess.StartAsync(azurite.ConnectionString, taskHub, Path.Combine(_workDir, "effects"), "host-a");
        await using var b = await HostProcess.StartAsync(azurite.ConnectionString, taskHub, Path.Combine(_workDir, "effects"), "host-b");

        var engaged = await a.Http.PostAsJsonAsync("/api/kill-switch/Research/engage", new { reason = "drill", reason_codes = new[] { "EXE-KILL-DRILL" } });
        Assert.True(engaged.IsSuccessStatusCode, await engaged.Content.ReadAsStringAsync());
        var onB = await WaitForAsync(b, engagedState: true);
        Assert.Equal("drill", onB.GetProperty("reason").GetString());

        var released = await a.Http.PostAsJsonAsync("/api/kill-switch/Research/release", new { reason = "drill over" });
        Assert.True(released.IsSuccessStatusCode, await released.Content.ReadAsStringAsync());
        await WaitForAsync(b, engagedState: false);
    }

    [Fact]
    public async Task A_signed_engagement_applies_at_once_and_a_forged_one_changes_nothing()
    {
        var taskHub = "push" + Guid.NewGuid().ToString("N")[..10];
        await using var host = await HostProcess.StartAsync(azurite.ConnectionString, taskHub, Path.Combine(_workDir, "effects"), "host-p");
        var at = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
        var push = new Dictionary<string, object>
        {
            ["environment"] = "Simulation", ["sequence"] = 0, ["actor"] = "peer-host", ["at"] = at, ["reason"] = "pushed", ["reason_codes"] = Array.Empty<string>(),
        };

        // Anyone can reach the notify endpoint; without the hosts' key a push is only a hint to read storage.
        var forged = new Dictionary<string, object>(push) { ["signature"] = new string('0', 64) };
        Assert.Equal(HttpStatusCode.NoContent, (await new HttpClient().PostAsJsonAsync(new Uri(host.Http.BaseAddress!, "/api/kill-switch/notify"), forged)).StatusCode);
        Assert.False(await EngagedAsync(host, "Simulation"));

        var key = PushKey(await File.ReadAllTextAsync(Path.Combine(_workDir, "ledger-signing-key.pem")));
        var text = string.Join('\n', "Simulation", 0, "peer-host", at, "pushed", "");
        var signed = new Dictionary<string, object>(push) { ["signature"] = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text))) };
        Assert.Equal(HttpStatusCode.NoContent, (await new HttpClient().PostAsJsonAsync(new Uri(host.Http.BaseAddress!, "/api/kill-switch/notify"), signed)).StatusCode);
        Assert.True(await EngagedAsync(host, "Simulation"));
    }

    /// <summary>The key hosts sign pushes with: HKDF-SHA256 of the ledger signing key's PKCS#8 DER (docs/GOVERNANCE.md §6).</summary>
    private static byte[] PushKey(string pem) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(pem[PemEncoding.Find(pem).Base64Data]), 32, info: "tollgate/kill-switch-push"u8.ToArray());

    private static async Task<bool> EngagedAsync(HostProcess host, string environment) =>
        (await host.Http.GetFromJsonAsync<JsonElement>($"/api/kill-switch/{environment}")).GetProperty("engaged").GetBoolean();

    private static async Task<JsonElement> WaitForAsync(HostProcess host, bool engagedState)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            var state = await host.Http.GetFromJsonAsync<JsonElement>("/api/kill-switch/Research");
            if (state.GetProperty("engaged").GetBoolean() == engagedState) return state;
        }
        throw new TimeoutException($"host never saw engaged={engagedState}\n{host.Output}");
    }

    public void Dispose() => Directory.Delete(_workDir, recursive: true);
}
