using Tollgate.Governance.Storage;

namespace Tollgate.Governance.Tests.Support;

/// <summary>The in-memory governance table, whose inserts or reads a test can make fail (storage down).</summary>
internal sealed class FaultableTable : GovernanceTable
{
    public InMemoryGovernanceTable Inner { get; } = new();

    /// <summary>Returns the exception an insert into a partition throws, or null to let it through.</summary>
    public Func<string, Exception?>? InsertFault { get; set; }

    /// <summary>Returns the exception a read of a partition throws, or null to let it through.</summary>
    public Func<string, Exception?>? ReadFault { get; set; }

    public override Task<bool> TryInsertAsync(string partition, string row, string json, CancellationToken cancellationToken) =>
        InsertFault?.Invoke(partition) is { } fault ? throw fault : Inner.TryInsertAsync(partition, row, json, cancellationToken);

    public override Task<StoredRecord?> GetAsync(string partition, string row, CancellationToken cancellationToken) =>
        ReadFault?.Invoke(partition) is { } fault ? throw fault : Inner.GetAsync(partition, row, cancellationToken);

    public override Task<IReadOnlyList<StoredRecord>> QueryAsync(string partition, string rowPrefix, int limit, CancellationToken cancellationToken) =>
        ReadFault?.Invoke(partition) is { } fault ? throw fault : Inner.QueryAsync(partition, rowPrefix, limit, cancellationToken);
}
