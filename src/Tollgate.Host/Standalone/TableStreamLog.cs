using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Tollgate.Host.Functions;

namespace Tollgate.Host.Standalone;

/// <summary>
/// The durable streams' log on Azure Tables (Azurite locally): <c>&lt;hub&gt;Streams</c> holds the events
/// (PartitionKey <c>stream|partition</c>, RowKey the 19-digit sequence number) and <c>&lt;hub&gt;StreamCheckpoints</c>
/// one row per partition (PartitionKey = stream, RowKey = partition) with the last consumed sequence number. The
/// checkpoint is the one row that is updated: it is a consumer's position, as in Event Hubs, not a governed record.
/// </summary>
public sealed class TableStreamLog(TableClient events, TableClient checkpoints) : IStreamLog
{
    private readonly HashSet<(string, string)> known = [];

    public static async Task<TableStreamLog> CreateAsync(TableServiceClient service, string hub, CancellationToken cancellationToken)
    {
        var events = service.GetTableClient(hub + "Streams");
        var checkpoints = service.GetTableClient(hub + "StreamCheckpoints");
        await events.CreateIfNotExistsAsync(cancellationToken);
        await checkpoints.CreateIfNotExistsAsync(cancellationToken);
        return new TableStreamLog(events, checkpoints);
    }

    public async Task AppendAsync(string stream, string partition, StreamEvent e, CancellationToken cancellationToken)
    {
        bool registered;
        lock (known) registered = known.Contains((stream, partition));
        // A partition is registered before its first event, so recovery finds it by its checkpoint row; it counts as
        // registered only once that row is written, so a failed write is tried again with the next event.
        if (!registered)
        {
            if (!(await checkpoints.GetEntityIfExistsAsync<TableEntity>(stream, partition, cancellationToken: cancellationToken)).HasValue)
                await checkpoints.UpsertEntityAsync(new TableEntity(stream, partition) { ["Sequence"] = -1L }, TableUpdateMode.Replace, cancellationToken);
            lock (known) known.Add((stream, partition));
        }
        var row = new TableEntity($"{stream}|{partition}", Row(e.SequenceNumber))
        {
            ["EnqueuedAt"] = e.EnqueuedAt,
            ["Properties"] = JsonSerializer.Serialize(e.Properties),
            ["Body"] = e.Body.ToArray(),
        };
        try
        {
            await events.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status == 409)
        {
            throw new InvalidOperationException($"{stream}/{partition}: sequence {e.SequenceNumber} is already in the stream log (two publishers on one partition?)", failure);
        }
    }

    public Task CheckpointAsync(string stream, string partition, long sequence, CancellationToken cancellationToken)
        => checkpoints.UpsertEntityAsync(new TableEntity(stream, partition) { ["Sequence"] = sequence }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<RecoveredPartition>> RecoverAsync(string stream, CancellationToken cancellationToken)
    {
        var recovered = new List<RecoveredPartition>();
        await foreach (var checkpoint in checkpoints.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {stream}"), cancellationToken: cancellationToken))
        {
            var partition = checkpoint.RowKey;
            var consumed = checkpoint.GetInt64("Sequence") ?? -1;
            var pending = new List<StreamEvent>();
            var last = consumed;
            var key = $"{stream}|{partition}";
            await foreach (var row in events.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {key} and RowKey gt {Row(consumed)}"), cancellationToken: cancellationToken))
            {
                var sequence = long.Parse(row.RowKey, CultureInfo.InvariantCulture);
                pending.Add(new StreamEvent(sequence, row.GetDateTimeOffset("EnqueuedAt")!.Value,
                    JsonSerializer.Deserialize<Dictionary<string, string>>(row.GetString("Properties") ?? "{}") ?? [], row.GetBinary("Body") ?? []));
                last = sequence;
            }
            lock (known) known.Add((stream, partition));
            recovered.Add(new RecoveredPartition(partition, consumed, pending, last + 1));
        }
        return recovered;
    }

    // Negative checkpoints (none yet) sort before every sequence number.
    private static string Row(long sequence) => sequence < 0 ? "" : sequence.ToString("D19", CultureInfo.InvariantCulture);
}
