namespace Tollgate.Ledger.Index;

/// <summary>
/// The lookup index (by key, correlation id and time): a projection of the segments, written behind the
/// writer and never trusted by a verifier, which checks every row against the entries. It records how far it
/// has got (<see cref="GetIndexedSizeAsync"/>) so a restarted writer resumes where it stopped.
/// </summary>
public abstract class LedgerIndexStore
{
    /// <summary>Adds rows for consecutive entries; adding a row again with the same content is harmless.</summary>
    public abstract Task AddAsync(IReadOnlyList<IndexedEntry> entries, CancellationToken cancellationToken);

    /// <summary>Every entry below this index has its rows.</summary>
    public abstract Task<long> GetIndexedSizeAsync(CancellationToken cancellationToken);

    public abstract Task SetIndexedSizeAsync(long size, CancellationToken cancellationToken);

    public abstract Task<IndexedEntry?> FindByKeyAsync(string key, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<IndexedEntry>> FindByCorrelationAsync(string correlationId, int limit, CancellationToken cancellationToken);

    /// <summary>Entries whose time is in [from, to), in index order.</summary>
    public abstract Task<IReadOnlyList<IndexedEntry>> FindByTimeAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    public abstract Task<IndexedEntry?> GetAsync(long index, CancellationToken cancellationToken);

    /// <summary>Every stored row, for verification and export.</summary>
    public abstract IAsyncEnumerable<IndexRecord> ReadAllAsync(CancellationToken cancellationToken);
}
