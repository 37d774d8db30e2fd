using System.Net;
using System.Text.Json;
using Tollgate.Cli;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Host.Tests.Support;
using Tollgate.Ledger.Merkle;

namespace Tollgate.Host.Tests.Ledger;

/// <summary>
/// <c>tollgate ledger verify|prove|consistency|export</c> as an auditor runs them: against the storage account a
/// real host wrote (Azurite), and against an exported folder, offline; tampering is caught with its index.
/// </summary>
public sealed class LedgerCliTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly string hub = AzuriteFixture.NewTaskHub("ledgercli");
    private readonly string exportDir = Path.Combine(Path.GetTempPath(), "tollgate-ledger-cli", Guid.NewGuid().ToString("N"));
    private HostFactory host = null!;

    public async Task InitializeAsync()
    {
        host = new HostFactory().With("AzureWebJobsStorage", azurite.ConnectionString).With("TOLLGATE_TASK_HUB", hub);
        var http = host.Http();
        await LedgerApiTests.WaitForLedgerAsync(http);
        for (var i = 0; i < 40; i++)
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/ledger/entries", LedgerEntries.Body(LedgerEntries.Evidence($"evidence:cli:{i}", $"corr-{i % 4}")))).StatusCode);
        // The lookup index is written behind the writer; wait until it has every entry.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var found = JsonDocument.Parse(await http.GetStringAsync("/api/ledger/entries?correlation=corr-3")).RootElement;
            if (found.GetProperty("indexLag").GetInt64() == 0) break;
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        foreach (var folder in new[] { exportDir, exportDir + "-in", exportDir + "-bundle" })
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private sealed record Run(int ExitCode, string Out, string Error);

    private static async Task<Run> TollgateAsync(params string[] args) => await RunAsync(endpoint => new HttpClient { BaseAddress = endpoint }, args);

    /// <summary>A command that goes through the host (bundle create), against the in-process server.</summary>
    private Task<Run> ThroughHostAsync(params string[] args) =>
        RunAsync(endpoint => new HttpClient(host.Server.CreateHandler()) { BaseAddress = endpoint }, ["--endpoint", "http://localhost", .. args],
            host.Tokens.For(HostFactory.DefaultSubject, Governance.Identity.Role.Operator));

    private static async Task<Run> RunAsync(Func<Uri, HttpClient> client, string[] args, string? token = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await TollgateCli.RunAsync(args, new CliContext(output, error, client) { TokenFromEnvironment = token });
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_bundle_sealed_through_the_host_verifies_from_storage_and_exports()
    {
        var config = Path.Combine(exportDir + "-in", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        await File.WriteAllTextAsync(config, """{"max_order_qty":"0.5"}""");
        var create = await ThroughHostAsync("bundle", "create", "--event-ref", "deploy-7", "--environment", "Paper",
            "--member", $"config={config}", "--ledger-index", "3", "--ledger-index", "5");
        Assert.True(create.ExitCode == 0, create.Out + create.Error);
        Assert.Contains("not yet replayable: missing", create.Out);
        var hash = System.Text.RegularExpressions.Regex.Match(create.Out, "sealed bundle ([0-9a-f]{64})").Groups[1].Value;

        var verify = await TollgateAsync("bundle", "verify", hash, "--storage", azurite.ConnectionString, "--hub", hub);
        Assert.True(verify.ExitCode == 0, verify.Out + verify.Error);
        var incomplete = await TollgateAsync("bundle", "verify", hash, "--storage", azurite.ConnectionString, "--hub", hub, "--require-complete");
        Assert.Equal(1, incomplete.ExitCode);
        Assert.Contains("BUNDLE_INCOMPLETE", incomplete.Error);

        var folder = Path.Combine(exportDir + "-bundle");
        var export = await TollgateAsync("bundle", "export", hash, folder, "--storage", azurite.ConnectionString, "--hub", hub);
        Assert.True(export.ExitCode == 0, export.Out + export.Error);
        Assert.Equal("""{"max_order_qty":"0.5"}""", await File.ReadAllTextAsync(Path.Combine(folder, "members", "config", "config.json")));

        // The bundle's manifest hash is itself a ledger entry.
        var byKey = JsonDocument.Parse(await host.Http().GetStringAsync($"/api/ledger/entries?key=bundle:{hash}")).RootElement;
        Assert.Equal(hash, byKey.GetProperty("entry").GetProperty("payload").GetProperty("manifest_sha256").GetString());

        var refused = await ThroughHostAsync("bundle", "create", "--event-ref", "deploy-7", "--member", $"nonsense={config}");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("BUNDLE_UNKNOWN_ROLE", refused.Error);
    }

    [Fact]
    public async Task Verify_from_storage_passes_and_reports_what_it_checked()
    {
        var run = await TollgateAsync("ledger", "verify", "--storage", azurite.ConnectionString, "--hub", hub);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("verified: 40 entries", run.Out);
        Assert.DoesNotContain(AzuriteFixture.DevelopmentAccountKey, run.Out + run.Error);
    }

    [Fact]
    public async Task Prove_prints_an_inclusion_proof_that_verifies_and_consistency_a_consistency_proof()
    {
        var prove = await TollgateAsync("ledger", "prove", "evidence:cli:17", "--storage", azurite.ConnectionString, "--hub", hub);
        Assert.True(prove.ExitCode == 0, prove.Out + prove.Error);
        var proof = JsonDocument.Parse(prove.Out).RootElement;
        Assert.Equal(17, proof.GetProperty("index").GetInt64());
        MerkleProofs.VerifyInclusion(17, proof.GetProperty("tree_size").GetInt64(), Convert.FromHexString(proof.GetProperty("leaf_hash").GetString()!),
            [.. proof.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!))], Convert.FromHexString(proof.GetProperty("root_hash").GetString()!));

        var consistency = await TollgateAsync("ledger", "consistency", "10", "40", "--storage", azurite.ConnectionString, "--hub", hub);
        Assert.True(consistency.ExitCode == 0, consistency.Out + consistency.Error);
        var body = JsonDocument.Parse(consistency.Out).RootElement;
        MerkleProofs.VerifyConsistency(10, 40, [.. body.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!))],
            Convert.FromHexString(body.GetProperty("root1").GetString()!), Convert.FromHexString(body.GetProperty("root2").GetString()!));

        var missing = await TollgateAsync("ledger", "prove", "no-such-key", "--storage", azurite.ConnectionString, "--hub", hub);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("LEDGER_NOT_FOUND", missing.Error);
    }

    [Fact]
    public async Task An_export_verifies_offline_and_a_flipped_byte_in_it_fails_naming_the_entry()
    {
        var export = await TollgateAsync("ledger", "export", exportDir, "--storage", azurite.ConnectionString, "--hub", hub);
        Assert.True(export.ExitCode == 0, export.Out + export.Error);
        var key = (await File.ReadAllTextAsync(Path.Combine(exportDir, "verifier-key.txt"))).Trim();

        var clean = await TollgateAsync("ledger", "verify", "--dir", exportDir, "--key", key);
        Assert.True(clean.ExitCode == 0, clean.Out + clean.Error);
        Assert.Contains("verified: 40 entries", clean.Out);

        var segment = Directory.GetFiles(Path.Combine(exportDir, "segments")).Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        var lines = bytes.Select((b, i) => (b, i)).Where(p => p.b == (byte)'\n').Select(p => p.i).ToArray();
        var target = lines[22] + 30; // inside entry 23
        bytes[target] = bytes[target] == (byte)'a' ? (byte)'b' : (byte)'a';
        await File.WriteAllBytesAsync(segment, bytes);

        var tampered = await TollgateAsync("ledger", "verify", "--dir", exportDir, "--key", key);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("index 23", tampered.Error);

        var exportAgain = await TollgateAsync("ledger", "export", exportDir, "--storage", azurite.ConnectionString, "--hub", hub);
        Assert.Equal(2, exportAgain.ExitCode);
        Assert.Contains("LEDGER_EXPORT_TARGET_NOT_EMPTY", exportAgain.Error);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_and_unreachable_storage_exits_3()
    {
        var neither = await TollgateAsync("ledger", "verify", "--storage", "", "--hub", hub);
        Assert.Equal(2, neither.ExitCode);
        var noFolder = await TollgateAsync("ledger", "verify", "--dir", "/no/such/folder");
        Assert.Equal(2, noFolder.ExitCode);
        Assert.Contains("LEDGER_NOT_FOUND", noFolder.Error);
        var unreachable = await TollgateAsync("ledger", "verify", "--storage",
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AzuriteFixture.DevelopmentAccountKey + ";BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;", "--hub", hub);
        Assert.Equal(3, unreachable.ExitCode);
        Assert.DoesNotContain(AzuriteFixture.DevelopmentAccountKey, unreachable.Error);
    }
}
