using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;
using Tollgate.Ledger.Entries;

namespace Tollgate.Host.Tests.Security;

/// <summary>Nobody records acts in someone else's name: a ledger entry or a bundle naming another actor than the token is refused, and nothing of it is written.</summary>
public sealed class ActorIntegrityTests : IAsyncLifetime
{
    private const string Writer = "ci-writer";

    private readonly HostFactory host = new();
    private HttpClient writer = null!;
    private LedgerTrail ledger = null!;

    public async Task InitializeAsync()
    {
        writer = host.As(Writer, Role.Pipeline);
        ledger = new LedgerTrail(host.As("integrity-auditor", Role.Auditor));
        await LedgerApiTests.WaitForLedgerAsync(writer);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    public static TheoryData<string> OtherActors => ["someone-else", "CI-WRITER", "ci-writer2", "anonymous", "github-app:1"];

    [Theory]
    [MemberData(nameof(OtherActors))]
    public async Task A_ledger_entry_in_someone_elses_name_is_refused_and_only_the_refusal_is_appended(string actor)
    {
        var key = $"evidence:actor:{Guid.NewGuid():N}";
        var before = await ledger.SizeAsync();

        var answer = await Call.SendAsync(writer, "POST", "/api/ledger/entries", LedgerEntries.Body(Entry(key, actor)));

        Assert.True(answer is { Status: 403, Reason: "AUTH_ACTOR_MISMATCH" } && !string.IsNullOrWhiteSpace(answer.Message), answer.ToString());
        await AssertOnlyTheRefusalWasAppendedAsync(before, "POST /api/ledger/entries");
        var lookup = await Call.SendAsync(writer, "GET", $"/api/ledger/entries?key={key}");
        Assert.True(lookup is { Status: 404, Reason: "LEDGER_NOT_FOUND" }, lookup.ToString());
    }

    [Fact]
    public async Task A_ledger_entry_in_the_callers_own_name_is_appended()
    {
        var before = await ledger.SizeAsync();
        var answer = await Call.SendAsync(writer, "POST", "/api/ledger/entries", LedgerEntries.Body(Entry("evidence:actor:own", Writer)));
        Assert.True(answer.Status == 201, answer.ToString());
        Assert.Equal(Writer, (await ledger.EntryAsync(before)).GetProperty("actor").GetString());
    }

    [Theory]
    [MemberData(nameof(OtherActors))]
    public async Task A_bundle_created_by_someone_else_is_refused_and_nothing_of_it_is_stored(string createdBy)
    {
        var content = Encoding.UTF8.GetBytes($$"""{"limit":{{RandomNumberGenerator.GetInt32(1_000_000)}}}""");
        var before = await ledger.SizeAsync();

        var answer = await Call.SendAsync(writer, "POST", "/api/bundles", LedgerEntries.Body(Bundle(createdBy, content)));

        Assert.True(answer is { Status: 403, Reason: "AUTH_ACTOR_MISMATCH" } && !string.IsNullOrWhiteSpace(answer.Message), answer.ToString());
        await AssertOnlyTheRefusalWasAppendedAsync(before, "POST /api/bundles");
        var member = await Call.SendAsync(writer, "GET", $"/api/objects/{Convert.ToHexStringLower(SHA256.HashData(content))}");
        Assert.True(member.Status == 404, $"the refused bundle's member was stored: {member}");
    }

    [Fact]
    public async Task A_bundle_created_by_the_caller_is_sealed_in_the_callers_name()
    {
        var before = await ledger.SizeAsync();
        var answer = await Call.SendAsync(writer, "POST", "/api/bundles", LedgerEntries.Body(Bundle(Writer, """{"limit":5}"""u8.ToArray())));
        Assert.True(answer.Status == 201, answer.ToString());
        var sealedEntry = await ledger.EntryAsync(before);
        Assert.Equal("bundle", sealedEntry.GetProperty("kind").GetString());
        Assert.Equal(Writer, sealedEntry.GetProperty("actor").GetString());
    }

    private async Task AssertOnlyTheRefusalWasAppendedAsync(long before, string route)
    {
        var appended = await ledger.SinceAsync(before);
        var denial = Assert.Single(appended);
        Assert.Equal("access_denied", denial.GetProperty("kind").GetString());
        Assert.Equal(Writer, denial.GetProperty("actor").GetString());
        var payload = denial.GetProperty("payload");
        Assert.Equal("AUTH_ACTOR_MISMATCH", payload.GetProperty("reason_code").GetString());
        Assert.Equal("403", payload.GetProperty("status").GetString());
        Assert.Equal(route, payload.GetProperty("route").GetString());
    }

    private static LedgerEntry Entry(string key, string actor) => LedgerEntry.Create(
        new LedgerEntryFields("evidence", key, LedgerEntries.Time, actor, "release-42", "Paper", []),
        new JsonObject { ["check"] = "dr.wal_recovery", ["passed"] = true, ["reason_codes"] = new JsonArray(), ["facts"] = new JsonObject() });

    private static string Bundle(string createdBy, byte[] content) => new JsonObject
    {
        ["eventRef"] = "deploy-42",
        ["environment"] = "Paper",
        ["createdBy"] = createdBy,
        ["members"] = new JsonArray(new JsonObject
        {
            ["role"] = "config", ["name"] = "risk.json", ["mediaType"] = "application/json", ["contentBase64"] = Convert.ToBase64String(content),
        }),
    }.ToJsonString();
}
