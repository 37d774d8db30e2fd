using System.Security.Cryptography;
using System.Text.Json;
using Tollgate.Governance.Approvals;
using Tollgate.Governance.Audit;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Gates;
using Tollgate.Governance.Identity;
using Tollgate.Governance.KillSwitch;
using Tollgate.Governance.VersionMaps;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Writing;

namespace Tollgate.Governance.Tests.Support;

/// <summary>
/// Every governance service, wired as the host wires them, over a real ledger writer on an in-memory store, the
/// in-memory governance table and a fake clock.
/// </summary>
internal sealed class World : IAsyncDisposable
{
    public const string Origin = "tollgate.test/governance";
    public static readonly DateTimeOffset T0 = new(2026, 2, 2, 9, 0, 0, TimeSpan.Zero);

    private World(LedgerWriter writer, ApprovalOptions options)
    {
        Writer = writer;
        Clock = new FakeClock(T0);
        Table = new FaultableTable();
        Ledger = new LedgerAuditLog(() => Writer);
        Audit = new SwitchableAuditLog(Ledger);
        Content = new InMemoryContentStore();
        Notifier = new RecordingNotifier();
        Board = new KillSwitchBoard();
        Options = options;
        Approvals = new ApprovalService(Table, Audit, new DeferredGateVerdicts(() => Gates!), Notifier, options, Clock);
        VersionMaps = new VersionMapService(Table, Audit, Approvals, Clock);
        KillSwitch = new KillSwitchService(Table, Audit, Approvals, Board, Clock);
        Gates = new GateService(Table, Audit, VersionMaps, Content, KillSwitch, options, Clock, OrderPath);
    }

    /// <summary>What the EXECUTION_CONTROL gate sees of the order path; none until a test sets it.</summary>
    public ScriptedOrderPath OrderPath { get; } = new();

    public LedgerWriter Writer { get; }
    public FakeClock Clock { get; }
    public FaultableTable Table { get; }
    public LedgerAuditLog Ledger { get; }
    public SwitchableAuditLog Audit { get; }
    public InMemoryContentStore Content { get; }
    public RecordingNotifier Notifier { get; }
    public KillSwitchBoard Board { get; }
    public ApprovalOptions Options { get; }
    public ApprovalService Approvals { get; }
    public VersionMapService VersionMaps { get; }
    public KillSwitchService KillSwitch { get; }
    public GateService Gates { get; }

    public static async Task<World> OpenAsync(ApprovalOptions? options = null)
    {
        var writer = await LedgerWriter.OpenAsync(new InMemoryLedgerStore(), new InMemoryLedgerIndex(),
            new EcdsaNoteSigner(Origin, ECDsa.Create(ECCurve.NamedCurves.nistP256)), new LedgerOptions(Origin) { RetryDelay = TimeSpan.FromMilliseconds(1) });
        return new World(writer, options ?? ApprovalOptions.Default);
    }

    /// <summary>How many entries the ledger holds (all covered by its latest checkpoint once an append has returned).</summary>
    public long LedgerSize => Writer.Latest.Size;

    /// <summary>Every ledger entry, oldest first, optionally of one kind only.</summary>
    public async Task<List<LedgerEntry>> EntriesAsync(string? kind = null)
    {
        var entries = new List<LedgerEntry>();
        for (var i = 0L; i < Writer.Latest.Size; i++)
        {
            var entry = LedgerEntry.Parse(await Writer.ReadEntryAsync(i));
            if (kind is null || entry.Kind == kind) entries.Add(entry);
        }
        return entries;
    }

    public static JsonElement PayloadOf(LedgerEntry entry) => JsonDocument.Parse(entry.Bytes).RootElement.GetProperty("payload");

    public static string? Text(LedgerEntry entry, string member) =>
        PayloadOf(entry).TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // ---------------------------------------------------------------- builders

    public static VersionMap Map(DeploymentEnvironment environment, string code = "code-1", string docs = "docs-1", string? rulebook = null,
        IReadOnlyList<ArtifactRef>? artifacts = null) =>
        VersionMap.Create(environment, docs, "policy-1", "model-1", "config-1", code, rulebook ?? InMemoryContentStore.DigestOf("rulebook-1"u8.ToArray()),
            artifacts ?? [new ArtifactRef("build", "ghcr.io/tollgate/app:1", InMemoryContentStore.DigestOf("build-1"u8.ToArray()))]);

    public Task<RegisteredMap> RegisterAsync(VersionMap map, Principal? by = null) =>
        VersionMaps.RegisterAsync(by ?? People.Pipeline, map, CancellationToken.None);

    /// <summary>A request, an approve and its confirm: an approved approval for <paramref name="subject"/>.</summary>
    public async Task<ApprovalCase> ApprovedAsync(ApprovalSubject subject, Principal? requester = null, Principal? approver = null, string? releaseId = null,
        string? instanceId = null)
    {
        var requested = await RequestAsync(subject, requester, releaseId, instanceId);
        var (_, challenge) = await Approvals.ApproveAsync(approver ?? People.Trader, requested.Id, CancellationToken.None);
        return await Approvals.ConfirmAsync(approver ?? People.Trader, requested.Id, challenge, CancellationToken.None);
    }

    public Task<ApprovalCase> RequestAsync(ApprovalSubject subject, Principal? requester = null, string? releaseId = null, string? instanceId = null) =>
        Approvals.RequestAsync(requester ?? People.Operator, subject, null, releaseId, instanceId, "release it", CancellationToken.None);

    public Task<VersionSwitch> ActivateAsync(DeploymentEnvironment environment, string mapId, string? approvalId = null, Principal? by = null,
        string reason = "release") =>
        VersionMaps.ActivateAsync(by ?? People.Operator, environment, mapId, reason, null, checkExpected: false, approvalId, CancellationToken.None);

    public async ValueTask DisposeAsync() => await Writer.DisposeAsync();

    private sealed class DeferredGateVerdicts(Func<IGateVerdicts> gates) : IGateVerdicts
    {
        public Task<IReadOnlyList<StandingVerdict>> StandingAsync(string releaseId, CancellationToken cancellationToken) =>
            gates().StandingAsync(releaseId, cancellationToken);
    }
}

/// <summary>An order path whose status a test sets.</summary>
public sealed class ScriptedOrderPath : IOrderPathStatus
{
    public OrderPathStatus? Status { get; set; }

    public Task<OrderPathStatus?> StatusAsync(DeploymentEnvironment environment, CancellationToken cancellationToken) => Task.FromResult(Status);
}
