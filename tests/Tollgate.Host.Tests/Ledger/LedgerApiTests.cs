using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tollgate.Host.Tests.Support;
using Tollgate.Ledger.Checkpoints;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Notes;

namespace Tollgate.Host.Tests.Ledger;

/// <summary>The ledger's HTTP API on the real host (in memory): appends, refusals that change nothing, reads and proofs.</summary>
public sealed class LedgerApiTests : IAsyncLifetime
{
    private readonly HostFactory host = new();
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        http = host.Http();
        await WaitForLedgerAsync(http);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    internal static async Task WaitForLedgerAsync(HttpClient http)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if ((await http.GetAsync("/api/ledger/checkpoint")).IsSuccessStatusCode) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The ledger did not open.");
    }

    private async Task<long> SizeAsync()
    {
        var verifier = EcdsaNoteVerifier.Parse((await http.GetStringAsync("/api/ledger/verifier-key")).Trim());
        return Checkpoint.ParseNoteText(verifier.Open(await http.GetStringAsync("/api/ledger/checkpoint"))).Size;
    }

    [Fact]
    public async Task An_append_is_acknowledged_with_its_index_and_a_retry_returns_the_same_index()
    {
        var entry = LedgerEntries.Evidence("evidence:api:1");
        var first = await http.PostAsync("/api/ledger/entries", LedgerEntries.Body(entry));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var receipt = await first.ReadJsonAsync();
        Assert.Equal(0, receipt.GetProperty("index").GetInt64());
        Assert.False(receipt.GetProperty("existing").GetBoolean());
        Assert.Equal(Convert.ToHexStringLower(Rfc9162Hasher.HashLeaf(entry.Bytes)), receipt.GetProperty("leafHash").GetString());

        var retry = await http.PostAsync("/api/ledger/entries", LedgerEntries.Body(entry));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var again = await retry.ReadJsonAsync();
        Assert.Equal(0, again.GetProperty("index").GetInt64());
        Assert.True(again.GetProperty("existing").GetBoolean());
        Assert.Equal(1, await SizeAsync());
    }

    [Theory]
    [InlineData("{\"v\": 1}", HttpStatusCode.BadRequest, "LEDGER_NOT_CANONICAL")]
    [InlineData("not json", HttpStatusCode.BadRequest, "LEDGER_NOT_JSON")]
    [InlineData("{\"actor\":\"a\",\"correlation_id\":\"c\",\"environment\":null,\"key\":\"k\",\"kind\":\"nonsense\",\"payload\":{},\"refs\":[],\"time\":\"2026-11-23T09:30:00.000Z\",\"v\":1}", HttpStatusCode.BadRequest, "LEDGER_UNKNOWN_KIND")]
    [InlineData("{\"actor\":\"a\",\"correlation_id\":\"c\",\"environment\":null,\"kind\":\"evidence\",\"payload\":{},\"refs\":[],\"time\":\"2026-11-23T09:30:00.000Z\",\"v\":1}", HttpStatusCode.BadRequest, "LEDGER_MISSING_FIELD")]
    [InlineData("{\"actor\":\"a\",\"correlation_id\":\"c\",\"environment\":null,\"key\":\"k\",\"kind\":\"evidence\",\"payload\":{\"check\":\"x\"},\"refs\":[],\"time\":\"2026-11-23T09:30:00.000Z\",\"v\":1}", HttpStatusCode.BadRequest, "LEDGER_BAD_PAYLOAD")]
    [InlineData("{\"actor\":\"a\",\"correlation_id\":\"c\",\"environment\":\"Prod\",\"key\":\"k\",\"kind\":\"evidence\",\"payload\":{},\"refs\":[],\"time\":\"2026-11-23T09:30:00.000Z\",\"v\":1}", HttpStatusCode.BadRequest, "LEDGER_BAD_FIELD")]
    public async Task A_bad_entry_is_refused_with_its_reason_and_nothing_is_written(string body, HttpStatusCode status, string reason)
    {
        var response = await http.PostAsync("/api/ledger/entries", LedgerEntries.Body(body));
        await response.AssertRefusedAsync(status, reason);
        Assert.Equal(0, await SizeAsync());
    }

    [Fact]
    public async Task An_entry_over_the_size_limit_is_refused_as_too_large()
    {
        var padding = new string('x', 70_000);
        var body = $"{{\"actor\":\"a\",\"correlation_id\":\"c\",\"environment\":null,\"key\":\"k\",\"kind\":\"evidence\",\"payload\":{{\"check\":\"{padding}\",\"facts\":{{}},\"passed\":true,\"reason_codes\":[]}},\"refs\":[],\"time\":\"2026-11-23T09:30:00.000Z\",\"v\":1}}";
        await (await http.PostAsync("/api/ledger/entries", LedgerEntries.Body(body))).AssertRefusedAsync(HttpStatusCode.RequestEntityTooLarge, "LEDGER_ENTRY_TOO_LARGE");
        Assert.Equal(0, await SizeAsync());
    }

    [Fact]
    public async Task The_same_key_with_other_content_is_a_conflict_and_changes_nothing()
    {
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/ledger/entries", LedgerEntries.Body(LedgerEntries.Evidence("evidence:api:same")))).StatusCode);
        var other = LedgerEntries.Evidence("evidence:api:same", passed: false);
        await (await http.PostAsync("/api/ledger/entries", LedgerEntries.Body(other))).AssertRefusedAsync(HttpStatusCode.Conflict, "LEDGER_KEY_CONFLICT");
        Assert.Equal(1, await SizeAsync());
    }

    [Fact]
    public async Task Entries_are_read_back_by_index_key_and_correlation()
    {
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/ledger/entries", LedgerEntries.Body(LedgerEntries.Evidence($"evidence:read:{i}", i < 3 ? "corr-a" : "corr-b")))).StatusCode);

        var byIndex = await http.GetFromJsonAsync<JsonElement>("/api/ledger/entries/3");
        Assert.Equal("evidence:read:3", byIndex.GetProperty("entry").GetProperty("key").GetString());
        var byKey = await http.GetFromJsonAsync<JsonElement>("/api/ledger/entries?key=evidence:read:4");
        Assert.Equal(4, byKey.GetProperty("index").GetInt64());

        JsonElement byCorrelation = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            byCorrelation = await http.GetFromJsonAsync<JsonElement>("/api/ledger/entries?correlation=corr-a");
            if (byCorrelation.GetProperty("indexLag").GetInt64() == 0) break;
            await Task.Delay(20);
        }
        Assert.Equal([0L, 1L, 2L], byCorrelation.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("index").GetInt64()));

        await (await http.GetAsync("/api/ledger/entries/99")).AssertRefusedAsync(HttpStatusCode.BadRequest, "LEDGER_BAD_RANGE");
        await (await http.GetAsync("/api/ledger/entries?key=nope")).AssertRefusedAsync(HttpStatusCode.NotFound, "LEDGER_NOT_FOUND");
        await (await http.GetAsync("/api/ledger/entries")).AssertRefusedAsync(HttpStatusCode.BadRequest, "INVALID_QUERY_PARAMETER");
    }

    [Fact]
    public async Task Inclusion_and_consistency_proofs_verify_against_the_signed_checkpoint()
    {
        for (var i = 0; i < 7; i++)
            await http.PostAsync("/api/ledger/entries", LedgerEntries.Body(LedgerEntries.Evidence($"evidence:proof:{i}")));
        var verifier = EcdsaNoteVerifier.Parse((await http.GetStringAsync("/api/ledger/verifier-key")).Trim());
        var checkpoint = Checkpoint.ParseNoteText(verifier.Open(await http.GetStringAsync("/api/ledger/checkpoint")));
        Assert.Equal(7, checkpoint.Size);

        var inclusion = await http.GetFromJsonAsync<JsonElement>("/api/ledger/proofs/inclusion?key=evidence:proof:5");
        MerkleProofs.VerifyInclusion(5, 7, Convert.FromHexString(inclusion.GetProperty("leafHash").GetString()!),
            [.. inclusion.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!))], checkpoint.RootHash);
        Assert.Equal(checkpoint.ToNoteText(), verifier.Open(inclusion.GetProperty("checkpoint").GetString()!));

        var consistency = await http.GetFromJsonAsync<JsonElement>("/api/ledger/proofs/consistency?first=3&second=7");
        MerkleProofs.VerifyConsistency(3, 7, [.. consistency.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!))],
            Convert.FromHexString(consistency.GetProperty("firstRoot").GetString()!), checkpoint.RootHash);

        await (await http.GetAsync("/api/ledger/proofs/inclusion?index=9")).AssertRefusedAsync(HttpStatusCode.BadRequest, "LEDGER_BAD_RANGE");
        await (await http.GetAsync("/api/ledger/proofs/consistency?first=8&second=7")).AssertRefusedAsync(HttpStatusCode.BadRequest, "LEDGER_BAD_RANGE");
        var atThree = await http.GetStringAsync("/api/ledger/checkpoints/3");
        Assert.Equal(3, Checkpoint.ParseNoteText(verifier.Open(atThree)).Size);
    }

    [Fact]
    public async Task Health_reports_the_ledger()
    {
        var health = await http.GetFromJsonAsync<JsonElement>("/api/health");
        var ledger = health.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "ledger");
        Assert.Equal("OK", ledger.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Nothing_the_ledger_serves_or_logs_contains_the_private_key()
    {
        await http.PostAsync("/api/ledger/entries", LedgerEntries.Body(LedgerEntries.Evidence("evidence:secret:1")));
        var dataDir = host.Services.GetService(typeof(Tollgate.Host.Settings.HostSettings)) is Tollgate.Host.Settings.HostSettings settings ? settings.Ledger.DevKeyPath : throw new InvalidOperationException();
        var pem = await File.ReadAllTextAsync(dataDir);
        var secret = pem.Split('\n')[1];
        foreach (var route in new[] { "/api/ledger/checkpoint", "/api/ledger/verifier-key", "/api/ledger/entries/0", "/api/health" })
            Assert.DoesNotContain(secret, await http.GetStringAsync(route));
        Assert.DoesNotContain(secret, host.Logs.All);
    }
}
