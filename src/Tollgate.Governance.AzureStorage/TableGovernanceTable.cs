using Azure;
using Azure.Data.Tables;
using Tollgate.Governance.Storage;

namespace Tollgate.Governance.AzureStorage;

/// <summary>
/// The governance table on Azure Tables (Azurite locally): <c>&lt;task hub&gt;Governance</c>. Rows are only ever
/// added (<c>AddEntity</c>, which the service refuses with 409 when the key is taken), never updated or deleted.
/// A record's JSON is split over properties of at most 32,000 characters, so a record may be as large as an entity.
/// </summary>
public sealed class TableGovernanceTable(TableClient table) : GovernanceTable
{
    private const int PropertyChars = 32_000;
    private const int MaxParts = 30;

    public TableClient Table { get; } = table;

    public static async Task<TableGovernanceTable> CreateAsync(TableServiceClient service, string taskHub, CancellationToken cancellationToken)
    {
        var table = service.GetTableClient(taskHub + "Governance");
        await table.CreateIfNotExistsAsync(cancellationToken);
        return new TableGovernanceTable(table);
    }

    public override async Task<bool> TryInsertAsync(string partition, string row, string json, CancellationToken cancellationToken)
    {
        var parts = (json.Length + PropertyChars - 1) / PropertyChars;
        if (parts > MaxParts) throw new ArgumentException($"A governance record may be at most {MaxParts * PropertyChars} characters.", nameof(json));
        var entity = new TableEntity(partition, row) { ["Parts"] = parts };
        for (var i = 0; i < parts; i++) entity[$"Json{i}"] = json.Substring(i * PropertyChars, Math.Min(PropertyChars, json.Length - i * PropertyChars));
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

    public override async Task<StoredRecord?> GetAsync(string partition, string row, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
        return found.HasValue ? Read(found.Value!) : null;
    }

    public override async Task<IReadOnlyList<StoredRecord>> QueryAsync(string partition, string rowPrefix, int limit, CancellationToken cancellationToken)
    {
        // Row keys with the prefix sort between the prefix and the prefix followed by the highest character.
        var filter = rowPrefix.Length == 0
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {rowPrefix} and RowKey lt {rowPrefix + '\uffff'}");
        var found = new List<StoredRecord>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, Math.Clamp(limit, 1, 1000), cancellationToken: cancellationToken))
        {
            found.Add(Read(entity));
            if (found.Count >= limit) break;
        }
        return found;
    }

    private static StoredRecord Read(TableEntity entity)
    {
        var parts = entity.GetInt32("Parts") ?? throw new InvalidDataException($"Governance row {entity.PartitionKey}/{entity.RowKey} has no Parts.");
        var json = string.Concat(Enumerable.Range(0, parts).Select(i => entity.GetString($"Json{i}")
            ?? throw new InvalidDataException($"Governance row {entity.PartitionKey}/{entity.RowKey} lacks part {i}.")));
        return new StoredRecord(entity.PartitionKey, entity.RowKey, json);
    }
}
