using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Tollgate.Ledger.Index;

/// <summary>
/// The index as JSON lines in a ledger folder (<c>index/rows.jsonl</c>): how an export carries the index rows
/// it copied, so an offline verification checks them too. Lookups scan the file; it is for audits, not traffic.
/// </summary>
public sealed class DirectoryLedgerIndex(string root) : LedgerIndexStore
{
    public const string RowsFile = "index/rows.jsonl";
    public const string IndexedSizeFile = "index/indexed-size";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private string RowsPath => Path.Combine(root, RowsFile);

    public override Task AddAsync(IReadOnlyList<IndexedEntry> entries, CancellationToken cancellationToken) =>
        AppendRecordsAsync(entries.Select(entry => IndexRecord.Of(entry, $"entry row {entry.Index}")), cancellationToken);

    /// <summary>Appends rows as read from another index (an export keeps every row the source had).</summary>
    /// <remarks>
    /// A row is stored without its <see cref="IndexRecord.Source"/>: that names where a row was read from, not what
    /// it says, and a verifier could not check it. Read back, a row is named by its line in <see cref="RowsFile"/>.
    /// </remarks>
    public async Task AppendRecordsAsync(IEnumerable<IndexRecord> records, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(RowsPath)!);
        var text = new StringBuilder();
        foreach (var record in records) text.Append(JsonSerializer.Serialize(StoredRow.Of(record), Json)).Append('\n');
        await File.AppendAllTextAsync(RowsPath, text.ToString(), cancellationToken);
    }

    public override async Task<long> GetIndexedSizeAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, IndexedSizeFile);
        return File.Exists(path) ? long.Parse(await File.ReadAllTextAsync(path, cancellationToken), CultureInfo.InvariantCulture) : 0;
    }

    public override Task SetIndexedSizeAsync(long size, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(root, "index"));
        return File.WriteAllTextAsync(Path.Combine(root, IndexedSizeFile), size.ToString(CultureInfo.InvariantCulture), cancellationToken);
    }

    public override async Task<IndexedEntry?> FindByKeyAsync(string key, CancellationToken cancellationToken) =>
        (await EntriesAsync(entry => entry.Key == key, 1, cancellationToken)).FirstOrDefault();

    public override Task<IReadOnlyList<IndexedEntry>> FindByCorrelationAsync(string correlationId, int limit, CancellationToken cancellationToken) =>
        EntriesAsync(entry => entry.CorrelationId == correlationId, limit, cancellationToken);

    public override Task<IReadOnlyList<IndexedEntry>> FindByTimeAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        EntriesAsync(entry => entry.Time >= from && entry.Time < to, limit, cancellationToken);

    public override async Task<IndexedEntry?> GetAsync(long index, CancellationToken cancellationToken) =>
        (await EntriesAsync(entry => entry.Index == index, 1, cancellationToken)).FirstOrDefault();

    /// <remarks>
    /// Strict, because a verifier checks what a row says: rows are split on '\n' only, and a row must be byte for
    /// byte what this class writes for the values it holds. Anything else (a renamed or unknown member, another
    /// spelling of a value, a line without its newline) is returned as an unreadable record (index -1).
    /// </remarks>
    public override async IAsyncEnumerable<IndexRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(RowsPath)) yield break;
        var bytes = await File.ReadAllBytesAsync(RowsPath, cancellationToken);
        var number = 0;
        for (var start = 0; start < bytes.Length;)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            var source = $"{RowsFile} line {++number}";
            yield return (end < 0 ? null : Read(bytes, start, end - start, source)) ?? new IndexRecord($"{source} (unreadable)", -1);
            start = end < 0 ? bytes.Length : end + 1;
        }
    }

    private static IndexRecord? Read(byte[] bytes, int start, int length, string source)
    {
        var line = bytes.AsSpan(start, length);
        StoredRow? row;
        try { row = JsonSerializer.Deserialize<StoredRow>(line, Json); }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { return null; }
        return row is not null && line.SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(row, Json)) ? row.ToRecord(source) : null;
    }

    /// <summary>A row as stored: an <see cref="IndexRecord"/> without its source.</summary>
    private sealed record StoredRow(
        long Index, string? Key, string? Kind, string? CorrelationId, DateTimeOffset? Time, string? LeafHash,
        long? SegmentFirstIndex, long? Offset, int? Length)
    {
        public static StoredRow Of(IndexRecord record) => new(
            record.Index, record.Key, record.Kind, record.CorrelationId, record.Time, record.LeafHash, record.SegmentFirstIndex, record.Offset, record.Length);

        public IndexRecord ToRecord(string source) => new(source, Index, Key, Kind, CorrelationId, Time, LeafHash, SegmentFirstIndex, Offset, Length);
    }

    private async Task<IReadOnlyList<IndexedEntry>> EntriesAsync(Func<IndexedEntry, bool> match, int limit, CancellationToken cancellationToken)
    {
        var found = new List<IndexedEntry>();
        await foreach (var record in ReadAllAsync(cancellationToken))
        {
            if (record is not { Key: { } key, Kind: { } kind, CorrelationId: { } correlation, Time: { } time, LeafHash: { } leaf,
                    SegmentFirstIndex: { } segment, Offset: { } offset, Length: { } length }) continue;
            var entry = new IndexedEntry(record.Index, key, kind, correlation, time, leaf, segment, offset, length);
            if (match(entry)) found.Add(entry);
            if (found.Count >= limit) break;
        }
        return found;
    }
}
