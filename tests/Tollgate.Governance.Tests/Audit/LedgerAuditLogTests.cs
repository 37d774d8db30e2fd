using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tollgate.Governance.Audit;
using Tollgate.Governance.Environments;
using Tollgate.Governance.KillSwitch;
using Tollgate.Governance.Tests.Support;
using Tollgate.Ledger;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Writing;

namespace Tollgate.Governance.Tests.Audit;

public sealed class LedgerAuditLogTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static LedgerEntry Entry(string key, string step = "REQUEST") => LedgerEntry.Create(
        new LedgerEntryFields("approval", key, World.T0, "op-ana", "corr-1", "Research", []),
        new JsonObject { ["approval_id"] = "ap-1", ["step"] = step, ["subject_ref"] = "s-1" });

    private static Task<LedgerWriter> OpenAsync() => LedgerWriter.OpenAsync(new InMemoryLedgerStore(), new InMemoryLedgerIndex(),
        new EcdsaNoteSigner(World.Origin, ECDsa.Create(ECCurve.NamedCurves.nistP256)), new LedgerOptions(World.Origin));

    [Fact]
    public async Task Entries_append_find_and_read_back_and_a_repeat_is_the_same_entry()
    {
        await using var writer = await OpenAsync();
        var audit = new LedgerAuditLog(() => writer);

        var first = await audit.AppendAsync(Entry("k-1"), None);
        var again = await audit.AppendAsync(Entry("k-1"), None);

        Assert.Equal((first.Index, false, true), (again.Index, first.Existing, again.Existing));
        Assert.Equal(first.Index, audit.Find("k-1"));
        Assert.Null(audit.Find("k-2"));
        Assert.Equal(Entry("k-1").Bytes, (await audit.ReadAsync(first.Index, None)).Bytes);
        Assert.True(audit.IsAvailable);
    }

    [Fact]
    public async Task Another_entry_under_a_taken_key_is_a_key_conflict()
    {
        await using var writer = await OpenAsync();
        var audit = new LedgerAuditLog(() => writer);
        await audit.AppendAsync(Entry("k-1"), None);
        var e = await Assert.ThrowsAsync<LedgerException>(() => audit.AppendAsync(Entry("k-1", "VETO"), None));
        Assert.Equal(LedgerReason.KeyConflict, e.Reason);
    }

    [Fact]
    public async Task A_ledger_not_open_yet_is_unavailable()
    {
        var audit = new LedgerAuditLog(() => null);
        Assert.False(audit.IsAvailable);
        Assert.Null(audit.Find("k-1"));
        await Refused.WithAsync(GovernanceReasons.AuditUnavailable, () => audit.AppendAsync(Entry("k-1"), None));
    }

    [Fact]
    public async Task A_closed_writer_is_unavailable()
    {
        var writer = await OpenAsync();
        var audit = new LedgerAuditLog(() => writer);
        await writer.DisposeAsync();

        Assert.False(audit.IsAvailable);
        await Refused.WithAsync(GovernanceReasons.AuditUnavailable, () => audit.AppendAsync(Entry("k-1"), None));
    }

    [Fact]
    public async Task With_a_closed_writer_the_kill_switch_engages_unaudited_and_its_preflight_says_so()
    {
        await using var world = await World.OpenAsync();
        var writer = await OpenAsync();
        var audit = new LedgerAuditLog(() => writer);
        var board = new KillSwitchBoard();
        var service = new KillSwitchService(world.Table, audit, world.Approvals, board, world.Clock);
        await writer.DisposeAsync();

        var state = await service.EngageAsync(People.Trader, DeploymentEnvironment.Live, "writer closed", [], None);
        var preflight = await service.PreflightAsync(DeploymentEnvironment.Live, None);

        Assert.True(state.Engaged && !state.Audited);
        Assert.Contains(GovernanceReasons.AuditUnavailable, state.ReasonCodes);
        Assert.True(board.IsEngaged(DeploymentEnvironment.Live));
        Assert.False(preflight.Audited);
        Assert.Contains(preflight.Problems, problem => problem.Contains("audit ledger"));
    }
}
