using System.Text;
using Azure;
using Azure.Data.Tables;
using Tollgate.Durable.Backend;
using Tollgate.Durable.History;

namespace Tollgate.Durable.AzureStorage;

/// <summary>
/// <c>&lt;hub&gt;Instances</c>: one row per instance, PartitionKey = instance id, RowKey = "".
/// Input, Output and CustomStatus are UTF-8 JSON in binary columns, or the name of a blob
/// (<c>InputBlob</c>, …) when larger than the inline limit; Failure and Parent are JSON strings.
/// </summary>
internal sealed class AzureInstanceStore(StorageContext storage) : IInstanceStore
{
    private const string RowKey = "";
    private const int MaxInlineStringChars = 30_000; // Table strings hold 64 KiB of UTF-16

    /// <summary>Every column but the payloads a client did not ask for (Input, Output).</summary>
    private static readonly string[] WithoutPayloads =
    [
        "PartitionKey", "RowKey", "Name", "Partition", "Status", "ExecutionId", "CreatedAt", "LastUpdatedAt", "ScheduledStartAt",
        "CustomStatus", "CustomStatusBlob", "Failure", "FailureBlob", "Parent",
    ];

    internal StorageContext Storage => storage;

    private TableClient Table => storage.Instances;

    public async Task<bool> TryCreateAsync(InstanceRecord record, CancellationToken cancellationToken)
    {
        var entity = await ToEntityAsync(record, cancellationToken);
        try
        {
            await Table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <remarks>
    /// With <paramref name="withPayloads"/> false the row is read without its Input and Output
    /// columns and no payload blob but CustomStatus's is downloaded: the record's Input and Output are
    /// null then. Do not write such a record back with <see cref="UpsertAsync"/>.
    /// </remarks>
    public async Task<InstanceRecord?> GetAsync(string instanceId, bool withPayloads, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(instanceId, RowKey, withPayloads ? null : WithoutPayloads, cancellationToken);
        return response.HasValue ? await FromEntityAsync(response.Value!, withPayloads, cancellationToken) : null;
    }

    public async Task UpsertAsync(InstanceRecord record, CancellationToken cancellationToken)
        => await Table.UpsertEntityAsync(await ToEntityAsync(record, cancellationToken), TableUpdateMode.Replace, cancellationToken);

    /// <remarks>
    /// Status, CreatedAt range and prefix are filtered by the table service; pages are full (PageSize
    /// records) except the last, and the continuation token is the last instance id of the page, as
    /// in the in-memory store (ids ascend ordinally).
    /// </remarks>
    public async Task<InstanceRecordPage> QueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        var filters = new List<string>();
        if (query.ContinuationToken is { } after) filters.Add(TableClient.CreateQueryFilter($"PartitionKey gt {after}"));
        if (query.InstanceIdPrefix is { Length: > 0 } prefix)
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {prefix + '\uffff'}"));
        if (query.Statuses is { Count: > 0 } statuses)
            filters.Add("(" + string.Join(" or ", statuses.Distinct().Select(s => TableClient.CreateQueryFilter($"Status eq {s.ToString()}"))) + ")");
        if (query.CreatedFrom is { } from) filters.Add(TableClient.CreateQueryFilter($"CreatedAt ge {from.ToUniversalTime()}"));
        if (query.CreatedTo is { } to) filters.Add(TableClient.CreateQueryFilter($"CreatedAt le {to.ToUniversalTime()}"));
        var filter = filters.Count == 0 ? null : string.Join(" and ", filters);

        var rows = new List<TableEntity>(query.PageSize + 1);
        var pageSize = Math.Min(1000, query.PageSize + 1);
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, pageSize, query.FetchInputsAndOutputs ? null : WithoutPayloads, cancellationToken))
        {
            rows.Add(entity);
            if (rows.Count > query.PageSize) break;
        }

