using System.Text.Json.Nodes;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Tests.Support;
using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.Tests.KillSwitch;

/// <summary>Stopping works when the ledger does not; releasing waits until the stop is in the ledger.</summary>
public sealed class EmergencyEngagementTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task With_the_ledger_down_engaging_still_stops_trading_unaudited_and_says_why()
    {
        await using var world = await World.OpenAsync();
        world.Audit.Down = true;

        var state = await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Live, "ledger is down", ["RISK_LIMIT"], None);

        Assert.True(state.Engaged);
        Assert.False(state.Audited);
        Assert.Equal(["RISK_LIMIT", GovernanceReasons.AuditUnavailable], state.ReasonCodes);
        Assert.True(world.Board.IsEngaged(DeploymentEnvironment.Live));
        var stored = await world.KillSwitch.ReadAsync(DeploymentEnvironment.Live, None);
        Assert.True(stored.Engaged && !stored.Audited);
        Assert.Equal(0, world.LedgerSize);
    }

    [Fact]
    public async Task With_the_ledger_down_releasing_is_refused_and_the_switch_holds()
    {
        await using var world = await World.OpenAsync();
        world.Audit.Down = true;
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Research, "ledger is down", [], None);

        await Refused.WithAsync(GovernanceReasons.AuditUnavailable, () => world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Research, "go", null, None));
        Assert.True(world.Board.IsEngaged(DeploymentEnvironment.Research));
        Assert.True((await world.KillSwitch.ReadAsync(DeploymentEnvironment.Research, None)).Engaged);
    }

    [Fact]
    public async Task Once_the_ledger_is_back_the_emergency_is_written_to_it_and_release_works()
    {
        await using var world = await World.OpenAsync();
        world.Audit.Down = true;
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Research, "ledger is down", ["RISK_LIMIT"], None);
        world.Clock.Advance(TimeSpan.FromMinutes(3));
        world.Audit.Down = false;

        await world.KillSwitch.AbsorbEmergenciesAsync(DeploymentEnvironment.Research, None);

        var entry = Assert.Single(await world.EntriesAsync("kill_switch"));
        Assert.Equal(("ENGAGED", People.Trader.Subject, World.T0), (World.Text(entry, "state"), entry.Fields.Actor, entry.Fields.Time));
        Assert.NotNull(World.Text(entry, "emergency_id"));
        var audited = await world.KillSwitch.ReadAsync(DeploymentEnvironment.Research, None);
        Assert.True(audited.Engaged && audited.Audited);
        Assert.Equal(1, audited.Sequence);
        Assert.True(world.Board.Current(DeploymentEnvironment.Research).Audited);

        await world.KillSwitch.AbsorbEmergenciesAsync(DeploymentEnvironment.Research, None);
        Assert.Single(await world.EntriesAsync("kill_switch"));

        var released = await world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Research, "ledger back", null, None);
        Assert.False(released.Engaged);
        Assert.False(world.Board.IsEngaged(DeploymentEnvironment.Research));
        Assert.Equal(["ENGAGED", "RELEASED"], (await world.EntriesAsync("kill_switch")).Select(e => World.Text(e, "state")));
    }

    [Fact]
    public async Task Release_absorbs_the_emergency_itself_when_the_ledger_is_back()
    {
        await using var world = await World.OpenAsync();
        world.Audit.Down = true;
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Backtest, "ledger is down", [], None);
        world.Audit.Down = false;

        var released = await world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Backtest, "back", null, None);

        Assert.False(released.Engaged);
        Assert.Equal(["ENGAGED", "RELEASED"], (await world.EntriesAsync("kill_switch")).Select(e => World.Text(e, "state")));
    }

    [Fact]
    public async Task On_paper_the_release_approval_is_for_the_absorbed_engagement()
    {
        await using var world = await World.OpenAsync();
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Paper, "first", ["RISK_LIMIT"], None);
        var firstRelease = await world.ApprovedAsync(world.KillSwitch.ReleaseSubject(await world.KillSwitch.ReadAsync(DeploymentEnvironment.Paper, None)));
        await world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Paper, "ok", firstRelease.Id, None);

        world.Audit.Down = true;
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Paper, "ledger is down", [], None);
        world.Audit.Down = false;
        await world.KillSwitch.AbsorbEmergenciesAsync(DeploymentEnvironment.Paper, None);

        var current = await world.KillSwitch.ReadAsync(DeploymentEnvironment.Paper, None);
        Assert.Equal((3L, true), (current.Sequence, current.Audited));
        var approval = await world.ApprovedAsync(world.KillSwitch.ReleaseSubject(current));
        var released = await world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Paper, "ledger back", approval.Id, None);
        Assert.False(released.Engaged);
    }

    [Fact]
    public async Task Another_host_reading_storage_sees_the_emergency_engagement()
    {
        await using var world = await World.OpenAsync();
        world.Audit.Down = true;
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Live, "ledger is down", [], None);
        var otherBoard = new Governance.KillSwitch.KillSwitchBoard();
        var otherHost = new Governance.KillSwitch.KillSwitchService(world.Table, world.Audit, world.Approvals, otherBoard, world.Clock);

        var seen = await otherHost.RefreshAsync(DeploymentEnvironment.Live, None);
        Assert.True(seen.Engaged);
        Assert.True(otherBoard.IsEngaged(DeploymentEnvironment.Live));
    }

    [Fact]
    public async Task An_emergency_absorbed_by_a_writer_that_stopped_right_after_is_not_absorbed_twice()
    {
        await using var world = await World.OpenAsync();
        world.Audit.Down = true;
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Research, "ledger is down", [], None);
        world.Audit.Down = false;
        world.Table.InsertFault = partition => partition.StartsWith("kill-emergency-absorbed", StringComparison.Ordinal) ? new IOException("crash") : null;
        await Assert.ThrowsAsync<IOException>(() => world.KillSwitch.AbsorbEmergenciesAsync(DeploymentEnvironment.Research, None));
        world.Table.InsertFault = null;

        var state = await world.KillSwitch.ReadAsync(DeploymentEnvironment.Research, None);
        await world.KillSwitch.AbsorbEmergenciesAsync(DeploymentEnvironment.Research, None);

        Assert.Equal((true, 1L, true), (state.Engaged, state.Sequence, state.Audited));
        Assert.Single(await world.EntriesAsync("kill_switch"));
    }

    [Fact]
    public async Task An_absorbed_emergency_stays_absorbed_however_many_changes_follow()
    {
        await using var world = await World.OpenAsync();
        world.Audit.Down = true;
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Research, "ledger is down", [], None);
        world.Audit.Down = false;
        await world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Research, "ledger back", null, None);

        // A thousand drills later (records 3 to 1002, the last one a release), as the service writes them.
        await world.Writer.AppendAllAsync(Enumerable.Range(3, 1000).Select(sequence => LedgerEntry.Create(
            new LedgerEntryFields("kill_switch", $"kill-Research:{sequence:D10}", World.T0.AddMinutes(sequence), People.Operator.Subject,
                $"kill-Research:{sequence:D10}", "Research", []),
            new JsonObject
            {
                ["state"] = sequence % 2 == 1 ? "ENGAGED" : "RELEASED", ["scope"] = "Research", ["reason"] = "drill",
                ["reason_codes"] = new JsonArray(), ["approver"] = null, ["approval_id"] = null,
            })));

        var state = await world.KillSwitch.ReadAsync(DeploymentEnvironment.Research, None);

        Assert.Equal((false, 1002L, true), (state.Engaged, state.Sequence, state.Audited));
        await world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Research, "nothing to release", null, None);
        Assert.Equal(1002, (await world.EntriesAsync("kill_switch")).Count);
    }
}
