using Tollgate.Governance.Environments;
using Tollgate.Governance.Tests.Support;
using Tollgate.Governance.VersionMaps;

namespace Tollgate.Governance.Tests.VersionMaps;

public sealed class RollbackTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Task<VersionSwitch> RollbackAsync(World world, DeploymentEnvironment environment, string? toMap = null, string? approvalId = null) =>
        world.VersionMaps.RollbackAsync(People.Operator, environment, toMap, "bad release", null, checkExpected: false, approvalId, None);

    [Fact]
    public async Task A_rollback_returns_the_exact_previous_map_as_a_recorded_switch()
    {
        await using var world = await World.OpenAsync();
        var a = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research))).Map;
        var b = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research, docs: "docs-2"))).Map;
        await world.ActivateAsync(DeploymentEnvironment.Research, a.Id);
        await world.ActivateAsync(DeploymentEnvironment.Research, b.Id);

        var change = await RollbackAsync(world, DeploymentEnvironment.Research);

        Assert.Equal((3L, SwitchAction.Rollback, b.Id, a.Id), (change.Sequence, change.Action, change.FromMap, change.ToMap));
        var active = await world.VersionMaps.ActiveAsync(DeploymentEnvironment.Research, None);
        Assert.Equal(a.ToJson().ToJsonString(), active.Map.ToJson().ToJsonString());
        var entries = await world.EntriesAsync("version_map_switch");
        Assert.Equal(["ACTIVATE", "ACTIVATE", "ROLLBACK"], entries.Select(entry => World.Text(entry, "action")));
        Assert.Equal([3L, 2L, 1L], (await world.VersionMaps.HistoryAsync(DeploymentEnvironment.Research, 10, None)).Select(s => s.Sequence));
    }

    [Fact]
    public async Task A_rollback_to_a_named_earlier_map_goes_there()
    {
        await using var world = await World.OpenAsync();
        var maps = new List<VersionMap>();
        for (var i = 0; i < 3; i++)
        {
            maps.Add((await world.RegisterAsync(World.Map(DeploymentEnvironment.Research, docs: $"docs-{i}"))).Map);
            await world.ActivateAsync(DeploymentEnvironment.Research, maps[i].Id);
        }
        var change = await RollbackAsync(world, DeploymentEnvironment.Research, maps[0].Id);
        Assert.Equal((maps[2].Id, maps[0].Id), (change.FromMap, change.ToMap));
    }

    [Fact]
    public async Task Rolling_back_the_first_map_ever_active_is_refused()
    {
        await using var world = await World.OpenAsync();
        var a = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research))).Map;
        await Refused.WithAsync(GovernanceReasons.MapMissing, () => RollbackAsync(world, DeploymentEnvironment.Research));
        await world.ActivateAsync(DeploymentEnvironment.Research, a.Id);
        await Refused.WithAsync(GovernanceReasons.MapNoPrevious, () => RollbackAsync(world, DeploymentEnvironment.Research));
    }

    [Fact]
    public async Task A_rollback_to_a_map_that_was_never_active_is_refused()
    {
        await using var world = await World.OpenAsync();
        var a = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research))).Map;
        var b = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research, docs: "docs-2"))).Map;
        var never = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research, docs: "docs-never"))).Map;
        await world.ActivateAsync(DeploymentEnvironment.Research, a.Id);
        await world.ActivateAsync(DeploymentEnvironment.Research, b.Id);
        var size = world.LedgerSize;

        await Refused.WithAsync(GovernanceReasons.MapNoPrevious, () => RollbackAsync(world, DeploymentEnvironment.Research, never.Id));
        await Refused.WithAsync(GovernanceReasons.MapNoPrevious, () => RollbackAsync(world, DeploymentEnvironment.Research, "vm-unknown"));
        Assert.Equal(size, world.LedgerSize);
    }

    [Fact]
    public async Task A_rollback_on_paper_needs_an_approval_of_the_rollback_to_that_map()
    {
        await using var world = await World.OpenAsync();
        var a = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Paper))).Map;
        var b = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Paper, docs: "docs-2"))).Map;
        await world.ActivateAsync(DeploymentEnvironment.Paper, a.Id,
            (await world.ApprovedAsync(VersionMapService.SubjectOf(SwitchAction.Activate, DeploymentEnvironment.Paper, a.Id))).Id);
        await world.ActivateAsync(DeploymentEnvironment.Paper, b.Id,
            (await world.ApprovedAsync(VersionMapService.SubjectOf(SwitchAction.Activate, DeploymentEnvironment.Paper, b.Id))).Id);
        var activationOfA = await world.ApprovedAsync(VersionMapService.SubjectOf(SwitchAction.Activate, DeploymentEnvironment.Paper, a.Id));

        await Refused.WithAsync(GovernanceReasons.ApprovalRequired, () => RollbackAsync(world, DeploymentEnvironment.Paper));
        await Refused.WithAsync(GovernanceReasons.SubjectMismatch, () => RollbackAsync(world, DeploymentEnvironment.Paper, approvalId: activationOfA.Id));

        var rollback = await world.ApprovedAsync(VersionMapService.SubjectOf(SwitchAction.Rollback, DeploymentEnvironment.Paper, a.Id));
        var change = await RollbackAsync(world, DeploymentEnvironment.Paper, approvalId: rollback.Id);
        Assert.Equal((SwitchAction.Rollback, a.Id, rollback.Id), (change.Action, change.ToMap, change.ApprovalId));
    }
}
