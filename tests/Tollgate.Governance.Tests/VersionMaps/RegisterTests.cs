using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Tests.Support;
using Tollgate.Governance.VersionMaps;

namespace Tollgate.Governance.Tests.VersionMaps;

public sealed class RegisterTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Registering_the_same_content_again_returns_the_first_registration_and_records_once()
    {
        await using var world = await World.OpenAsync();
        var first = await world.RegisterAsync(World.Map(DeploymentEnvironment.Research));
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await world.RegisterAsync(World.Map(DeploymentEnvironment.Research), People.Operator);

        Assert.False(first.Existing);
        Assert.True(again.Existing);
        Assert.Equal(first.Map.Id, again.Map.Id);
        Assert.Equal((People.Pipeline.Subject, World.T0, first.LedgerIndex), (again.RegisteredBy, again.RegisteredAt, again.LedgerIndex));
        var entry = Assert.Single(await world.EntriesAsync("version_map"));
        Assert.Equal(first.Map.Id, World.Text(entry, "map_id"));
        Assert.Equal($"vmap:{first.Map.Id}", entry.Key);
    }

    [Fact]
    public async Task Different_content_is_a_different_map()
    {
        await using var world = await World.OpenAsync();
        var a = await world.RegisterAsync(World.Map(DeploymentEnvironment.Research));
        var b = await world.RegisterAsync(World.Map(DeploymentEnvironment.Research, docs: "docs-2"));
        var c = await world.RegisterAsync(World.Map(DeploymentEnvironment.Backtest));
        Assert.Equal(3, new[] { a.Map.Id, b.Map.Id, c.Map.Id }.Distinct().Count());
        Assert.Equal(3, (await world.EntriesAsync("version_map")).Count);
    }

    [Fact]
    public async Task A_map_reads_back_exactly_as_registered()
    {
        await using var world = await World.OpenAsync();
        var map = World.Map(DeploymentEnvironment.Paper, artifacts:
        [
            new ArtifactRef("policy", "blob://policy/7", InMemoryContentStore.DigestOf("policy"u8.ToArray())),
            new ArtifactRef("image", "ghcr.io/x:7", InMemoryContentStore.DigestOf("image"u8.ToArray())),
        ]);
        await world.RegisterAsync(map);
        var read = await world.VersionMaps.GetAsync(map.Id, None);
        Assert.Equal(map.ToJson().ToJsonString(), read.Map.ToJson().ToJsonString());
        Assert.StartsWith(VersionMap.IdPrefix, read.Map.Id);
    }

    [Fact]
    public async Task Registering_the_same_map_in_parallel_by_different_people_yields_one_map()
    {
        await using var world = await World.OpenAsync();
        var map = World.Map(DeploymentEnvironment.Research, code: "parallel");
        var registrations = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => world.RegisterAsync(map, People.Person($"ci-{i}", Role.Pipeline)))));

        Assert.All(registrations, registration => Assert.Equal(map.Id, registration.Map.Id));
        Assert.Single(registrations, registration => !registration.Existing);
        Assert.Single(await world.EntriesAsync("version_map"));
    }

    [Fact]
    public async Task An_unknown_map_is_not_found()
    {
        await using var world = await World.OpenAsync();
        await Refused.WithAsync(GovernanceReasons.MapNotFound, () => world.VersionMaps.GetAsync("vm-unknown", None));
    }

    [Fact]
    public async Task A_shared_account_cannot_register_a_live_map()
    {
        await using var world = await World.OpenAsync();
        await Refused.WithAsync(GovernanceReasons.SharedAccount, () => world.RegisterAsync(World.Map(DeploymentEnvironment.Live), People.SharedOperator));
        Assert.Equal(0, world.LedgerSize);
    }

    [Fact]
    public async Task A_registration_whose_row_was_never_written_is_found_in_the_ledger()
    {
        await using var world = await World.OpenAsync();
        var map = World.Map(DeploymentEnvironment.Research);
        world.Table.InsertFault = partition => partition == "vmaps" ? new IOException("table down") : null;
        await Assert.ThrowsAsync<IOException>(() => world.RegisterAsync(map));
        world.Table.InsertFault = null;

        var found = await world.VersionMaps.GetAsync(map.Id, None);
        Assert.Equal(map.Id, found.Map.Id);
        Assert.NotNull(await world.Table.Inner.GetAsync("vmaps", map.Id, None));
    }

    [Fact]
    public void Two_artifacts_of_one_name_are_refused() =>
        Refused.With(GovernanceReasons.InvalidRequest, () => World.Map(DeploymentEnvironment.Research, artifacts:
        [
            new ArtifactRef("image", "a", InMemoryContentStore.DigestOf("a"u8.ToArray())),
            new ArtifactRef("image", "b", InMemoryContentStore.DigestOf("b"u8.ToArray())),
        ]));
}
