using System.Net;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Functions;

/// <summary>The test-only CrashProbe workflow exists only when TOLLGATE_TEST_WORKFLOWS=1, and its effect is idempotent.</summary>
public sealed class TestWorkflowTests
{
    [Fact]
    public async Task CrashProbe_is_not_registered_by_default()
    {
        await using var host = new HostFactory();
        await (await host.Http().PostAsync("/api/orchestrations/CrashProbe", Support.Api.Json("{}"))).AssertRefusedAsync(HttpStatusCode.NotFound, "ORCHESTRATOR_NOT_FOUND");
    }

    [Fact]
    public async Task CrashProbe_applies_each_effect_once_and_returns_their_number()
    {
        var effects = Path.Combine(Directory.CreateTempSubdirectory("tollgate-probe-").FullName, "effects");
        await using var host = new HostFactory().With("TOLLGATE_TEST_WORKFLOWS", "1").With("TOLLGATE_EFFECTS_FILE", effects);
        var http = host.Http();
        var id = await http.StartAsync("CrashProbe", """{"instanceKey":"p1","steps":3,"timerSeconds":1}""", "p1");
        var final = await http.WaitForEndAsync(id);
        Assert.Equal("Completed", final.GetProperty("runtimeStatus").GetString());
        Assert.Equal(4, final.GetProperty("output").GetInt32());
        var applied = File.ReadAllLines(effects);
        Assert.Equal(4, applied.Distinct().Count());
        Assert.All(applied, key => Assert.StartsWith("p1:", key));
        Assert.Equal(applied, File.ReadAllLines(effects + ".invocations"));
    }

    [Fact]
    public async Task The_effect_is_idempotent_under_concurrent_writers()
    {
        var effects = Path.Combine(Directory.CreateTempSubdirectory("tollgate-probe-").FullName, "effects");
        var keys = Enumerable.Range(0, 20).Select(i => $"k{i}").ToList();
        await Task.WhenAll(keys.Concat(keys).Concat(keys).Select(k => Task.Run(() => Tollgate.Host.Testing.EffectsFile.ApplyAsync(effects, k))));
        Assert.Equal(keys.Order(), File.ReadAllLines(effects).Order());
        Assert.Equal(60, File.ReadAllLines(effects + ".invocations").Length);
    }
}
