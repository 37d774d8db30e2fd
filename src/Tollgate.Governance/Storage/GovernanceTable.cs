namespace Tollgate.Governance.Storage;

/// <summary>One stored governance record: a partition, a row key and its JSON, as written once.</summary>
public sealed record StoredRecord(string Partition, string Row, string Json);

/// <summary>
/// Where governance state lives: insert-only rows in partitions, read back in row-key order. Nothing is ever
/// updated or deleted, so every version map, switch, approval step and kill-switch change stays as written, and
/// a row insert that finds its key taken is the compare-and-set that orders concurrent writers.
/// </summary>
/// <remarks>Azure Tables in Azure and on Azurite (<c>Tollgate.Governance.AzureStorage</c>), or memory for tests.</remarks>
public abstract class GovernanceTable
{
    /// <summary>Writes the row if its key is free. False when a row with that key exists (it is left as it was).</summary>
    public abstract Task<bool> TryInsertAsync(string partition, string row, string json, CancellationToken cancellationToken);

    public abstract Task<StoredRecord?> GetAsync(string partition, string row, CancellationToken cancellationToken);

    /// <summary>Rows of <paramref name="partition"/> whose key starts with <paramref name="rowPrefix"/>, in key order, at most <paramref name="limit"/>.</summary>
    public abstract Task<IReadOnlyList<StoredRecord>> QueryAsync(string partition, string rowPrefix, int limit, CancellationToken cancellationToken);
}
