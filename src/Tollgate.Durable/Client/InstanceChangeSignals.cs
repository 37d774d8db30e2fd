using System.Collections.Concurrent;

namespace Tollgate.Durable.Client;

/// <summary>
/// Tells clients in the worker's own process that an instance's row just changed, so a wait for
/// completion ends when it happens instead of at the next poll. Polling remains the fallback for
/// changes made by other processes.
/// </summary>
internal sealed class InstanceChangeSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    public Task NextChange(string instanceId)
        => _waiting.GetOrAdd(instanceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Changed(string instanceId)
    {
        if (_waiting.TryRemove(instanceId, out var waiting)) waiting.TrySetResult();
    }
}
