using System.Runtime.CompilerServices;

namespace Tollgate.Durable;

/// <summary>
/// Starts, signals, inspects and removes orchestration instances. Mirrors
/// <c>Microsoft.DurableTask.Client.DurableTaskClient</c>; the abstract members are the whole
/// backend seam, the virtual ones are conveniences over them.
/// </summary>
public abstract class DurableTaskClient
{
    /// <summary>Schedules a new instance and returns its id.</summary>
    /// <exception cref="DurableClientException">Reason <c>ORCHESTRATOR_NOT_FOUND</c>, <c>INSTANCE_EXISTS</c> or <c>INPUT_TOO_LARGE</c>; nothing was created.</exception>
    public abstract Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Raises an event on a running instance; delivered exactly once into its history.</summary>
    public abstract Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellationToken = default);

    public abstract Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default);

    public abstract Task TerminateInstanceAsync(string instanceId, object? output = null, CancellationToken cancellationToken = default);
    public abstract Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default);
    public abstract Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a terminal instance and its history. Returns 0 when there was nothing terminal to remove.</summary>
    public abstract Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default);
    public abstract Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellationToken = default);

    public abstract Task<OrchestrationPage> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default);

    /// <summary>Waits until the instance has left Pending.</summary>
    public virtual Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
        => PollUntilAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellationToken);

    /// <summary>Waits until the instance is Completed, Failed or Terminated.</summary>
    public virtual Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
        => PollUntilAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellationToken);

    /// <summary>Every instance matching <paramref name="query"/>, page by page.</summary>
    public virtual async IAsyncEnumerable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = query ?? new OrchestrationQuery();
        while (true)
        {
            var result = await QueryInstancesAsync(page, cancellationToken);
            foreach (var instance in result.Instances) yield return instance;
            if (result.ContinuationToken is null) yield break;
            page = page with { ContinuationToken = result.ContinuationToken };
        }
    }

    private async Task<OrchestrationMetadata> PollUntilAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> done, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var metadata = await GetInstanceAsync(instanceId, getInputsAndOutputs, cancellationToken)
                ?? throw new DurableClientException(DurableReason.InstanceNotFound, $"No instance '{instanceId}'.");
            if (done(metadata)) return metadata;
            await WhenInstanceMayHaveChangedAsync(instanceId, delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    /// <summary>
    /// Waits before the next status poll. The default just sleeps; a client that can hear about
    /// changes (one in the same process as the worker) returns as soon as one happens.
    /// </summary>
    protected virtual Task WhenInstanceMayHaveChangedAsync(string instanceId, TimeSpan pollDelay, CancellationToken cancellationToken)
        => Task.Delay(pollDelay, cancellationToken);
}
