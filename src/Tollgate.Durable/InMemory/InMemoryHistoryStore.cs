using System.Collections.Concurrent;
using Tollgate.Durable.Backend;
using Tollgate.Durable.History;

namespace Tollgate.Durable.InMemory;

internal sealed class InMemoryHistoryStore : IHistoryStore
{
    private readonly ConcurrentDictionary<string, InstanceHistory> _histories = new(StringComparer.Ordinal);

    public Task<HistorySnapshot> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (!_histories.TryGetValue(instanceId, out var history))
            return Task.FromResult(new HistorySnapshot([], HistoryVersion.Empty));
        lock (history)
            return Task.FromResult(new HistorySnapshot(history.Events.GetRange(history.ExecutionStart, history.Events.Count - history.ExecutionStart), history.Version));
    }

    public Task<HistoryVersion> AppendAsync(string instanceId, HistoryVersion expected, IReadOnlyList<HistoryEvent> events, CancellationToken cancellationToken)
    {
        var history = _histories.GetOrAdd(instanceId, _ => new InstanceHistory());
        lock (history)
        {
            if (history.Version != expected) throw new HistoryConflictException(instanceId);
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i] is ExecutionStarted) history.ExecutionStart = history.Events.Count;
                history.Events.Add(events[i]);
            }
            history.Version = new HistoryVersion((++history.Generation).ToString(), history.Events.Count);
            return Task.FromResult(history.Version);
        }
    }

    public Task DeleteAsync(string instanceId, CancellationToken cancellationToken)
    {
        _histories.TryRemove(instanceId, out _);
        return Task.CompletedTask;
    }

    private sealed class InstanceHistory
    {
        public readonly List<HistoryEvent> Events = new();
        public int ExecutionStart;
        public long Generation;
        public HistoryVersion Version = HistoryVersion.Empty;
    }
}
