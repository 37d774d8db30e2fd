namespace Tollgate.Markets.Ingest;

/// <summary>
/// Where a connector puts what it receives: an Event Hub in Azure, the standalone host's partitioned channels
/// locally, a capture file, or a list in a test. The partition key is the instrument's key (<c>SPOT:BTCUSDT</c>), so
/// every frame of one instrument is in one partition, in order; a combined-stream frame is keyed by the symbol its
/// stream name carries.
/// </summary>
public interface IFrameSink
{
    /// <summary>Hands over one frame. Completes when the frame is accepted (it may wait when the consumer is behind: that is the backpressure).</summary>
    ValueTask PublishAsync(string partitionKey, FrameHeader header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

/// <summary>How the ingest side asks the connector for a fresh depth snapshot after a gap.</summary>
public interface ISnapshotRequester
{
    /// <summary>Asks for a snapshot of <paramref name="instrumentKey"/>; returns at once, the snapshot arrives later as a frame.</summary>
    void RequestSnapshot(string instrumentKey, string reason);
}
