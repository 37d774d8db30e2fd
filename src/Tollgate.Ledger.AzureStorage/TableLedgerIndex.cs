using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Tollgate.Ledger.Index;

namespace Tollgate.Ledger.AzureStorage;

/// <summary>
/// The lookup index in one table (<c>&lt;prefix&gt;LedgerIndex</c>). Rows, all written with Upsert Replace so that
/// adding again after a crash rewrites the same content:
/// <list type="bullet">
/// <item><b>entry rows</b>: PartitionKey "e" + index / 1000 (17 digits), RowKey the index (20 digits); every field of <see cref="IndexedEntry"/>.</item>
/// <item><b>key rows</b>: PartitionKey "k" + the first two hex digits of SHA-256(key), RowKey the whole hex hash; Index, Key.</item>
/// <item><b>correlation rows</b>: PartitionKey "c" + the first two hex digits of SHA-256(correlation id), RowKey the whole hex hash and
/// the index (20 digits); Index, CorrelationId.</item>
/// <item>the <b>watermark</b>: PartitionKey "meta", RowKey "indexed-size"; Size.</item>
/// </list>
/// </summary>
/// <remarks>
/// Nothing here is trusted: lookups check that the entry row they land on is the one asked for, and the verifier
/// checks every row against the entry it names (<see cref="ReadAllAsync"/>).
/// </remarks>
public sealed class TableLedgerIndex : LedgerIndexStore
{
    /// <summary>Operations one entity-group transaction takes.</summary>
    public const int MaxTransactionRows = 100;

    /// <summary>Transactions (and point reads) in flight at once: enough to hide latency, few enough not to be throttled.</summary>
    private const int Concurrency = 8;

    private const int PageSize = 1000;

    public TableLedgerIndex(TableClient table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
    }

    public TableClient Table { get; }

    /// <remarks>
    /// One transaction per partition and at most 100 rows, partitions in parallel. A failure leaves some rows
    /// written and the watermark where it was, so the writer adds the same rows again.
    /// </remarks>
    public override async Task AddAsync(IReadOnlyList<IndexedEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var transactions = entries
            .SelectMany(IndexRows.Of)
            .GroupBy(row => row.PartitionKey, StringComparer.Ordinal)
            // A transaction refuses two operations on one row; a key twice in a batch would stall the index.
            .SelectMany(partition => partition.DistinctBy(row => row.RowKey, StringComparer.Ordinal).Chunk(MaxTransactionRows))
            .ToList();
        await Parallel.ForEachAsync(transactions, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (rows, token) => await Table.SubmitTransactionAsync(
                rows.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)), token));
    }

    public override async Task<long> GetIndexedSizeAsync(CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(IndexRowKeys.MetaPartition, IndexRowKeys.IndexedSizeRow, cancellationToken: cancellationToken);
        // Unreadable counts as nothing indexed: re-indexing is slow but right, refusing to open would stop the writer.
        return row.HasValue && row.Value!.TryGetValue(IndexRows.Size, out var size) && size is long value and >= 0 ? value : 0;
    }

    /// <remarks>An upsert, not a conditional write: the watermark is derived data, and one set too low only costs re-indexing.</remarks>
    public override async Task SetIndexedSizeAsync(long size, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        await Table.UpsertEntityAsync(IndexRows.IndexedSizeRow(size), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Two point reads: the key row, then the entry row it names.</summary>
    public override async Task<IndexedEntry?> FindByKeyAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = IndexRowKeys.Hash(key);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(IndexRowKeys.KeyPartition(hash), hash, cancellationToken: cancellationToken);
        if (!row.HasValue || IndexRowReader.Read(row.Value!) is not { Index: >= 0 } keyRow || keyRow.Key != key) return null;
        return await GetAsync(keyRow.Index, cancellationToken) is { } entry && entry.Key == key ? entry : null;
    }

    /// <summary>One row-key range query for the indexes (in index order), then a point read per entry.</summary>
    public override async Task<IReadOnlyList<IndexedEntry>> FindByCorrelationAsync(string correlationId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correlationId);
        if (limit <= 0) return [];
        var hash = IndexRowKeys.Hash(correlationId);
        var partition = IndexRowKeys.CorrelationPartition(hash);
        var end = IndexRowKeys.CorrelationRowKeyEnd(hash);
        var indexes = new List<long>();
        await foreach (var row in Table.QueryAsync<TableEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {hash} and RowKey lt {end}"),
                           Math.Min(limit, PageSize), null, cancellationToken))
        {
            if (IndexRowReader.Read(row) is { Index: >= 0 } record && record.CorrelationId == correlationId) indexes.Add(record.Index);
            if (indexes.Count >= limit) break;
        }

        var found = new IndexedEntry?[indexes.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, indexes.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (i, token) => found[i] = await GetAsync(indexes[i], token));
        return [.. found.OfType<IndexedEntry>().Where(entry => entry.CorrelationId == correlationId)];
    }

    /// <summary>Entries whose time is in [from, to), in index order.</summary>
    /// <remarks>
    /// This <b>scans</b> every entry row: the service filters on Time, but only a partition or row key bounds what
    /// it reads, and those are the index. Fine for audits and occasional queries; a hot time query would need rows
    /// keyed by time.
    /// </remarks>
    public override async Task<IReadOnlyList<IndexedEntry>> FindByTimeAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0 || from >= to) return [];
        var found = new List<IndexedEntry>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TimeFilter(from, to), Math.Min(limit, PageSize), null, cancellationToken))
        {
            if (IndexRowReader.ToEntry(row) is { } entry && entry.Time >= from && entry.Time < to) found.Add(entry);
            if (found.Count >= limit) break;
        }
        return found;
    }

    /// <summary>Entry rows only (partitions "e…"), whose Time is in range, plus any kept as text (before 1601), which are checked here.</summary>
    private static string TimeFilter(DateTimeOffset from, DateTimeOffset to)
    {
        var entryRows = TableClient.CreateQueryFilter($"PartitionKey ge {IndexRowKeys.EntryPrefix} and PartitionKey lt {"f"}");
        var times = new List<string>();
        if (to > IndexRows.EarliestTableTime)
        {
            times.Add(from >= IndexRows.EarliestTableTime
                ? TableClient.CreateQueryFilter($"Time ge {from.ToUniversalTime()} and Time lt {to.ToUniversalTime()}")
                : TableClient.CreateQueryFilter($"Time lt {to.ToUniversalTime()}"));
        }
        if (from < IndexRows.EarliestTableTime) times.Add(TableClient.CreateQueryFilter($"TimeText ge {""}"));
        return $"{entryRows} and ({string.Join(" or ", times.Select(clause => $"({clause})"))})";
    }

    public override async Task<IndexedEntry?> GetAsync(long index, CancellationToken cancellationToken)
    {
        if (index < 0) return null;
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(IndexRowKeys.EntryPartition(index), IndexRowKeys.IndexRowKey(index), cancellationToken: cancellationToken);
        return row.HasValue ? IndexRowReader.ToEntry(row.Value!) : null;
    }

    /// <summary>Every entry, key and correlation row, each with the fields it holds; a row that cannot be read has index -1.</summary>
    public override async IAsyncEnumerable<IndexRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in Table.QueryAsync<TableEntity>((string?)null, PageSize, null, cancellationToken))
        {
            if (IndexRowReader.Read(row) is { } record) yield return record;
        }
    }
}
