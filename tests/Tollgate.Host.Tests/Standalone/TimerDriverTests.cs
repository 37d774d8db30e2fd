using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Host.Functions;
using Tollgate.Host.Standalone;

namespace Tollgate.Host.Tests.Standalone;

public sealed class TimerDriverTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static (FunctionRegistry Registry, ConcurrentBag<(DateTimeOffset Occurrence, string Host)> Fired) EverySecond(string host, ConcurrentBag<(DateTimeOffset, string)>? fired = null)
    {
        fired ??= new ConcurrentBag<(DateTimeOffset, string)>();
        var bag = fired;
        var registry = new FunctionRegistry().Add(FunctionDefinition.Timer("every-second", "* * * * * *", "UTC", (input, _, _) =>
        {
            bag.Add((input.ScheduledAt, host));
            return Task.CompletedTask;
        }));
        return (registry, fired);
    }

    private static TimerDriver Driver(FunctionRegistry registry, ITimerSingleton singleton)
        => new(registry, singleton, new ServiceCollection().BuildServiceProvider(), TimeProvider.System, NullLogger<TimerDriver>.Instance);

    /// <summary>Every occurrence from the first to the last fired, each exactly once, one second apart.</summary>
    private static void AssertEachOccurrenceOnce(IReadOnlyCollection<(DateTimeOffset Occurrence, string Host)> fired, int atLeast)
    {
        var occurrences = fired.Select(f => f.Occurrence).Order().ToList();
        Assert.True(occurrences.Count >= atLeast, $"only {occurrences.Count} occurrences fired: {string.Join(", ", occurrences.Select(o => o.ToString("HH:mm:ss.fff")))}");
        Assert.Equal(occurrences.Count, occurrences.Distinct().Count());
        for (var i = 1; i < occurrences.Count; i++)
            Assert.Equal(TimeSpan.FromSeconds(1), occurrences[i] - occurrences[i - 1]);
        Assert.All(occurrences, o => Assert.Equal(0, o.Millisecond));
    }

    [Fact]
    public async Task The_driver_fires_an_every_second_function_once_per_occurrence()
    {
        var (registry, fired) = EverySecond("only");
        var driver = Driver(registry, new InProcessTimerSingleton());
        await driver.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await driver.StopAsync(CancellationToken.None);
        AssertEachOccurrenceOnce(fired, atLeast: 2);
    }

    [Fact]
    public async Task Two_drivers_sharing_the_in_process_singleton_fire_each_occurrence_once()
    {
        var singleton = new InProcessTimerSingleton();
        var fired = new ConcurrentBag<(DateTimeOffset, string)>();
        var a = Driver(EverySecond("a", fired).Registry, singleton);
        var b = Driver(EverySecond("b", fired).Registry, singleton);
        await Task.WhenAll(a.StartAsync(CancellationToken.None), b.StartAsync(CancellationToken.None));
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await Task.WhenAll(a.StopAsync(CancellationToken.None), b.StopAsync(CancellationToken.None));
        AssertEachOccurrenceOnce(fired, atLeast: 2);
    }

    [Fact]
    public async Task Two_hosts_on_one_storage_account_fire_each_occurrence_exactly_once()
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(BlobTimerSingleton.ContainerName(AzuriteFixture.NewTaskHub("timers")));
        var fired = new ConcurrentBag<(DateTimeOffset Occurrence, string Host)>();
        var hostA = Driver(EverySecond("host-a", fired).Registry, new BlobTimerSingleton(container, "host-a", NullLogger.Instance));
        var hostB = Driver(EverySecond("host-b", fired).Registry, new BlobTimerSingleton(container, "host-b", NullLogger.Instance));

        await Task.WhenAll(hostA.StartAsync(CancellationToken.None), hostB.StartAsync(CancellationToken.None));
        await Task.Delay(TimeSpan.FromSeconds(5.5));
        await Task.WhenAll(hostA.StopAsync(CancellationToken.None), hostB.StopAsync(CancellationToken.None));

        AssertEachOccurrenceOnce(fired, atLeast: 4);
        var blob = container.GetBlobClient("every-second");
        var recorded = DateTimeOffset.Parse((await blob.GetPropertiesAsync()).Value.Metadata["lastoccurrence"]);
        // An occurrence is recorded before it runs (at most once): the stop may land between the two, leaving the
        // last occurrence recorded but not run. Never more than that one, and never a run that was not recorded.
        var lastFired = fired.Max(f => f.Occurrence);
        Assert.True(recorded == lastFired || recorded == lastFired.AddSeconds(1),
            $"recorded {recorded:O}, last fired {lastFired:O}");
        await container.DeleteIfExistsAsync();
    }

    [Fact]
    public async Task A_host_that_gets_the_lease_later_does_not_fire_a_recorded_occurrence_again()
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(BlobTimerSingleton.ContainerName(AzuriteFixture.NewTaskHub("timers")));
        var first = new BlobTimerSingleton(container, "first", NullLogger.Instance);
        var second = new BlobTimerSingleton(container, "second", NullLogger.Instance);
        var occurrence = DateTimeOffset.Parse("2030-01-01T09:00:00Z");

        var claim = await first.TryClaimAsync("daily", occurrence, CancellationToken.None);
        Assert.NotNull(claim);
        // While the first holds the lease, the second waits; once it is released, the second sees the record.
        var waiting = second.TryClaimAsync("daily", occurrence, CancellationToken.None);
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted);
        await claim.DisposeAsync();
        Assert.Null(await waiting);

        Assert.Null(await first.TryClaimAsync("daily", occurrence.AddSeconds(-1), CancellationToken.None));
        var next = await second.TryClaimAsync("daily", occurrence.AddDays(1), CancellationToken.None);
        Assert.NotNull(next);
        await next.DisposeAsync();
        await container.DeleteIfExistsAsync();
    }
}
