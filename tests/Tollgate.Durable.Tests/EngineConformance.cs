using Tollgate.Durable.Backend;
using Tollgate.Durable.Tests.Support;
using Tollgate.Durable.Worker;
using Xunit.Abstractions;

namespace Tollgate.Durable.Tests;

/// <summary>
/// The engine's conformance suite: every test runs on every backend, through one subclass per
/// backend. Each test gets its own task hub ("t" + 12 hex characters), so tests need no cleanup and
/// never see each other's instances. Tests assert end states (outputs, statuses, what the history
/// caused), never the order of internal calls or how fast anything ran.
/// </summary>
public abstract partial class EngineConformance(ITestOutputHelper output)
{
    /// <summary>How long one test may take before its waits fail it.</summary>
    protected virtual TimeSpan TestTimeout => TimeSpan.FromSeconds(30);

    protected ITestOutputHelper Output { get; } = output;

    protected abstract Task<DurableBackend> CreateBackendAsync(string taskHub, int partitionCount);

    protected static string NewTaskHub() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The options every test's worker starts with, unless the test says otherwise.</summary>
    protected static DurableWorkerOptions TestOptions => new() { MaxPollInterval = TimeSpan.FromMilliseconds(100) };

    /// <summary>A fresh task hub with one worker running <paramref name="registry"/> (none when null).</summary>
    protected async Task<TestHost> StartAsync(DurableTaskRegistry? registry, DurableWorkerOptions? options = null, int partitionCount = 4, TimeSpan? timeout = null)
    {
        var backend = await CreateBackendAsync(NewTaskHub(), partitionCount);
        return await TestHost.StartAsync(backend, registry, options ?? TestOptions, timeout ?? TestTimeout, new TestOutputLoggerFactory(Output));
    }

    protected static void AssertStatus(OrchestrationRuntimeStatus expected, OrchestrationMetadata? metadata)
    {
        Assert.NotNull(metadata);
        Assert.True(metadata.RuntimeStatus == expected,
            $"Instance '{metadata.InstanceId}' is {metadata.RuntimeStatus}, expected {expected}: {TestHost.Describe(metadata)}");
    }

    protected static void AssertCompleted(OrchestrationMetadata metadata) => AssertStatus(OrchestrationRuntimeStatus.Completed, metadata);

    protected static async Task<DurableClientException> AssertRefusedAsync(string reason, Func<Task> request)
    {
        var refused = await Assert.ThrowsAsync<DurableClientException>(request);
        Assert.Equal(reason, refused.Reason);
        return refused;
    }
}
