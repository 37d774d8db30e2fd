using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Ledger.AzureStorage;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Verification;
using Tollgate.Ledger.Writing;

namespace Tollgate.Crash.Tests;

/// <summary>
/// Kills a real host with SIGKILL while its ledger writer is in a group commit, starts another on the same
/// storage, retries every append the clients never saw answered, and checks what an auditor would: the
/// ledger verifies, every acknowledged entry is where its receipt said, and no entry is stored twice.
/// </summary>
public sealed class LedgerCrashTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("tollgate-ledger-crash-").FullName;

    [Fact]
    public async Task A_block_stored_without_its_checkpoint_is_checkpointed_after_SIGKILL_and_retries_store_nothing_twice()
    {
        var taskHub = "lcrash" + Guid.NewGuid().ToString("N")[..10];
        var entries = Entries(taskHub, 200);
        string verifierKey;
        ConcurrentDictionary<string, long> acknowledged = new();

        await using (var doomed = await StartHostAsync(taskHub, "host-a", LedgerFaultPoints.AfterBlockBeforeCheckpoint))
        {
            verifierKey = await doomed.Http.GetStringAsync("/api/ledger/verifier-key");
            var appends = entries.Select(entry => TryAppendAsync(doomed, entry, acknowledged)).ToList();
            Assert.Equal(LedgerFaultPoints.AfterBlockBeforeCheckpoint, await doomed.CrashPointReached.WaitAsync(TimeSpan.FromSeconds(60)));
            await doomed.KillAsync();
            await Task.WhenAll(appends);
        }
        // The first block reached the segment and its checkpoint never did: no append may have been acknowledged.
        Assert.Empty(acknowledged);

        await using var survivor = await StartHostAsync(taskHub, "host-b");
        var orphaned = await CheckpointSizeAsync(survivor);
        Assert.True(orphaned > 0, "the survivor should have checkpointed the block the killed host wrote");

        var retried = await AppendAllAsync(survivor, entries);
        Assert.Equal(orphaned, retried.Count(receipt => receipt.Existing));
        Assert.Equal(Enumerable.Range(0, entries.Length).Select(i => (long)i), retried.Select(receipt => receipt.Index).Order());
        await AssertLedgerVerifiesAsync(taskHub, verifierKey, entries.Length);
    }

    [Fact]
    public async Task Every_acknowledged_append_survives_SIGKILL_under_load_and_none_is_stored_twice()
    {
        var taskHub = "lload" + Guid.NewGuid().ToString("N")[..10];
        var entries = Entries(taskHub, 20_000);
        var attempted = 0;
        string verifierKey;
        ConcurrentDictionary<string, long> acknowledged = new();

        await using (var doomed = await StartHostAsync(taskHub, "host-a"))
        {
            verifierKey = await doomed.Http.GetStringAsync("/api/ledger/verifier-key");
            // Clients append one entry after another, each waiting for its answer, until the host dies under them.
            var clients = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
            {
                for (var next = Interlocked.Increment(ref attempted) - 1; next < entries.Length; next = Interlocked.Increment(ref attempted) - 1)
                    if (!await TryAppendAsync(doomed, entries[next], acknowledged)) return;
            })).ToList();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (acknowledged.Count < 500 && DateTime.UtcNow < deadline) await Task.Delay(10);
            await doomed.KillAsync();
            await Task.WhenAll(clients);
        }
        Assert.True(acknowledged.Count >= 500, $"only {acknowledged.Count} appends were acknowledged before the kill");
        var sent = Math.Min(attempted, entries.Length);
        Assert.True(sent < entries.Length, "the host should have died before every entry was sent");

        await using var survivor = await StartHostAsync(taskHub, "host-b");
        // Every receipt a client was given still holds: same entry, same index.
        var retried = await AppendAllAsync(survivor, entries[..sent]);
        foreach (var receipt in retried.Where(receipt => acknowledged.ContainsKey(receipt.Key)))
        {
            Assert.True(receipt.Existing, $"acknowledged entry '{receipt.Key}' was lost");
            Assert.Equal(acknowledged[receipt.Key], receipt.Index);
        }
        Assert.Equal(Enumerable.Range(0, sent).Select(i => (long)i), retried.Select(receipt => receipt.Index).Order());
        await AssertLedgerVerifiesAsync(taskHub, verifierKey, sent);
    }

    private Task<HostProcess> StartHostAsync(string taskHub, string hostId, string? crashAt = null) =>
        HostProcess.StartAsync(azurite.ConnectionString, taskHub, Path.Combine(_workDir, "effects"), hostId, crashAt);

    private static LedgerEntry[] Entries(string run, int count) => [.. Enumerable.Range(0, count).Select(i => LedgerEntry.Create(
        new LedgerEntryFields("order_path", $"{run}:intent-{i}:pre", new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero).AddMilliseconds(i),
            "router", $"intent-{i}", "Paper", []),
        new JsonObject { ["phase"] = "PRE", ["intent_id"] = $"intent-{i}", ["step"] = "risk_check", ["qty"] = "0.0150" }))];

    /// <summary>Appends once; records the receipt if the host answered. False when the host is gone.</summary>
    private static async Task<bool> TryAppendAsync(HostProcess host, LedgerEntry entry, ConcurrentDictionary<string, long> acknowledged)
    {
        try
        {
            var response = await host.Http.PostAsync("/api/ledger/entries", Body(entry));
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
            {
                var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
                acknowledged[entry.Key] = receipt.GetProperty("index").GetInt64();
            }
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return false;
        }
    }

    private static async Task<Receipt[]> AppendAllAsync(HostProcess host, LedgerEntry[] entries)
    {
        var receipts = new Receipt[entries.Length];
        await Parallel.ForAsync(0, entries.Length, new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (i, _) => receipts[i] = await AppendAsync(host, entries[i]));
        return receipts;
    }

    private static async Task<Receipt> AppendAsync(HostProcess host, LedgerEntry entry)
    {
        var response = await host.Http.PostAsync("/api/ledger/entries", Body(entry));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"append of '{entry.Key}' answered {(int)response.StatusCode}: {body}");
        var receipt = JsonDocument.Parse(body).RootElement;
        return new Receipt(entry.Key, receipt.GetProperty("index").GetInt64(), receipt.GetProperty("existing").GetBoolean());
    }

    private static async Task<long> CheckpointSizeAsync(HostProcess host)
    {
        var note = await host.Http.GetStringAsync("/api/ledger/checkpoint");
        return long.Parse(note.Split('\n')[1]);
    }

    /// <summary>Verifies the whole ledger from storage with the key pinned before the crash, index rows included.</summary>
    private async Task AssertLedgerVerifiesAsync(string taskHub, string verifierKey, long expectedSize)
    {
        var ledger = await AzureLedger.OpenAsync(azurite.ConnectionString, taskHub.ToLowerInvariant());
        var report = await new LedgerVerifier(ledger.Store, EcdsaNoteVerifier.Parse(verifierKey.Trim()), ledger.Index).VerifyAsync();
        Assert.True(report.Ok, string.Join("\n", report.Problems.Select(problem => problem.ToString())));
        Assert.Equal(expectedSize, report.VerifiedSize);
    }

    private static StringContent Body(LedgerEntry entry) => new(Encoding.UTF8.GetString(entry.Bytes), Encoding.UTF8, "application/json");

    private sealed record Receipt(string Key, long Index, bool Existing);

    public void Dispose() => Directory.Delete(_workDir, recursive: true);
}
