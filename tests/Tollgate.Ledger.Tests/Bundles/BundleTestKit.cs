using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Ledger.Bundles;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Writing;

namespace Tollgate.Ledger.Tests.Bundles;

/// <summary>A store, a signer, a verifier and request builders shared by the bundle tests.</summary>
internal sealed class BundleTestKit : IAsyncDisposable
{
    public const string Origin = "tollgate.test/ledger";
    public static readonly DateTimeOffset Time = new(2025, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    private readonly List<string> folders = [];
    private LedgerWriter? ledger;

    public InMemoryLedgerStore Store { get; } = new();
    public EcdsaNoteSigner Signer { get; } = NewSigner();
    public EcdsaNoteVerifier Key => EcdsaNoteVerifier.Parse(Signer.VerifierKey);
    public BundleWriter Writer => new(Store, Signer);
    public BundleVerifier Verifier => new(Store, Key);

    public static EcdsaNoteSigner NewSigner(string name = Origin) => new(name, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static BundleMemberInput Member(string role, string name, string content, string mediaType = "application/json") =>
        new(role, name, mediaType, Encoding.UTF8.GetBytes(content));

    /// <summary>A member for every required role except ledger_entries, which only the ledger can supply.</summary>
    public static List<BundleMemberInput> AllButLedgerMembers() =>
    [
        Member(BundleRoles.VersionMap, "version-map.json", """{"strategy":"1.4.2"}"""),
        Member(BundleRoles.Config, "config.json", """{"max_position":100}"""),
        Member(BundleRoles.Policy, "policy.json", """{"kill_on_loss":true}"""),
        Member(BundleRoles.RulebookRef, "rulebook.txt", "rulebook@2025-03-01", "text/plain"),
        Member(BundleRoles.MarketData, "quotes.csv", "ts,bid,ask\n1,10,11\n", "text/csv"),
        Member(BundleRoles.OrderIntents, "intents.jsonl", """{"intent":"i-1"}""" + "\n", "application/jsonl"),
        Member(BundleRoles.Orders, "orders.jsonl", """{"order":"o-1"}""" + "\n", "application/jsonl"),
        Member(BundleRoles.Fills, "fills.jsonl", """{"fill":"f-1"}""" + "\n", "application/jsonl"),
        Member(BundleRoles.GateResults, "gates.json", """{"verdict":"PASS"}"""),
    ];

    public static BundleRequest Request(IReadOnlyList<BundleMemberInput>? members = null, IReadOnlyList<long>? indexes = null, string eventRef = "deploy-42") =>
        new(eventRef, "Paper", "tester", Time, members ?? AllButLedgerMembers(), indexes ?? []);

    /// <summary>A real ledger over <see cref="Store"/>, signed by <see cref="Signer"/>, holding <paramref name="count"/> evidence entries.</summary>
    public async Task<LedgerWriter> LedgerAsync(int count)
    {
        ledger = await LedgerWriter.OpenAsync(Store, null, Signer, new LedgerOptions(Origin));
        for (var i = 0; i < count; i++) await ledger.AppendAsync(Evidence($"evidence-{i}"));
        return ledger;
    }

    public static LedgerEntry Evidence(string key) =>
        LedgerEntry.Create(new LedgerEntryFields("evidence", key, Time, "tester", "corr-1", null, []),
            new JsonObject { ["check"] = "x", ["passed"] = true, ["reason_codes"] = new JsonArray(), ["facts"] = new JsonObject() });

    public async Task<int> ObjectCountAsync() => (await Store.ListObjectsAsync("", CancellationToken.None)).Count;

    public async Task<byte[]> MemberBytesAsync(SealedBundle bundle, string role) =>
        (await Store.ReadObjectAsync(LedgerLayout.Object(bundle.Manifest.Members.Single(member => member.Role == role).Sha256), CancellationToken.None))!;

    public string TempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tollgate-bundle-tests-" + Guid.NewGuid().ToString("N"));
        folders.Add(folder);
        return folder;
    }

    public async ValueTask DisposeAsync()
    {
        if (ledger is not null) await ledger.DisposeAsync();
        Signer.Dispose();
        foreach (var folder in folders)
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>Memory that claims a length without holding it: lets a test pass a 256 MiB+ member without allocating it.</summary>
internal sealed class HugeMemory(int length) : MemoryManager<byte>
{
    public override Memory<byte> Memory => CreateMemory(length);
    public override Span<byte> GetSpan() => throw new InvalidOperationException("the content of a huge test member is never read");
    public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();
    public override void Unpin() { }
    protected override void Dispose(bool disposing) { }
}
