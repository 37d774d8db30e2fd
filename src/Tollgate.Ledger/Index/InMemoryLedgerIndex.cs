using System.Runtime.CompilerServices;

namespace Tollgate.Ledger.Index;

/// <summary>The lookup index in memory: for tests, benchmarks and the in-memory host.</summary>
public sealed class InMemoryLedgerIndex : LedgerIndexStore
{
    private readonly object gate = new();
    private readonly SortedDictionary<long, IndexedEntry> entries = [];
    private readonly Dictionary<string, long> byKey = new(StringComparer.Ordinal);
    private long indexedSize;

    public override Task AddAsync(IReadOnlyList<IndexedEntry> added, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            foreach (var entry in added)
            {
                entries[entry.Index] = entry;
                byKey[entry.Key] = entry.Index;
            }
        }
        return Task.CompletedTask;
    }

    public override Task<long> GetIndexedSizeAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(indexedSize);
    }

    public override Task SetIndexedSizeAsync(long size, CancellationToken cancellationToken)
    {
        lock (gate) indexedSize = size;
        return Task.CompletedTask;
    }

    public override Task<IndexedEntry?> FindByKeyAsync(string key, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(byKey.TryGetValue(key, out var index) ? entries[index] : null);
    }

    public override Task<IReadOnlyList<IndexedEntry>> FindByCorrelationAsync(string correlationId, int limit, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<IndexedEntry>>([.. entries.Values.Where(entry => entry.CorrelationId == correlationId).Take(limit)]);
    }

    public override Task<IReadOnlyList<IndexedEntry>> FindByTimeAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<IndexedEntry>>([.. entries.Values.Where(entry => entry.Time >= from && entry.Time < to).Take(limit)]);
    }

    public override Task<IndexedEntry?> GetAsync(long index, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(entries.GetValueOrDefault(index));
    }

    public override async IAsyncEnumerable<IndexRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IndexedEntry[] snapshot;
        lock (gate) snapshot = [.. entries.Values];
        foreach (var entry in snapshot) yield return IndexRecord.Of(entry, $"entry row {entry.Index}");
        await Task.CompletedTask;
    }

    /// <summary>Test access: what someone with raw storage access could do to a row.</summary>
    internal void Replace(IndexedEntry entry)
    {
        lock (gate) entries[entry.Index] = entry;
    }
}
