using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Tollgate.Governance.Approvals;
using Tollgate.Governance.Audit;
using Tollgate.Governance.AzureStorage;
using Tollgate.Governance.Gates;
using Tollgate.Governance.KillSwitch;
using Tollgate.Governance.Rollouts;
using Tollgate.Governance.Storage;
using Tollgate.Governance.VersionMaps;
using Tollgate.Host.Settings;
using Tollgate.Ledger.Storage;

namespace Tollgate.Host.Hosting;

/// <summary>
/// The governance services of this host, over its governance table (Tables on the task hub's storage account, or
/// memory) and its audit ledger. Built once; the table is created on first use, so a host whose storage is down
/// starts and answers STORAGE_UNAVAILABLE until it is back, as the engine does.
/// </summary>
public sealed class GovernanceHost
{
    public GovernanceHost(HostSettings settings, LedgerHost ledger, KillSwitchBoard board, IApprovalNotifier notifier, TimeProvider clock,
        ILoggerFactory loggers, Execution.OrderPathRegistry orderPath)
    {
        Table = settings.Storage.IsInMemory
            ? new InMemoryGovernanceTable()
            : new LazyGovernanceTable(() => TableGovernanceTable.CreateAsync(new TableServiceClient(settings.Storage.ConnectionString), settings.TaskHub,
                CancellationToken.None));
        Audit = new LedgerAuditLog(() => ledger.Writer);
        Content = new LedgerContentStore(() => ledger.Store);
        Approvals = new ApprovalService(Table, Audit, new DeferredGateVerdicts(() => Gates!, () => Audit), notifier, settings.Approvals, clock,
            loggers.CreateLogger<ApprovalService>());
        VersionMaps = new VersionMapService(Table, Audit, Approvals, clock);
        KillSwitch = new KillSwitchService(Table, Audit, Approvals, board, clock);
        Gates = new GateService(Table, Audit, VersionMaps, Content, KillSwitch, settings.Approvals, clock, orderPath);
        Splits = new TrafficSplitService(Table, Audit, VersionMaps, clock);
        SplitAcknowledgements = new SplitAcknowledgements(Table);
    }

    public GovernanceTable Table { get; }
    public IAuditLog Audit { get; }
    public IContentStore Content { get; }
    public ApprovalService Approvals { get; }
    public VersionMapService VersionMaps { get; }
    public KillSwitchService KillSwitch { get; }
    public GateService Gates { get; }
    public TrafficSplitService Splits { get; }
    public SplitAcknowledgements SplitAcknowledgements { get; }

    /// <summary>Approvals ask the gates for standing verdicts, and the gates' checks look at approvals: built in that order, resolved on use.</summary>
    /// <summary>A RETURN the release's Verify stage waived under its policy (recorded in the ledger) does not block approving that release.</summary>
    private sealed class DeferredGateVerdicts(Func<IGateVerdicts> gates, Func<IAuditLog> audit) : IGateVerdicts
    {
        public async Task<IReadOnlyList<StandingVerdict>> StandingAsync(string releaseId, CancellationToken cancellationToken) =>
            await GateWaivers.ApplyAsync(audit(), releaseId, await gates().StandingAsync(releaseId, cancellationToken), cancellationToken);
    }

    /// <summary>The ledger's write-once object store (where replay bundle members live), content-addressed by SHA-256.</summary>
    private sealed class LedgerContentStore(Func<LedgerStore?> store) : IContentStore
    {
        public async Task<byte[]?> ReadAsync(string sha256Hex, CancellationToken cancellationToken) =>
            await Store().ReadObjectAsync(LedgerLayout.Object(sha256Hex), cancellationToken);

        public async Task<string> StoreAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content.Span));
            // False when it is there already: same name, same bytes, nothing to do.
            await Store().TryCreateObjectAsync(LedgerLayout.Object(hash), content, cancellationToken);
            return hash;
        }

        private LedgerStore Store() => store() ?? throw new Governance.GovernanceException(Governance.GovernanceReasons.AuditUnavailable,
            "The ledger's object store is not open yet.");
    }
}

/// <summary>A governance table created on first use, and created again on the next use if creating it failed.</summary>
internal sealed class LazyGovernanceTable(Func<Task<TableGovernanceTable>> create) : GovernanceTable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private TableGovernanceTable? table;

    public override async Task<bool> TryInsertAsync(string partition, string row, string json, CancellationToken cancellationToken) =>
        await (await TableAsync()).TryInsertAsync(partition, row, json, cancellationToken);

    public override async Task<StoredRecord?> GetAsync(string partition, string row, CancellationToken cancellationToken) =>
        await (await TableAsync()).GetAsync(partition, row, cancellationToken);

    public override async Task<IReadOnlyList<StoredRecord>> QueryAsync(string partition, string rowPrefix, int limit, CancellationToken cancellationToken) =>
        await (await TableAsync()).QueryAsync(partition, rowPrefix, limit, cancellationToken);

    private async Task<TableGovernanceTable> TableAsync()
    {
        if (Volatile.Read(ref table) is { } ready) return ready;
        await gate.WaitAsync();
        try
        {
            return table ??= await create();
        }
        finally
        {
            gate.Release();
        }
    }
}
