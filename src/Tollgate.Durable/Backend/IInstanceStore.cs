using Tollgate.Durable.History;

namespace Tollgate.Durable.Backend;

/// <summary>One row per instance: what clients query. Only the owner of the instance's partition updates a row after creation.</summary>
public sealed record InstanceRecord(
    string InstanceId,
    string Name,
    int Partition,
    OrchestrationRuntimeStatus Status,
    string ExecutionId,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    DateTimeOffset? ScheduledStartAt = null,
    string? Input = null,
    string? Output = null,
    string? CustomStatus = null,
    TaskFailureDetails? Failure = null,
    ParentInstance? Parent = null)
{
    public OrchestrationMetadata ToMetadata(bool withPayloads) => new(
        Name, InstanceId, Status, CreatedAt, LastUpdatedAt, ScheduledStartAt,
        withPayloads ? Input : null, withPayloads ? Output : null, CustomStatus, Failure);
}

public sealed record InstanceRecordPage(IReadOnlyList<InstanceRecord> Records, string? ContinuationToken);

public interface IInstanceStore
{
    /// <summary>Creates the row; false when an instance with that id already exists (nothing is changed).</summary>
    Task<bool> TryCreateAsync(InstanceRecord record, CancellationToken cancellationToken);

    Task<InstanceRecord?> GetAsync(string instanceId, bool withPayloads, CancellationToken cancellationToken);

    /// <summary>Writes the row as the partition owner sees it.</summary>
    Task UpsertAsync(InstanceRecord record, CancellationToken cancellationToken);

    Task<InstanceRecordPage> QueryAsync(OrchestrationQuery query, CancellationToken cancellationToken);

    /// <summary>Ids of the Pending, Running and Suspended instances of one partition: what a new owner must resume.</summary>
    Task<IReadOnlyList<string>> ListActiveAsync(int partition, CancellationToken cancellationToken);

    /// <summary>Deletes the row; false when there was none.</summary>
    Task<bool> DeleteAsync(string instanceId, CancellationToken cancellationToken);

    Task<(bool Ok, string Detail)> ProbeAsync(CancellationToken cancellationToken);
}
