using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Tollgate.Durable.Backend;
using Tollgate.Durable.History;

namespace Tollgate.Durable.AzureStorage;

/// <summary>
/// <c>&lt;hub&gt;History</c>: PartitionKey = instance id; one row per event with RowKey = its 10-digit
/// sequence number over all the instance's executions; and a <c>sentinel</c> row holding
/// <c>NextSequence</c> and <c>ExecutionStartSequence</c> whose ETag is the history's version.
/// </summary>
/// <remarks>
/// An append is one entity-group transaction per at most 99 events (and under 3.5 MB), each with
/// the sentinel as its first operation: inserted for a new history (so a concurrent creator fails),
/// otherwise merged under If-Match of the ETag the writer holds, which chains from one batch to the
/// next. Event rows are inserted, never replaced. A conflict on the first batch writes nothing; an
/// append of more than 99 events that fails later leaves a consistent prefix (the sentinel always
/// counts exactly the rows written), never a gap. The new version's ETag is read from the
/// transaction's response for the sentinel operation: no extra read.
/// </remarks>
internal sealed class AzureHistoryStore(StorageContext storage) : IHistoryStore
{
    internal const string SentinelKey = "sentinel";
    private const int MaxEventsPerBatch = 99; // + the sentinel = 100 operations
    private const long MaxBatchBytes = 3_500_000; // the service limit is 4 MiB per transaction
    private const int RowOverheadBytes = 512;

    /// <summary>
    /// Where each instance's current execution starts, as last seen by this process: Load reads
    /// from there instead of from the first execution. Only a hint; checked against the sentinel.
    /// </summary>
    private readonly ConcurrentDictionary<string, long> _executionStarts = new(StringComparer.Ordinal);

    private TableClient Table => storage.History;

    internal static string RowKeyOf(long sequence) => sequence.ToString("D10", CultureInfo.InvariantCulture);

    public async Task<HistorySnapshot> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        var hint = _executionStarts.TryGetValue(instanceId, out var known) ? known : 0;
        var (sentinel, rows) = await ReadFromAsync(instanceId, hint, cancellationToken);
        if (sentinel is null)
        {
            _executionStarts.TryRemove(instanceId, out _);
            return new HistorySnapshot([], HistoryVersion.Empty);
        }

        var next = sentinel.GetInt64("NextSequence") ?? 0;
        var start = sentinel.GetInt64("ExecutionStartSequence") ?? 0;
        if (start < hint) (sentinel, rows) = await ReadFromAsync(instanceId, 0, cancellationToken); // purged and recreated meanwhile
        if (sentinel is null) return new HistorySnapshot([], HistoryVersion.Empty);
        next = sentinel.GetInt64("NextSequence") ?? 0;
        start = sentinel.GetInt64("ExecutionStartSequence") ?? 0;
        Remember(instanceId, start);

