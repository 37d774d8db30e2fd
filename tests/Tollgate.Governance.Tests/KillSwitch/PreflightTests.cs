using Tollgate.Governance.Environments;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.KillSwitch;

public sealed class PreflightTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_healthy_kill_switch_passes_its_preflight()
    {
        await using var world = await World.OpenAsync();
        var preflight = await world.KillSwitch.PreflightAsync(DeploymentEnvironment.Live, None);
        Assert.True(preflight.Ok);
        Assert.Empty(preflight.Problems);
    }

    [Fact]
    public async Task An_unavailable_audit_log_is_reported()
    {
        await using var world = await World.OpenAsync();
        world.Audit.Down = true;
        var preflight = await world.KillSwitch.PreflightAsync(DeploymentEnvironment.Live, None);
        Assert.False(preflight.Ok);
        Assert.Equal((true, true, false), (preflight.CanTrigger, preflight.CanReport, preflight.Audited));
        Assert.Contains(preflight.Problems, problem => problem.Contains("audit ledger"));
    }

    [Fact]
    public async Task A_table_that_refuses_writes_is_reported_as_unable_to_trigger()
    {
        await using var world = await World.OpenAsync();
        world.Table.InsertFault = _ => new IOException("storage down");
        var preflight = await world.KillSwitch.PreflightAsync(DeploymentEnvironment.Live, None);
        Assert.False(preflight.CanTrigger);
        Assert.False(preflight.Ok);
        Assert.Contains(preflight.Problems, problem => problem.Contains("refused a write"));
    }

    [Fact]
    public async Task A_table_that_cannot_be_read_is_reported_as_unable_to_trigger_and_to_report()
    {
        await using var world = await World.OpenAsync();
        world.Table.InsertFault = _ => new IOException("storage down");
        world.Table.ReadFault = _ => new IOException("storage down");
        var preflight = await world.KillSwitch.PreflightAsync(DeploymentEnvironment.Live, None);
        Assert.Equal((false, false), (preflight.CanTrigger, preflight.CanReport));
        Assert.Equal(2, preflight.Problems.Count);
        Assert.Contains(preflight.Problems, problem => problem.Contains("cannot be read"));
    }

    [Fact]
    public async Task A_stop_held_on_this_host_only_is_reported_as_differing_from_storage()
    {
        await using var world = await World.OpenAsync();
        world.Audit.Down = true;
        world.Table.InsertFault = _ => new IOException("storage down");
        await Assert.ThrowsAsync<IOException>(() => world.KillSwitch.EngageAsync(People.Trader, DeploymentEnvironment.Live, "everything is down", [], None));
        Assert.True(world.Board.IsEngaged(DeploymentEnvironment.Live));
        world.Audit.Down = false;
        world.Table.InsertFault = null;

        var preflight = await world.KillSwitch.PreflightAsync(DeploymentEnvironment.Live, None);

        Assert.False((await world.KillSwitch.ReadAsync(DeploymentEnvironment.Live, None)).Engaged);
        Assert.False(preflight.CanReport);
        Assert.Contains(preflight.Problems, problem => problem.Contains("differs from the stored one"));
        Assert.True(world.Board.IsEngaged(DeploymentEnvironment.Live));
    }
}
