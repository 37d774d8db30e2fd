using Azure.Data.Tables;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Index;

namespace Tollgate.Ledger.AzureStorage;

/// <summary>The table rows of one indexed entry: its entry row, its key row and its correlation row.</summary>
internal static class IndexRows
{
    /// <summary>The Table service stores no date before this; an entry may carry one.</summary>
    public static readonly DateTimeOffset EarliestTableTime = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Property names, shared with <see cref="IndexRowReader"/>.</summary>
    public const string Index = "Index", Key = "Key", Kind = "Kind", CorrelationId = "CorrelationId", Time = "Time",
        TimeText = "TimeText", LeafHash = "LeafHash", SegmentFirstIndex = "SegmentFirstIndex", Offset = "Offset", Length = "Length",
        Size = "Size";

    public static IEnumerable<TableEntity> Of(IndexedEntry entry)
    {
        yield return EntryRow(entry);
        var keyHash = IndexRowKeys.Hash(entry.Key);
        yield return new TableEntity(IndexRowKeys.KeyPartition(keyHash), keyHash)
        {
            [Index] = entry.Index,
            [Key] = entry.Key,
        };
        var correlationHash = IndexRowKeys.Hash(entry.CorrelationId);
        yield return new TableEntity(IndexRowKeys.CorrelationPartition(correlationHash), IndexRowKeys.CorrelationRowKey(correlationHash, entry.Index))
        {
            [Index] = entry.Index,
            [CorrelationId] = entry.CorrelationId,
        };
    }

    public static TableEntity EntryRow(IndexedEntry entry)
    {
        var row = new TableEntity(IndexRowKeys.EntryPartition(entry.Index), IndexRowKeys.IndexRowKey(entry.Index))
        {
            [Index] = entry.Index,
            [Key] = entry.Key,
            [Kind] = entry.Kind,
            [CorrelationId] = entry.CorrelationId,
            [LeafHash] = entry.LeafHash,
            [SegmentFirstIndex] = entry.SegmentFirstIndex,
            [Offset] = entry.Offset,
            [Length] = entry.Length,
        };
        // An entry's time may be as early as year 1, which the service refuses as a date; a refused row would
        // stall the index for good, so such a time is kept as the entry's own text instead.
        if (entry.Time >= EarliestTableTime) row[Time] = entry.Time.ToUniversalTime();
        else row[TimeText] = LedgerEntry.FormatTime(entry.Time);
        return row;
    }

    public static TableEntity IndexedSizeRow(long size) => new(IndexRowKeys.MetaPartition, IndexRowKeys.IndexedSizeRow) { [Size] = size };
}