        var more = rows.Count > query.PageSize;
        if (more) rows.RemoveAt(rows.Count - 1);
        var records = await Task.WhenAll(rows.Select(r => FromEntityAsync(r, query.FetchInputsAndOutputs, cancellationToken)));
        var matching = records.Where(r => InstanceFilter.Matches(r, query)).ToList();
        return new InstanceRecordPage(matching, more ? rows[^1].PartitionKey : null);
    }

    public async Task<IReadOnlyList<string>> ListActiveAsync(int partition, CancellationToken cancellationToken)
    {
        var terminal = Enum.GetValues<OrchestrationRuntimeStatus>().Where(s => s.IsTerminal())
            .Select(s => TableClient.CreateQueryFilter($"Status ne {s.ToString()}"));
        var filter = TableClient.CreateQueryFilter($"Partition eq {partition}") + " and " + string.Join(" and ", terminal);
        var ids = new List<string>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, 1000, ["PartitionKey"], cancellationToken))
            ids.Add(entity.PartitionKey);
        return ids;
    }

    /// <remarks>Also deletes the instance's payload blobs (one listing request).</remarks>
    public async Task<bool> DeleteAsync(string instanceId, CancellationToken cancellationToken)
    {
        var response = await Table.DeleteEntityAsync(instanceId, RowKey, ETag.All, cancellationToken);
        await storage.Payloads.DeletePrefixAsync(LargePayloads.Folder(instanceId) + "instance/", cancellationToken);
        return response.Status != 404;
    }

    public async Task<(bool Ok, string Detail)> ProbeAsync(CancellationToken cancellationToken)
    {
        var where = $"table '{storage.Names.InstancesTable}' at {Endpoint(Table.Uri)}";
        try
        {
            await foreach (var _ in Table.QueryAsync<TableEntity>(filter: (string?)null, maxPerPage: 1, select: ["PartitionKey"], cancellationToken).AsPages(pageSizeHint: 1))
                break;
            return (true, $"azure-storage: {where} answered; task hub '{storage.Names.TaskHub}', {storage.Names.PartitionCount} partitions");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (false, storage.Redact($"azure-storage: {where} does not exist ({e.ErrorCode}); create the task hub first (EnsureCreatedAsync)"));
        }
        catch (RequestFailedException e)
        {
            return (false, storage.Redact($"azure-storage: {where} answered {e.Status} {e.ErrorCode}"));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var inner = e is AggregateException { InnerException: { } first } ? first : e.InnerException ?? e;
            return (false, storage.Redact($"azure-storage: cannot reach {where}: {e.GetType().Name}: {FirstLine(inner.Message)}"));
        }
    }

    internal static string Endpoint(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private async Task<TableEntity> ToEntityAsync(InstanceRecord record, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(record.InstanceId, RowKey)
        {
            ["Name"] = record.Name,
            ["Partition"] = record.Partition,
            ["Status"] = record.Status.ToString(),
            ["ExecutionId"] = record.ExecutionId,
            ["CreatedAt"] = record.CreatedAt.ToUniversalTime(),
            ["LastUpdatedAt"] = record.LastUpdatedAt.ToUniversalTime(),
        };
        if (record.ScheduledStartAt is { } startAt) entity["ScheduledStartAt"] = startAt.ToUniversalTime();
        if (record.Parent is { } parent) entity["Parent"] = JsonDataConverter.Serialize(parent);
        await Task.WhenAll(
            PutPayloadAsync(entity, record.InstanceId, "Input", record.Input, cancellationToken),
            PutPayloadAsync(entity, record.InstanceId, "Output", record.Output, cancellationToken),
            PutPayloadAsync(entity, record.InstanceId, "CustomStatus", record.CustomStatus, cancellationToken),
            PutFailureAsync(entity, record.InstanceId, record.Failure, cancellationToken));
        return entity;
    }

    private async Task PutPayloadAsync(TableEntity entity, string instanceId, string column, string? value, CancellationToken cancellationToken)
    {
        if (value is null) return;
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length <= storage.InlineLimit)
        {
            lock (entity) entity[column] = bytes;
            return;
        }
        var blob = LargePayloads.InstanceBlob(instanceId, column, bytes);
        await storage.Payloads.UploadAsync(blob, bytes, cancellationToken);
        lock (entity) entity[column + "Blob"] = blob;
    }

    private async Task PutFailureAsync(TableEntity entity, string instanceId, TaskFailureDetails? failure, CancellationToken cancellationToken)
    {
        if (failure is null) return;
        var json = JsonDataConverter.Serialize(failure)!;
        if (json.Length <= MaxInlineStringChars)
        {
            lock (entity) entity["Failure"] = json;
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(json);
        var blob = LargePayloads.InstanceBlob(instanceId, "Failure", bytes);
        await storage.Payloads.UploadAsync(blob, bytes, cancellationToken);
        lock (entity) entity["FailureBlob"] = blob;
    }

    private async Task<InstanceRecord> FromEntityAsync(TableEntity entity, bool withPayloads, CancellationToken cancellationToken)
    {
        var input = withPayloads ? ReadPayloadAsync(entity, "Input", cancellationToken) : Task.FromResult<string?>(null);
        var output = withPayloads ? ReadPayloadAsync(entity, "Output", cancellationToken) : Task.FromResult<string?>(null);
        var customStatus = ReadPayloadAsync(entity, "CustomStatus", cancellationToken);
        var failure = entity.GetString("Failure") is { } failureJson
            ? Task.FromResult<string?>(failureJson)
            : entity.GetString("FailureBlob") is { } failureBlob
                ? DownloadStringAsync(failureBlob, cancellationToken)
                : Task.FromResult<string?>(null);
        await Task.WhenAll(input, output, customStatus, failure);

        return new InstanceRecord(
            entity.PartitionKey,
            entity.GetString("Name") ?? "",
            entity.GetInt32("Partition") ?? 0,
            Enum.Parse<OrchestrationRuntimeStatus>(entity.GetString("Status") ?? nameof(OrchestrationRuntimeStatus.Pending)),
            entity.GetString("ExecutionId") ?? "",
            entity.GetDateTimeOffset("CreatedAt") ?? default,
            entity.GetDateTimeOffset("LastUpdatedAt") ?? default,
            entity.GetDateTimeOffset("ScheduledStartAt"),
            input.Result,
            output.Result,
            customStatus.Result,
            JsonDataConverter.Deserialize<TaskFailureDetails>(failure.Result),
            JsonDataConverter.Deserialize<ParentInstance>(entity.GetString("Parent")));
    }

    private Task<string?> ReadPayloadAsync(TableEntity entity, string column, CancellationToken cancellationToken)
    {
        if (entity.TryGetValue(column, out var inline) && inline is not null)
            return Task.FromResult<string?>(Encoding.UTF8.GetString(entity.GetBinary(column)));
        return entity.GetString(column + "Blob") is { } blob ? DownloadStringAsync(blob, cancellationToken) : Task.FromResult<string?>(null);
    }

    private async Task<string?> DownloadStringAsync(string blob, CancellationToken cancellationToken)
        => Encoding.UTF8.GetString(await storage.Payloads.DownloadAsync(blob, cancellationToken));
}
