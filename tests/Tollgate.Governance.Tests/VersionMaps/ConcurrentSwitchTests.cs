using Tollgate.Governance.Environments;
using Tollgate.Governance.Tests.Support;
using Tollgate.Governance.VersionMaps;

namespace Tollgate.Governance.Tests.VersionMaps;

public sealed class ConcurrentSwitchTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<(List<VersionSwitch> Switched, List<GovernanceException> Refused)> RaceAsync(World world, IReadOnlyList<string> maps, int count, bool sameReason)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                return ((VersionSwitch?)await world.ActivateAsync(DeploymentEnvironment.Research, maps[i % maps.Count], reason: sameReason ? "release" : $"release {i}"),
                    (GovernanceException?)null);
            }
            catch (GovernanceException e) { return (null, e); }
        })).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(calls);
        return ([.. outcomes.Select(o => o.Item1).OfType<VersionSwitch>()], [.. outcomes.Select(o => o.Item2).OfType<GovernanceException>()]);
    }

    [Fact]
    public async Task Twenty_parallel_activations_form_one_unbroken_chain_of_switches()
    {
        await using var world = await World.OpenAsync();
        var a = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research))).Map.Id;
        var b = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research, docs: "docs-2"))).Map.Id;

        var (switched, refused) = await RaceAsync(world, [a, b], 20, sameReason: false);

        Assert.NotEmpty(switched);
        Assert.All(refused, e => Assert.Contains(e.Reason, new[] { GovernanceReasons.MapConflict, GovernanceReasons.MapAlreadyActive }));
        Assert.Equal(20, switched.Count + refused.Count);
        var sequences = switched.Select(s => s.Sequence).Order().ToList();
        Assert.Equal(Enumerable.Range(1, switched.Count).Select(i => (long)i), sequences);

        var history = (await world.VersionMaps.HistoryAsync(DeploymentEnvironment.Research, 100, None)).Reverse().ToList();
        Assert.Equal(sequences, history.Select(s => s.Sequence));
        Assert.Null(history[0].FromMap);
        for (var i = 1; i < history.Count; i++)
        {
            Assert.Equal(history[i - 1].ToMap, history[i].FromMap);
            Assert.NotEqual(history[i].FromMap, history[i].ToMap);
        }
        Assert.Equal(switched.Count, (await world.EntriesAsync("version_map_switch")).Count);
        Assert.Equal(history[^1].ToMap, (await world.VersionMaps.ActiveAsync(DeploymentEnvironment.Research, None)).Map.Id);
    }

    /// <summary>
    /// Byte-identical requests (same operator, map, reason and millisecond) build the same ledger entry, which the
    /// ledger's idempotent keys store once: they are one switch, reported to each of them.
    /// </summary>
    [Fact]
    public async Task Identical_parallel_activations_are_recorded_once_and_never_break_the_chain()
    {
        await using var world = await World.OpenAsync();
        var a = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research))).Map.Id;
        var b = (await world.RegisterAsync(World.Map(DeploymentEnvironment.Research, docs: "docs-2"))).Map.Id;

        var (switched, refused) = await RaceAsync(world, [a, b], 20, sameReason: true);

        Assert.All(refused, e => Assert.Contains(e.Reason, new[] { GovernanceReasons.MapConflict, GovernanceReasons.MapAlreadyActive }));
        var history = (await world.VersionMaps.HistoryAsync(DeploymentEnvironment.Research, 100, None)).Reverse().ToList();
        Assert.Equal(switched.Select(s => s.Sequence).Distinct().Order(), history.Select(s => s.Sequence));
        Assert.All(switched, s => Assert.Equal(history.Single(h => h.Sequence == s.Sequence).LedgerIndex, s.LedgerIndex));
        for (var i = 1; i < history.Count; i++) Assert.Equal(history[i - 1].ToMap, history[i].FromMap);
        Assert.Equal(history.Count, (await world.EntriesAsync("version_map_switch")).Count);
    }
}
