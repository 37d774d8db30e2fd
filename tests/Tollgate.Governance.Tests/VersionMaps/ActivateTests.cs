using Tollgate.Governance.Approvals;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Tests.Support;
using Tollgate.Governance.VersionMaps;

namespace Tollgate.Governance.Tests.VersionMaps;

public sealed class ActivateTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(DeploymentEnvironment.Research)]
    [InlineData(DeploymentEnvironment.Backtest)]
    [InlineData(DeploymentEnvironment.Simulation)]
    public async Task An_environment_without_an_active_map_blocks(DeploymentEnvironment environment)
    {
        await using var world = await World.OpenAsync();
        await world.RegisterAsync(World.Map(environment));
        await Refused.WithAsync(GovernanceReasons.MapMissing, () => world.VersionMaps.ActiveAsync(environment, None));
        Assert.Null(await world.VersionMaps.FindActiveAsync(environment, None));
    }

    [Fact]
    public async Task Activating_on_research_needs_no_approval_and_is_a_recorded_switch()
    {
        await using var world = await World.OpenAsync();
        var map = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research))).Map;

        var change = await world.ActivateAsync(DeploymentEnvironment.Research, map.Id);

        Assert.Equal((1L, SwitchAction.Activate, (string?)null, map.Id, People.Operator.Subject, (string?)null), (change.Sequence, change.Action, change.FromMap, change.ToMap, change.Operator, change.Approver));
        var active = await world.VersionMaps.ActiveAsync(DeploymentEnvironment.Research, None);
        Assert.Equal(map.Id, active.Map.Id);
        var entry = Assert.Single(await world.EntriesAsync("version_map_switch"));
        Assert.Equal(("ACTIVATE", map.Id, "config-1", People.Operator.Subject), (World.Text(entry, "action"), World.Text(entry, "to_map"), World.Text(entry, "config_version"), entry.Fields.Actor));
        Assert.Equal(change.LedgerIndex, world.Writer.Find(entry.Key));
    }

    [Theory]
    [InlineData(DeploymentEnvironment.Paper)]
    [InlineData(DeploymentEnvironment.Live)]
    public async Task Activating_on_a_live_grade_environment_needs_an_approval_for_exactly_that_map(DeploymentEnvironment environment)
    {
        await using var world = await World.OpenAsync();
        var map = (await world.RegisterAsync(World.Map(environment))).Map;
        var other = (await world.RegisterAsync(World.Map(environment, docs: "docs-2"))).Map;
        var forOther = await world.ApprovedAsync(VersionMapService.SubjectOf(SwitchAction.Activate, environment, other.Id));
        var forRollback = await world.ApprovedAsync(VersionMapService.SubjectOf(SwitchAction.Rollback, environment, map.Id));
        var size = world.LedgerSize;

        await Refused.WithAsync(GovernanceReasons.ApprovalRequired, () => world.ActivateAsync(environment, map.Id));
        await Refused.WithAsync(GovernanceReasons.SubjectMismatch, () => world.ActivateAsync(environment, map.Id, forOther.Id));
        await Refused.WithAsync(GovernanceReasons.SubjectMismatch, () => world.ActivateAsync(environment, map.Id, forRollback.Id));
        Assert.Equal(size, world.LedgerSize);
        Assert.Null(await world.VersionMaps.FindActiveAsync(environment, None));

        var approval = await world.ApprovedAsync(VersionMapService.SubjectOf(SwitchAction.Activate, environment, map.Id));
        var change = await world.ActivateAsync(environment, map.Id, approval.Id);
        Assert.Equal((People.Trader.Subject, approval.Id), (change.Approver, change.ApprovalId));
        Assert.Equal(map.Id, (await world.VersionMaps.ActiveAsync(environment, None)).Map.Id);
    }

    [Fact]
    public async Task A_pending_approval_does_not_let_a_switch_through()
    {
        await using var world = await World.OpenAsync();
        var map = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Paper))).Map;
        var pending = await world.RequestAsync(VersionMapService.SubjectOf(SwitchAction.Activate, DeploymentEnvironment.Paper, map.Id));
        await Refused.WithAsync(GovernanceReasons.ApprovalRequired, () => world.ActivateAsync(DeploymentEnvironment.Paper, map.Id, pending.Id));
    }

    [Fact]
    public async Task An_approval_is_used_once()
    {
        await using var world = await World.OpenAsync();
        var a = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Paper))).Map;
        var b = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Paper, docs: "docs-2"))).Map;
        var forA = await world.ApprovedAsync(VersionMapService.SubjectOf(SwitchAction.Activate, DeploymentEnvironment.Paper, a.Id));
        var forB = await world.ApprovedAsync(VersionMapService.SubjectOf(SwitchAction.Activate, DeploymentEnvironment.Paper, b.Id));
        await world.ActivateAsync(DeploymentEnvironment.Paper, a.Id, forA.Id);
        await world.ActivateAsync(DeploymentEnvironment.Paper, b.Id, forB.Id);
        var size = world.LedgerSize;

        await Refused.WithAsync(GovernanceReasons.NotPending, () => world.ActivateAsync(DeploymentEnvironment.Paper, a.Id, forA.Id));
        Assert.Equal(size, world.LedgerSize);
        Assert.Equal(b.Id, (await world.VersionMaps.ActiveAsync(DeploymentEnvironment.Paper, None)).Map.Id);
    }

    [Fact]
    public async Task The_approver_cannot_carry_out_the_switch_they_approved()
    {
        await using var world = await World.OpenAsync();
        var map = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Live))).Map;
        var approval = await world.ApprovedAsync(VersionMapService.SubjectOf(SwitchAction.Activate, DeploymentEnvironment.Live, map.Id));
        await Refused.WithAsync(GovernanceReasons.FourEyes, () => world.ActivateAsync(DeploymentEnvironment.Live, map.Id, approval.Id, by: People.Trader));
    }

    [Fact]
    public async Task A_map_registered_for_another_environment_is_refused()
    {
        await using var world = await World.OpenAsync();
        var map = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research))).Map;
        await Refused.WithAsync(GovernanceReasons.MapWrongEnvironment, () => world.ActivateAsync(DeploymentEnvironment.Backtest, map.Id));
        await Refused.WithAsync(GovernanceReasons.MapNotFound, () => world.ActivateAsync(DeploymentEnvironment.Research, "vm-unknown"));
        Assert.Empty(await world.EntriesAsync("version_map_switch"));
    }

    [Fact]
    public async Task Activating_the_active_map_again_is_refused()
    {
        await using var world = await World.OpenAsync();
        var map = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research))).Map;
        await world.ActivateAsync(DeploymentEnvironment.Research, map.Id);
        await Refused.WithAsync(GovernanceReasons.MapAlreadyActive, () => world.ActivateAsync(DeploymentEnvironment.Research, map.Id, reason: "again"));
        Assert.Single(await world.EntriesAsync("version_map_switch"));
    }

    [Fact]
    public async Task A_stale_expected_map_is_a_conflict_and_switches_nothing()
    {
        await using var world = await World.OpenAsync();
        var a = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research))).Map;
        var b = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research, docs: "docs-2"))).Map;
        await world.ActivateAsync(DeploymentEnvironment.Research, a.Id);
        var size = world.LedgerSize;

        await Refused.WithAsync(GovernanceReasons.MapConflict, () => world.VersionMaps.ActivateAsync(People.Operator, DeploymentEnvironment.Research, b.Id,
            "release", expectedFrom: null, checkExpected: true, approvalId: null, None));
        await Refused.WithAsync(GovernanceReasons.MapConflict, () => world.VersionMaps.ActivateAsync(People.Operator, DeploymentEnvironment.Research, b.Id,
            "release", expectedFrom: b.Id, checkExpected: true, approvalId: null, None));

        Assert.Equal(size, world.LedgerSize);
        Assert.Equal(a.Id, (await world.VersionMaps.ActiveAsync(DeploymentEnvironment.Research, None)).Map.Id);
        var change = await world.VersionMaps.ActivateAsync(People.Operator, DeploymentEnvironment.Research, b.Id, "release", a.Id, true, null, None);
        Assert.Equal((a.Id, b.Id), (change.FromMap, change.ToMap));
    }

    [Fact]
    public async Task A_shared_account_cannot_switch_a_live_grade_environment()
    {
        await using var world = await World.OpenAsync();
        var map = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Paper))).Map;
        var approval = await world.ApprovedAsync(VersionMapService.SubjectOf(SwitchAction.Activate, DeploymentEnvironment.Paper, map.Id));
        await Refused.WithAsync(GovernanceReasons.SharedAccount, () => world.ActivateAsync(DeploymentEnvironment.Paper, map.Id, approval.Id, by: People.SharedOperator));
    }
}
