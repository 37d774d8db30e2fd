using Tollgate.Governance.Environments;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.VersionMaps;

public sealed class FindByCodeTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_newest_map_registered_for_a_code_is_found()
    {
        await using var world = await World.OpenAsync();
        await world.RegisterAsync(World.Map(DeploymentEnvironment.Paper, code: "abc123", docs: "docs-1"));
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var newer = await world.RegisterAsync(World.Map(DeploymentEnvironment.Paper, code: "abc123", docs: "docs-2"));
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.RegisterAsync(World.Map(DeploymentEnvironment.Paper, code: "def456"));

        var found = await world.VersionMaps.FindByCodeAsync(DeploymentEnvironment.Paper, "abc123", None);
        Assert.Equal(newer.Map.Id, found?.Map.Id);
    }

    [Fact]
    public async Task A_code_is_looked_up_per_environment_and_exactly()
    {
        await using var world = await World.OpenAsync();
        await world.RegisterAsync(World.Map(DeploymentEnvironment.Paper, code: "abc123"));

        Assert.Null(await world.VersionMaps.FindByCodeAsync(DeploymentEnvironment.Live, "abc123", None));
        Assert.Null(await world.VersionMaps.FindByCodeAsync(DeploymentEnvironment.Paper, "abc12", None));
        Assert.Null(await world.VersionMaps.FindByCodeAsync(DeploymentEnvironment.Paper, "abc1234", None));
        Assert.NotNull(await world.VersionMaps.FindByCodeAsync(DeploymentEnvironment.Paper, "abc123", None));
    }
}
