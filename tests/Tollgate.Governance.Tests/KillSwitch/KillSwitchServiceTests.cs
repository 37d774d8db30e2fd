using Tollgate.Governance.Approvals;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.KillSwitch;

public sealed class KillSwitchServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Engaging_and_releasing_on_research_is_recorded_and_applied_to_the_board()
    {
        await using var world = await World.OpenAsync();
        var engaged = await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Research, "fat finger", ["RISK_LIMIT"], None);

        Assert.True(engaged.Engaged && engaged.Audited);
        Assert.Equal((1L, People.Trader.Subject, "fat finger"), (engaged.Sequence, engaged.Actor, engaged.Reason));
        Assert.True(world.Board.IsEngaged(DeploymentEnvironment.Research));

        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var released = await world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Research, "fixed", null, None);
        Assert.False(released.Engaged);
        Assert.Equal(2, released.Sequence);
        Assert.False(world.Board.IsEngaged(DeploymentEnvironment.Research));

        var entries = await world.EntriesAsync("kill_switch");
        Assert.Equal(["ENGAGED", "RELEASED"], entries.Select(entry => World.Text(entry, "state")));
        Assert.Equal([People.Trader.Subject, People.Operator.Subject], entries.Select(entry => entry.Fields.Actor));
        Assert.Equal("kill-Research:0000000001", entries[0].Key);
        Assert.Equal("RISK_LIMIT", World.PayloadOf(entries[0]).GetProperty("reason_codes")[0].GetString());
    }

    [Fact]
    public async Task Engaging_an_engaged_switch_records_nothing_more()
    {
        await using var world = await World.OpenAsync();
        var first = await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Research, "drill", ["RISK_LIMIT"], None);
        world.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await world.KillSwitch.EngageAsync(People.Operator, DeploymentEnvironment.Research, "again", ["OTHER"], None);

        Assert.Equal(first, second with { ReasonCodes = first.ReasonCodes });
        Assert.Single(await world.EntriesAsync("kill_switch"));
    }

    [Fact]
    public async Task Engagements_racing_in_parallel_record_one_engagement()
    {
        await using var world = await World.OpenAsync();
        world.Clock.TickPerRead = TimeSpan.FromMilliseconds(1);
        var states = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => world.KillSwitch.EngageAsync(People.Person($"trader-{i}", Role.Trader), DeploymentEnvironment.Research, "stop", ["RISK_LIMIT"], None))));

        Assert.All(states, state => Assert.True(state.Engaged));
        Assert.Single(await world.EntriesAsync("kill_switch"));
        Assert.True(world.Board.IsEngaged(DeploymentEnvironment.Research));
    }

    [Fact]
    public async Task Releasing_a_released_switch_records_nothing()
    {
        await using var world = await World.OpenAsync();
        var state = await world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Live, "nothing to release", null, None);
        Assert.False(state.Engaged);
        Assert.Equal(0, world.LedgerSize);
    }

    [Fact]
    public async Task Releasing_on_paper_needs_an_approval_of_releasing_this_very_engagement()
    {
        await using var world = await World.OpenAsync();
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Paper, "drill", ["RISK_LIMIT"], None);
        var current = await world.KillSwitch.ReadAsync(DeploymentEnvironment.Paper, None);
        var subject = world.KillSwitch.ReleaseSubject(current);
        Assert.Equal(new ApprovalSubject(SubjectKind.ReleaseKillSwitch, DeploymentEnvironment.Paper, "kill-Paper:0000000001"), subject);
        var wrong = await world.ApprovedAsync(subject with { Reference = "kill-Paper:0000000007" });
        var size = world.LedgerSize;

        await Refused.WithAsync(GovernanceReasons.ApprovalRequired, () => world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Paper, "ok", null, None));
        await Refused.WithAsync(GovernanceReasons.SubjectMismatch, () => world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Paper, "ok", wrong.Id, None));
        Assert.Equal(size, world.LedgerSize);
        Assert.True(world.Board.IsEngaged(DeploymentEnvironment.Paper));

        var approval = await world.ApprovedAsync(subject);
        await Refused.WithAsync(GovernanceReasons.FourEyes, () => world.KillSwitch.ReleaseAsync(People.Trader, DeploymentEnvironment.Paper, "ok", approval.Id, None));
        var released = await world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Paper, "ok", approval.Id, None);

        Assert.False(released.Engaged);
        Assert.False(world.Board.IsEngaged(DeploymentEnvironment.Paper));
        var entry = (await world.EntriesAsync("kill_switch")).Last();
        Assert.Equal(("RELEASED", People.Trader.Subject, approval.Id), (World.Text(entry, "state"), World.Text(entry, "approver"), World.Text(entry, "approval_id")));
    }

    [Fact]
    public async Task An_approval_to_release_one_engagement_does_not_release_the_next()
    {
        await using var world = await World.OpenAsync();
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Live, "first", ["RISK_LIMIT"], None);
        var approval = await world.ApprovedAsync(world.KillSwitch.ReleaseSubject(await world.KillSwitch.ReadAsync(DeploymentEnvironment.Live, None)));
        await world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Live, "ok", approval.Id, None);
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Live, "second", ["RISK_LIMIT"], None);

        await Refused.WithAsync(GovernanceReasons.SubjectMismatch, () => world.KillSwitch.ReleaseAsync(People.Operator, DeploymentEnvironment.Live, "again", approval.Id, None));
        Assert.True(world.Board.IsEngaged(DeploymentEnvironment.Live));
    }

    [Fact]
    public async Task A_shared_account_can_neither_engage_nor_release_a_live_grade_switch()
    {
        await using var world = await World.OpenAsync();
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Paper, "stop", ["RISK_LIMIT"], None);
        Assert.True(world.Board.IsEngaged(DeploymentEnvironment.Paper));
        await Refused.WithAsync(GovernanceReasons.SharedAccount, () => world.KillSwitch.EngageAsync(People.SharedOperator, DeploymentEnvironment.Paper, "again", [], None));
        await Refused.WithAsync(GovernanceReasons.SharedAccount, () => world.KillSwitch.ReleaseAsync(People.SharedOperator, DeploymentEnvironment.Paper, "go", null, None));
    }

    [Fact]
    public async Task Another_host_refreshing_from_storage_sees_the_engagement()
    {
        await using var world = await World.OpenAsync();
        await world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Live, "stop", ["RISK_LIMIT"], None);
        var otherBoard = new Governance.KillSwitch.KillSwitchBoard();
        var otherHost = new Governance.KillSwitch.KillSwitchService(world.Table, world.Audit, world.Approvals, otherBoard, world.Clock);

        Assert.False(otherBoard.IsEngaged(DeploymentEnvironment.Live));
        await otherHost.RefreshAsync(DeploymentEnvironment.Live, None);
        Assert.True(otherBoard.IsEngaged(DeploymentEnvironment.Live));
    }
}
