using System.Globalization;
using Azure.Data.Tables;
using Tollgate.Ledger.Index;

namespace Tollgate.Ledger.AzureStorage;

/// <summary>
/// Reads table rows back as a verifier sees them. A row whose partition or row key is not what its own fields
/// give (moved, renamed or hand-made), or that lacks a field its kind always has, is reported as unreadable
/// (index -1) rather than trusted: the verifier compares fields, and could not see a forged key otherwise.
/// </summary>
internal static class IndexRowReader
{
    /// <summary>The row as an index record; null for the watermark row, which is about no entry.</summary>
    public static IndexRecord? Read(TableEntity row)
    {
        var partition = row.PartitionKey ?? "";
        if (partition == IndexRowKeys.MetaPartition) return null;
        if (partition.StartsWith(IndexRowKeys.EntryPrefix, StringComparison.Ordinal)) return ReadEntryRow(row);
        if (partition.StartsWith(IndexRowKeys.KeyPrefix, StringComparison.Ordinal)) return ReadKeyRow(row);
        if (partition.StartsWith(IndexRowKeys.CorrelationPrefix, StringComparison.Ordinal)) return ReadCorrelationRow(row);
        return Unreadable(row, "not a ledger index row");
    }

    /// <summary>The entry an entry row describes, or null when the row is not a whole, consistent entry row.</summary>
    public static IndexedEntry? ToEntry(TableEntity row) =>
        ReadEntryRow(row) is { Index: >= 0, Key: { } key, Kind: { } kind, CorrelationId: { } correlation, Time: { } time, LeafHash: { } leaf,
            SegmentFirstIndex: { } segment, Offset: { } offset, Length: { } length } record
            ? new IndexedEntry(record.Index, key, kind, correlation, time, leaf, segment, offset, length)
            : null;

    private static IndexRecord ReadEntryRow(TableEntity row)
    {
        if (!IndexRowKeys.TryParseIndex(row.RowKey ?? "", out var index) || row.PartitionKey != IndexRowKeys.EntryPartition(index))
            return Unreadable(row, "its partition and row key are not an entry row's");
        if (Int64(row, IndexRows.Index) != index) return Unreadable(row, "its Index is not its row key");
        if (Text(row, IndexRows.Key) is not { } key || Text(row, IndexRows.Kind) is not { } kind
            || Text(row, IndexRows.CorrelationId) is not { } correlation || TimeOf(row) is not { } time
            || Text(row, IndexRows.LeafHash) is not { } leaf || Int64(row, IndexRows.SegmentFirstIndex) is not { } segment
            || Int64(row, IndexRows.Offset) is not { } offset || Int32(row, IndexRows.Length) is not { } length)
            return Unreadable(row, "a field is missing or of the wrong type");
        return new IndexRecord($"entry row {index}", index, key, kind, correlation, time, leaf, segment, offset, length);
    }

    private static IndexRecord ReadKeyRow(TableEntity row)
    {
        var hash = row.RowKey ?? "";
        if (!IndexRowKeys.IsHash(hash) || row.PartitionKey != IndexRowKeys.KeyPartition(hash))
            return Unreadable(row, "its partition and row key are not a key row's");
        if (Int64(row, IndexRows.Index) is not (>= 0 and var index) || Text(row, IndexRows.Key) is not { } key)
            return Unreadable(row, "a field is missing or of the wrong type");
        if (IndexRowKeys.Hash(key) != hash) return Unreadable(row, "its row key is not the hash of its Key");
        return new IndexRecord($"key row {hash}", index, Key: key);
    }

    private static IndexRecord ReadCorrelationRow(TableEntity row)
    {
        if (!IndexRowKeys.TryParseCorrelationRowKey(row.RowKey ?? "", out var hash, out var index) || row.PartitionKey != IndexRowKeys.CorrelationPartition(hash))
            return Unreadable(row, "its partition and row key are not a correlation row's");
        if (Int64(row, IndexRows.Index) != index) return Unreadable(row, "its Index is not its row key");
        if (Text(row, IndexRows.CorrelationId) is not { } correlation) return Unreadable(row, "a field is missing or of the wrong type");
        if (IndexRowKeys.Hash(correlation) != hash) return Unreadable(row, "its row key is not the hash of its CorrelationId");
        return new IndexRecord($"correlation row {hash}/{index}", index, CorrelationId: correlation);
    }

    private static IndexRecord Unreadable(TableEntity row, string why) => new($"index row {row.PartitionKey}/{row.RowKey} ({why})", -1);

    private static object? Value(TableEntity row, string name) => row.TryGetValue(name, out var value) ? value : null;

    private static string? Text(TableEntity row, string name) => Value(row, name) as string;

    private static long? Int64(TableEntity row, string name) => Value(row, name) switch
    {
        long value => value,
        int value => value,
        _ => null,
    };

    private static int? Int32(TableEntity row, string name) => Value(row, name) switch
    {
        int value => value,
        long value and >= int.MinValue and <= int.MaxValue => (int)value,
        _ => null,
    };

    private static DateTimeOffset? TimeOf(TableEntity row) => Value(row, IndexRows.Time) switch
    {
        DateTimeOffset value => value,
        DateTime value => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
        null when Text(row, IndexRows.TimeText) is { } text && DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) => parsed,
        _ => null,
    };
}
