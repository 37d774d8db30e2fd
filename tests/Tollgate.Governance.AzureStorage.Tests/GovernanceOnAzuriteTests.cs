using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Governance.Approvals;
using Tollgate.Governance.Audit;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.VersionMaps;
using Tollgate.Ledger.AzureStorage;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Writing;

namespace Tollgate.Governance.AzureStorage.Tests;

/// <summary>Version maps on Tables and a ledger on Blob storage, both on Azurite: the Only-Add switch stream under contention, and crash repair.</summary>
public sealed class GovernanceOnAzuriteTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly Principal Operator = new("olivia", null, new HashSet<Role> { Role.Operator }, false);
    private AzureLedgerStorage ledger = null!;
    private LedgerWriter writer = null!;
    private TableGovernanceTable table = null!;

    public async Task InitializeAsync()
    {
        var hub = "ga" + Guid.NewGuid().ToString("N")[..12];
        ledger = await AzureLedger.CreateAsync(azurite.ConnectionString, hub);
        writer = await LedgerWriter.OpenAsync(ledger.Store, ledger.Index, new EcdsaNoteSigner("tollgate.test/ledger", ECDsa.Create(ECCurve.NamedCurves.nistP256)),
            new LedgerOptions("tollgate.test/ledger"));
        table = await TableGovernanceTable.CreateAsync(new TableServiceClient(azurite.ConnectionString), hub, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await writer.DisposeAsync();
        await ledger.DeleteAsync(CancellationToken.None);
    }

    private VersionMapService Maps()
    {
        var audit = new LedgerAuditLog(() => writer);
        var approvals = new ApprovalService(table, audit, new NoVerdicts(), new NoNotifier(), ApprovalOptions.Default, TimeProvider.System);
        return new VersionMapService(table, audit, approvals, TimeProvider.System);
    }

    private static VersionMap Map(string config) => VersionMap.Create(DeploymentEnvironment.Research, "d", "p", "m", config, "c",
        "sha256:" + new string('a', 64), []);

    [Fact]
    public async Task Concurrent_switches_on_Tables_never_lose_one_each_follows_the_one_before()
    {
        var maps = Maps();
        var a = (await maps.RegisterAsync(Operator, Map("a"), default)).Map.Id;
        var b = (await maps.RegisterAsync(Operator, Map("b"), default)).Map.Id;
        await maps.ActivateAsync(Operator, DeploymentEnvironment.Research, a, "start", null, false, null, default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            try
            {
                return (await maps.ActivateAsync(Operator, DeploymentEnvironment.Research, i % 2 == 0 ? b : a, $"race {i}", null, false, null, default)).Sequence;
            }
            catch (GovernanceException refused) when (refused.Reason is GovernanceReasons.MapConflict or GovernanceReasons.MapAlreadyActive)
            {
                return -1L;
            }
        })));

        var history = (await maps.HistoryAsync(DeploymentEnvironment.Research, 100, default)).Reverse().ToList();
        Assert.Equal(Enumerable.Range(1, history.Count).Select(n => (long)n), history.Select(change => change.Sequence));
        Assert.Equal(outcomes.Count(sequence => sequence > 0) + 1, history.Count);
        for (var i = 1; i < history.Count; i++) Assert.Equal(history[i - 1].ToMap, history[i].FromMap);
        Assert.All(history, change => Assert.NotNull(writer.Find($"vmap-Research:{change.Sequence:D10}")));
    }

    [Fact]
    public async Task A_switch_in_the_ledger_without_its_row_is_found_and_projected_on_the_next_read()
    {
        var maps = Maps();
        var a = (await maps.RegisterAsync(Operator, Map("a"), default)).Map.Id;
        // The crash: switch 1 reached the ledger; the host stopped before writing its row.
        await writer.AppendAsync(LedgerEntry.Create(
            new LedgerEntryFields("version_map_switch", "vmap-Research:0000000001", DateTimeOffset.UtcNow, "olivia", a, "Research", [a]),
            new JsonObject
            {
                ["action"] = "ACTIVATE", ["from_map"] = null, ["to_map"] = a, ["config_version"] = "a", ["reason"] = "before the crash",
                ["operator"] = "olivia", ["approver"] = null, ["approval_id"] = null,
            }));
        Assert.Empty(await table.QueryAsync("vmap-Research", "", 10, default));

        var active = await maps.ActiveAsync(DeploymentEnvironment.Research, default);

        Assert.Equal(a, active.Map.Id);
        Assert.Equal("before the crash", active.Switch.Reason);
        Assert.Single(await table.QueryAsync("vmap-Research", "", 10, default));
    }

    private sealed class NoVerdicts : IGateVerdicts
    {
        public Task<IReadOnlyList<StandingVerdict>> StandingAsync(string releaseId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StandingVerdict>>([]);
    }

    private sealed class NoNotifier : IApprovalNotifier
    {
        public Task NotifyAsync(ApprovalCase decided, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