        var current = rows.Where(r => long.Parse(r.RowKey, CultureInfo.InvariantCulture) is var s && s >= start && s < next).ToList();
        var events = await Task.WhenAll(current.Select(r => ReadEventAsync(r, cancellationToken)));
        return new HistorySnapshot(events, new HistoryVersion(sentinel.ETag.ToString(), next));
    }

    private async Task<(TableEntity? Sentinel, List<TableEntity> Rows)> ReadFromAsync(string instanceId, long fromSequence, CancellationToken cancellationToken)
    {
        // RowKeys sort as strings: the digits first, then "sentinel" last.
        var filter = fromSequence > 0
            ? TableClient.CreateQueryFilter($"PartitionKey eq {instanceId} and RowKey ge {RowKeyOf(fromSequence)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}");
        TableEntity? sentinel = null;
        var rows = new List<TableEntity>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, 1000, null, cancellationToken))
        {
            if (row.RowKey == SentinelKey) sentinel = row;
            else rows.Add(row);
        }
        return (sentinel, rows);
    }

    private async Task<HistoryEvent> ReadEventAsync(TableEntity row, CancellationToken cancellationToken)
    {
        byte[] json;
        if (row.TryGetValue("Event", out var inline) && inline is not null) json = row.GetBinary("Event");
        else if (row.GetString("EventBlob") is { } blob) json = await storage.Payloads.DownloadAsync(blob, cancellationToken);
        else throw new InvalidDataException($"History row {row.PartitionKey}/{row.RowKey} has neither Event nor EventBlob.");
        return JsonSerializer.Deserialize<HistoryEvent>(json, JsonDataConverter.Options)
               ?? throw new InvalidDataException($"History row {row.PartitionKey}/{row.RowKey} holds a null event.");
    }

    public async Task<HistoryVersion> AppendAsync(string instanceId, HistoryVersion expected, IReadOnlyList<HistoryEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(events);
        if (expected.ETag is null && expected.Count != 0) throw new HistoryConflictException(instanceId);

        // Rows first (payload blobs uploaded before any row can name them).
        var rows = new TableEntity[events.Count];
        var sizes = new long[events.Count];
        await Task.WhenAll(events.Select(async (e, i) =>
        {
            var sequence = expected.Count + i;
            var json = JsonSerializer.SerializeToUtf8Bytes(e, JsonDataConverter.Options);
            var row = new TableEntity(instanceId, RowKeyOf(sequence)) { ["EventType"] = e.GetType().Name };
            if (json.Length <= storage.InlineLimit)
            {
                row["Event"] = json;
                sizes[i] = (json.Length + 2) / 3 * 4 + RowOverheadBytes;
            }
            else
            {
                var blob = LargePayloads.HistoryBlob(instanceId, sequence);
                await storage.Payloads.UploadAsync(blob, json, cancellationToken);
                row["EventBlob"] = blob;
                sizes[i] = blob.Length * 2 + RowOverheadBytes;
            }
            rows[i] = row;
        }));

        ETag? etag = expected.ETag is null ? null : new ETag(expected.ETag);
        var start = 0;
        long? executionStart = null;
        do
        {
            var end = start;
            long bytes = 0;
            while (end < events.Count && end - start < MaxEventsPerBatch && (end == start || bytes + sizes[end] <= MaxBatchBytes))
                bytes += sizes[end++];

            var sentinel = new TableEntity(instanceId, SentinelKey) { ["NextSequence"] = expected.Count + end };
            for (var i = end - 1; i >= start; i--)
                if (events[i] is ExecutionStarted)
                {
                    executionStart = expected.Count + i;
                    sentinel["ExecutionStartSequence"] = executionStart.Value;
                    break;
                }

            var actions = new List<TableTransactionAction>(end - start + 1);
            if (etag is null)
            {
                if (!sentinel.ContainsKey("ExecutionStartSequence")) sentinel["ExecutionStartSequence"] = 0L;
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, sentinel));
            }
            else
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, sentinel, etag.Value));
            }
            for (var i = start; i < end; i++) actions.Add(new TableTransactionAction(TableTransactionActionType.Add, rows[i]));

            try
            {
                var response = await Table.SubmitTransactionAsync(actions, cancellationToken);
                etag = response.Value[0].Headers.ETag
                       ?? throw new InvalidOperationException($"The table service returned no ETag for the history sentinel of '{instanceId}'.");
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // Payload blobs already uploaded stay: after an SDK retry the "conflict" may be this
                // very append, committed by the attempt that timed out. Orphans go with the purge.
                throw new HistoryConflictException(instanceId);
            }
            start = end;
        } while (start < events.Count);

        if (executionStart is { } started) Remember(instanceId, started);
        else if (expected.ETag is null) Remember(instanceId, 0);
        return new HistoryVersion(etag.Value.ToString(), expected.Count + events.Count);
    }

    /// <remarks>Deletes the event rows, then the sentinel, then the history's payload blobs.</remarks>
    public async Task DeleteAsync(string instanceId, CancellationToken cancellationToken)
    {
        _executionStarts.TryRemove(instanceId, out _);
        var keys = new List<string>();
        var hasSentinel = false;
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), 1000, ["RowKey"], cancellationToken))
        {
            if (row.RowKey == SentinelKey) hasSentinel = true;
            else keys.Add(row.RowKey);
        }
        if (hasSentinel) keys.Add(SentinelKey); // last: until it goes, no new history can start over the old rows

        foreach (var chunk in keys.Chunk(100))
        {
            var actions = chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(instanceId, k), ETag.All));
            try
            {
                await Table.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                foreach (var key in chunk) await Table.DeleteEntityAsync(instanceId, key, ETag.All, cancellationToken); // someone deleted some already
            }
        }
        await storage.Payloads.DeletePrefixAsync(LargePayloads.Folder(instanceId) + "history/", cancellationToken);
    }

    private void Remember(string instanceId, long executionStart)
    {
        if (_executionStarts.Count > 100_000) _executionStarts.Clear();
        _executionStarts[instanceId] = executionStart;
    }
}
