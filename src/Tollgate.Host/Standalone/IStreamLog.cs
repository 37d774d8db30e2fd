using Tollgate.Host.Functions;

namespace Tollgate.Host.Standalone;

/// <summary>
/// Where a durable stream of the standalone hub keeps its events until they are consumed: what Event Hubs' retention
/// and a consumer's checkpoint are in Azure. An event is appended before it is handed to a reader; the reader's
/// checkpoint moves after its function has taken a batch, so a host that dies in between hands the same events to
/// the next run (at-least-once; the functions are idempotent).
/// </summary>
public interface IStreamLog
{
    Task AppendAsync(string stream, string partition, StreamEvent e, CancellationToken cancellationToken);

    /// <summary>Marks every event of the partition up to <paramref name="sequence"/> consumed.</summary>
    Task CheckpointAsync(string stream, string partition, long sequence, CancellationToken cancellationToken);

    /// <summary>Every partition of the stream: its checkpoint (−1 for none), the events after it, in sequence order, and the next sequence number.</summary>
    Task<IReadOnlyList<RecoveredPartition>> RecoverAsync(string stream, CancellationToken cancellationToken);
}

public sealed record RecoveredPartition(string Partition, long Checkpoint, IReadOnlyList<StreamEvent> Pending, long NextSequence);
