namespace Tollgate.Governance.Storage;

/// <summary>The governance table in memory, for tests and the in-memory host; same semantics as Tables.</summary>
public sealed class InMemoryGovernanceTable : GovernanceTable
{
    private readonly Dictionary<string, SortedDictionary<string, string>> partitions = [];

    public override Task<bool> TryInsertAsync(string partition, string row, string json, CancellationToken cancellationToken)
    {
        lock (partitions)
        {
            if (!partitions.TryGetValue(partition, out var rows)) partitions[partition] = rows = new(StringComparer.Ordinal);
            return Task.FromResult(rows.TryAdd(row, json));
        }
    }

    public override Task<StoredRecord?> GetAsync(string partition, string row, CancellationToken cancellationToken)
    {
        lock (partitions)
        {
            return Task.FromResult(partitions.TryGetValue(partition, out var rows) && rows.TryGetValue(row, out var json)
                ? new StoredRecord(partition, row, json)
                : null);
        }
    }

    public override Task<IReadOnlyList<StoredRecord>> QueryAsync(string partition, string rowPrefix, int limit, CancellationToken cancellationToken)
    {
        lock (partitions)
        {
            IReadOnlyList<StoredRecord> found = partitions.TryGetValue(partition, out var rows)
                ? [.. rows.Where(row => row.Key.StartsWith(rowPrefix, StringComparison.Ordinal)).Take(limit)
                      .Select(row => new StoredRecord(partition, row.Key, row.Value))]
                : [];
            return Task.FromResult(found);
        }
    }
}
