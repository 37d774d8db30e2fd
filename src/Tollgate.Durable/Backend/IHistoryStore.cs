using Tollgate.Durable.History;

namespace Tollgate.Durable.Backend;

/// <summary>
/// The version a writer read. An append succeeds only if the history is still at this version,
/// which is what keeps two hosts from both applying one orchestration step.
/// </summary>
/// <param name="ETag">The backend's concurrency token; null before the first append.</param>
/// <param name="Count">Events stored for the instance over all its executions.</param>
public sealed record HistoryVersion(string? ETag, long Count)
{
    public static readonly HistoryVersion Empty = new(null, 0);
}

/// <param name="Events">The current execution's events, from its ExecutionStarted on.</param>
public sealed record HistorySnapshot(IReadOnlyList<HistoryEvent> Events, HistoryVersion Version);

/// <summary>The history of every instance; append-only, guarded by optimistic concurrency.</summary>
public interface IHistoryStore
{
    Task<HistorySnapshot> LoadAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="events"/> if the history is still at <paramref name="expected"/>.
    /// An ExecutionStarted among them starts a new current execution (ContinueAsNew); earlier
    /// executions stay stored.
    /// </summary>
    /// <exception cref="HistoryConflictException">Someone else appended first; nothing was written.</exception>
    Task<HistoryVersion> AppendAsync(string instanceId, HistoryVersion expected, IReadOnlyList<HistoryEvent> events, CancellationToken cancellationToken);

    /// <summary>Deletes the whole history of an instance (purge).</summary>
    Task DeleteAsync(string instanceId, CancellationToken cancellationToken);
}

public sealed class HistoryConflictException(string instanceId)
    : Exception($"The history of '{instanceId}' changed since it was read; another host applied this step.")
{
    public string InstanceId { get; } = instanceId;
}
