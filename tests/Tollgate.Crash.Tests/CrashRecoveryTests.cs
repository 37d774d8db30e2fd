using System.Text.Json;
using Tollgate.Durable.AzureStorage.Tests;

namespace Tollgate.Crash.Tests;

/// <summary>
/// Kills a real host with SIGKILL at each of the engine's crash points, starts a new host on the
/// same task hub, and checks the orchestration completes with every keyed effect applied once.
/// The probe orchestration runs 3 effects, a 2 s durable timer, then a 4th effect.
/// </summary>
public sealed class CrashRecoveryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int ExpectedEffects = 4;
    private readonly string _workDir = Directory.CreateTempSubdirectory("tollgate-crash-").FullName;

    [Theory]
    [InlineData("after-history-commit")]
    [InlineData("during-activity")]
    [InlineData("after-activity-before-record")]
    [InlineData("during-timer")]
    public async Task Orchestration_completes_with_every_effect_exactly_once_after_SIGKILL(string crashPoint)
    {
        var taskHub = "crash" + Guid.NewGuid().ToString("N")[..10];
        var effects = Path.Combine(_workDir, $"{crashPoint}.effects");
        var instanceId = $"probe-{crashPoint}";

        await using (var doomed = await HostProcess.StartAsync(azurite.ConnectionString, taskHub, effects, "host-a", crashAt: crashPoint))
        {
            await doomed.StartOrchestrationAsync("CrashProbe", new { instanceKey = instanceId, steps = 3, timerSeconds = 2 }, instanceId);
            var reached = await doomed.CrashPointReached.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(crashPoint, reached);
            await doomed.KillAsync();
        }

        await using var survivor = await HostProcess.StartAsync(azurite.ConnectionString, taskHub, effects, "host-b");
        var final = await survivor.WaitForEndAsync(instanceId, TimeSpan.FromSeconds(90));

        Assert.Equal("Completed", final.GetProperty("runtimeStatus").GetString());
        Assert.Equal(ExpectedEffects, final.GetProperty("output").GetInt32());
        var applied = File.ReadAllLines(effects);
        Assert.Equal(ExpectedEffects, applied.Length);
        Assert.Equal(ExpectedEffects, applied.Distinct().Count());

        var invocations = File.ReadAllLines(effects + ".invocations");
        if (crashPoint == "after-activity-before-record")
            // The killed host had run the activity; the survivor ran it again: at-least-once, applied once.
            Assert.True(invocations.Length > applied.Length, $"expected a repeated invocation, saw {invocations.Length}");
        Assert.Equal(applied.ToHashSet(), invocations.ToHashSet());
    }

    [Fact]
    public async Task Two_hosts_on_one_task_hub_share_partitions_and_apply_each_step_once()
    {
        var taskHub = "multi" + Guid.NewGuid().ToString("N")[..10];
        var effects = Path.Combine(_workDir, "multi.effects");
        await using var first = await HostProcess.StartAsync(azurite.ConnectionString, taskHub, effects, "host-1");
        await using var second = await HostProcess.StartAsync(azurite.ConnectionString, taskHub, effects, "host-2");

        var ids = Enumerable.Range(0, 12).Select(i => $"multi-{i}").ToList();
        for (var i = 0; i < ids.Count; i++)
            await (i % 2 == 0 ? first : second).StartOrchestrationAsync("CrashProbe", new { instanceKey = ids[i], steps = 3, timerSeconds = 1 }, ids[i]);

        foreach (var id in ids)
        {
            var final = await first.WaitForEndAsync(id, TimeSpan.FromSeconds(120));
            Assert.Equal("Completed", final.GetProperty("runtimeStatus").GetString());
        }

        var applied = File.ReadAllLines(effects);
        Assert.Equal(ids.Count * ExpectedEffects, applied.Length);
        Assert.Equal(applied.Length, applied.Distinct().Count());

        var owned1 = Owned(await first.HealthAsync());
        var owned2 = Owned(await second.HealthAsync());
        Assert.NotEmpty(owned1);
        Assert.NotEmpty(owned2);
        Assert.Empty(owned1.Intersect(owned2));
    }

    private static int[] Owned(JsonElement health)
        => health.GetProperty("ownedPartitions").EnumerateArray().Select(p => p.GetInt32()).ToArray();

    public void Dispose() => Directory.Delete(_workDir, recursive: true);
}
