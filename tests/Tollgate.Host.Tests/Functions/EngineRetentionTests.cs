using Microsoft.Extensions.DependencyInjection;
using Tollgate.Durable;
using Tollgate.Host.Functions;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Functions;

public sealed class EngineRetentionTests
{
    [Fact]
    public async Task Retention_purges_only_ended_instances_older_than_the_setting()
    {
        await using var host = new HostFactory().With("Tollgate:InstanceRetentionDays", "1");
        var http = host.Http();
        var done = await http.StartAsync("EngineTour", """{"steps":1,"fanOut":1,"timerSeconds":0}""", "old-done");
        await http.WaitForEndAsync(done);
        await http.StartAsync("EngineTour", """{"steps":1,"fanOut":1,"timerSeconds":600}""", "old-running");

        var retention = host.Services.GetServices<IFunctionModule>().OfType<EngineRetention>().Single();
        Assert.Equal(0, await retention.PurgeAsync(CancellationToken.None)); // both were created just now

        // Seen from two days later, both are old; only the ended one goes.
        var later = new ShiftedClock(TimeSpan.FromDays(2));
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var settings = host.Services.GetRequiredService<Tollgate.Host.Settings.HostSettings>();
        var logs = host.Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<EngineRetention>>();
        Assert.Equal(1, await new EngineRetention(client, settings, later, logs).PurgeAsync(CancellationToken.None));
        Assert.Equal(["old-running"], await http.InstanceIdsAsync());
        Assert.Contains(host.Logs.Lines, l => l.Contains("engine-retention: purged 1 ended instance(s)"));
    }

    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
