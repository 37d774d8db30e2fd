using Microsoft.Extensions.Logging;
using Tollgate.Durable.Backend;
using Tollgate.Durable.Worker;

namespace Tollgate.Durable.Tests.Support;

/// <summary>
/// One test's task hub: a backend, the workers running on it, and a client. Every wait goes through
/// <see cref="Token"/>, which is cancelled after the test's time limit, so a hang fails the test
/// with what was last observed instead of blocking the run.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly List<DurableWorker> _running = new();
    private readonly ILoggerFactory? _loggerFactory;

    private TestHost(DurableBackend backend, DurableWorkerOptions options, TimeSpan timeout, ILoggerFactory? loggerFactory)
    {
        Backend = backend;
        Options = options;
        Timeout = timeout;
        _loggerFactory = loggerFactory;
        _timeout = new CancellationTokenSource(timeout);
    }

    public DurableBackend Backend { get; }
    public DurableWorkerOptions Options { get; }
    public TimeSpan Timeout { get; }
    public CancellationToken Token => _timeout.Token;

    /// <summary>The most recently started worker.</summary>
    public DurableWorker Worker { get; private set; } = null!;

    /// <summary>A client of the most recently started worker.</summary>
    public DurableTaskClient Client { get; private set; } = null!;

    public IReadOnlyList<DurableWorker> RunningWorkers => _running;

    public static async Task<TestHost> StartAsync(DurableBackend backend, DurableTaskRegistry? registry, DurableWorkerOptions options, TimeSpan timeout, ILoggerFactory? loggerFactory)
    {
        var host = new TestHost(backend, options, timeout, loggerFactory);
        if (registry is not null) await host.StartWorkerAsync(registry);
        return host;
    }

    public async Task<DurableWorker> StartWorkerAsync(DurableTaskRegistry registry, DurableWorkerOptions? options = null)
    {
        var worker = new DurableWorker(Backend, registry, options ?? Options with { HostId = $"test-{Guid.NewGuid():N}"[..17] }, _loggerFactory);
        await worker.StartAsync(Token);
        _running.Add(worker);
        Worker = worker;
        Client = worker.CreateClient();
        return worker;
    }

    public async Task StopWorkerAsync(DurableWorker worker)
    {
        _running.Remove(worker);
        await worker.StopAsync(Token).WaitAsync(Token);
    }

    /// <summary>Stops the current worker and starts a new one on the same backend (a process restart).</summary>
    public async Task<DurableWorker> RestartWorkerAsync(DurableTaskRegistry registry, DurableWorkerOptions? options = null)
    {
        await StopWorkerAsync(Worker);
        return await StartWorkerAsync(registry, options);
    }

    public Task<string> ScheduleAsync(string orchestrator, object? input = null, string? instanceId = null, DateTimeOffset? startAt = null)
        => Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input,
            instanceId is null && startAt is null ? null : new StartOrchestrationOptions(instanceId, startAt), Token);

    public Task RaiseAsync(string instanceId, string eventName, object? payload = null)
        => Client.RaiseEventAsync(instanceId, eventName, payload, Token);

    public Task<OrchestrationMetadata?> GetAsync(string instanceId, bool withPayloads = true)
        => Client.GetInstanceAsync(instanceId, withPayloads, Token);

    /// <summary>Waits for Completed, Failed or Terminated.</summary>
    public async Task<OrchestrationMetadata> CompletionAsync(string instanceId)
    {
        try
        {
            return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, Token);
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
            throw new TimeoutException($"'{instanceId}' did not end within {Timeout}; {await DescribeAsync(instanceId)}; {DescribeOwnership(instanceId)}.");
        }
    }

    public Task<OrchestrationMetadata> WaitForCustomStatusAsync(string instanceId, string customStatus)
        => WaitForAsync(instanceId, m => m.SerializedCustomStatus is not null && m.ReadCustomStatusAs<string>() == customStatus,
            $"custom status '{customStatus}'");

    public Task<OrchestrationMetadata> WaitForStatusAsync(string instanceId, OrchestrationRuntimeStatus status)
        => WaitForAsync(instanceId, m => m.RuntimeStatus == status, $"status {status}");

    public async Task<OrchestrationMetadata> WaitForAsync(string instanceId, Func<OrchestrationMetadata, bool> condition, string what)
    {
        OrchestrationMetadata? last = null;
        await WaitUntilAsync(async () =>
        {
            last = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, Token);
            if (last is { IsCompleted: true } ended && !condition(ended))
                throw new Xunit.Sdk.XunitException($"'{instanceId}' ended as {ended.RuntimeStatus} ({ended.FailureDetails}) while waiting for {what}.");
            return last is not null && condition(last);
        }, () => $"'{instanceId}' reaches {what}; last seen: {Describe(last)}; {DescribeOwnership(instanceId)}");
        return last!;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> on the test's time limit.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        try
        {
            while (!await condition()) await Task.Delay(50, Token);
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out after {Timeout} waiting until {what()}.");
        }
    }

    public Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), () => what);

    public Task WaitUntilAsync(Func<Task<bool>> condition, string what) => WaitUntilAsync(condition, () => what);

    /// <summary>Awaits a signal from test code (an activity started, ...), failing on the time limit.</summary>
    public async Task SignalAsync(Task signal, string what)
    {
        try { await signal.WaitAsync(Token); }
        catch (OperationCanceledException) when (Token.IsCancellationRequested) { throw new TimeoutException($"Timed out after {Timeout} waiting for {what}."); }
    }

    /// <summary>Lets in-flight work settle for a moment (used only to give a wrong outcome the chance to show).</summary>
    public Task SettleAsync(TimeSpan? duration = null) => Task.Delay(duration ?? TimeSpan.FromSeconds(1), Token);

    private async Task<string> DescribeAsync(string instanceId)
    {
        try { return Describe(await Client.GetInstanceAsync(instanceId, true, CancellationToken.None)); }
        catch (Exception e) { return $"status unknown ({e.Message})"; }
    }

    /// <summary>Which partition the instance is in and which partitions the running workers own.</summary>
    public string DescribeOwnership(string instanceId)
        => $"its partition is {Backend.PartitionOf(instanceId)} of {Backend.PartitionCount}; running workers own " +
           (_running.Count == 0 ? "nothing (none running)" : string.Join(" and ", _running.Select(w => $"[{string.Join(", ", w.OwnedPartitions)}]")));

    public static string Describe(OrchestrationMetadata? m) => m is null
        ? "no such instance"
        : $"{m.RuntimeStatus}, custom status {m.SerializedCustomStatus ?? "null"}, output {m.SerializedOutput ?? "null"}, failure {m.FailureDetails?.ToString() ?? "none"}";

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        foreach (var worker in _running.ToArray())
        {
            try { await worker.StopAsync(stopping.Token).WaitAsync(stopping.Token); }
            catch (Exception) { /* a stuck stop must not hide the test's own result */ }
        }
        _running.Clear();
        _timeout.Dispose();
    }
}
