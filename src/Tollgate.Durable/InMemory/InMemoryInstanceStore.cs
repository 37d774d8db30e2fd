using Tollgate.Durable.Backend;

namespace Tollgate.Durable.InMemory;

internal sealed class InMemoryInstanceStore(int partitionCount) : IInstanceStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, InstanceRecord> _rows = new(StringComparer.Ordinal);

    public Task<bool> TryCreateAsync(InstanceRecord record, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_rows.TryAdd(record.InstanceId, record));
    }

    public Task<InstanceRecord?> GetAsync(string instanceId, bool withPayloads, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_rows.GetValueOrDefault(instanceId));
    }

    public Task UpsertAsync(InstanceRecord record, CancellationToken cancellationToken)
    {
        lock (_gate) _rows[record.InstanceId] = record;
        return Task.CompletedTask;
    }

    public Task<InstanceRecordPage> QueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var matches = _rows.Values
                .Where(r => query.ContinuationToken is null || string.CompareOrdinal(r.InstanceId, query.ContinuationToken) > 0)
                .Where(r => InstanceFilter.Matches(r, query))
                .Take(query.PageSize + 1)
                .ToList();
            var more = matches.Count > query.PageSize;
            if (more) matches.RemoveAt(matches.Count - 1);
            return Task.FromResult(new InstanceRecordPage(matches, more ? matches[^1].InstanceId : null));
        }
    }

    public Task<IReadOnlyList<string>> ListActiveAsync(int partition, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<string> ids = _rows.Values
                .Where(r => r.Partition == partition && !r.Status.IsTerminal())
                .Select(r => r.InstanceId).ToList();
            return Task.FromResult(ids);
        }
    }

    public Task<bool> DeleteAsync(string instanceId, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_rows.Remove(instanceId));
    }

    public Task<(bool Ok, string Detail)> ProbeAsync(CancellationToken cancellationToken)
        => Task.FromResult((true, $"in-memory, {partitionCount} partitions"));
}
