using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Ingest;

/// <summary>What a frame's body is: a combined-stream WebSocket message, or a REST depth snapshot the connector fetched.</summary>
public enum FrameKind : byte
{
    /// <summary><c>{"stream":"btcusdt@bookTicker","data":{...}}</c>, exactly as the WebSocket delivered it.</summary>
    Stream,
    /// <summary>The body of <c>GET /api/v3/depth</c> or <c>GET /fapi/v1/depth</c>; <see cref="FrameHeader.Symbol"/> says whose.</summary>
    DepthSnapshot,
}

/// <summary>
/// What travels beside a raw exchange payload (Event Hubs application properties in Azure): which market's
/// connection it came from, what it is, whose snapshot it is, and when Tollgate received it. The body itself is the
/// exchange's bytes, untouched, so a capture can be replayed through the same decoder.
/// </summary>
/// <param name="Symbol">For <see cref="FrameKind.DepthSnapshot"/> only: stream frames name their symbol inside.</param>
/// <param name="ReceivedAt">When the connector read it off the socket (UTC): the ingest time of every event decoded from it.</param>
public readonly record struct FrameHeader(MarketKind Market, FrameKind Kind, string? Symbol, DateTimeOffset ReceivedAt);

/// <summary>One event of an ingest batch: the partition's sequence number (Event Hubs <c>SequenceNumber</c>), when the hub took it, and the frame.</summary>
public readonly record struct IngestFrame(long SequenceNumber, DateTimeOffset EnqueuedAt, FrameHeader Header, ReadOnlyMemory<byte> Body);

/// <summary>
/// A batch as the Functions Event Hubs trigger delivers it with cardinality many: one partition, its events in
/// sequence order. The standalone host's in-process channels deliver the same shape, partitioned by instrument.
/// </summary>
public sealed record IngestBatch(string PartitionId, IReadOnlyList<IngestFrame> Frames);
