using Tollgate.Markets.Ingest;

namespace Tollgate.Markets.Capture;

/// <summary>
/// The market-data slice of a time window, as a replay bundle stores it: the frames received in [from, to), and
/// before them, per partition, every frame since that partition's last depth snapshot before <c>from</c>, so that
/// replaying the slice alone rebuilds the books the window started with. A snapshot is captured when its REST answer
/// arrives, so updates the exchange made after it was taken can be captured just before it; the frames received up to
/// <see cref="SnapshotLead"/> before the snapshot are kept too (those it covers are dropped as stale on replay).
/// </summary>
public static class CaptureSlice
{
    /// <summary>Longer than any snapshot request takes (the host's REST timeout is 10 s): an update the snapshot does not cover was received after the request went out.</summary>
    public static readonly TimeSpan SnapshotLead = TimeSpan.FromSeconds(30);

    /// <summary>Writes the slice of the capture at <paramref name="capturePath"/> to <paramref name="output"/>; returns the frames written.</summary>
    public static async Task<long> WriteAsync(string capturePath, DateTimeOffset from, DateTimeOffset to, Stream output, CancellationToken cancellationToken)
    {
        if (to <= from) throw new CaptureFormatException("MKT-CAPTURE-WINDOW", $"the window must end after it starts ({from:O} to {to:O})");
        var startAt = new Dictionary<string, (long Sequence, DateTimeOffset ReceivedAt)>(StringComparer.Ordinal);
        using (var scan = CaptureReader.Open(capturePath))
            foreach (var (partition, frame) in scan.Frames())
            {
                // Receive times interleave slightly across partitions, so every frame is looked at.
                if (frame.Header.ReceivedAt < from && frame.Header.Kind == FrameKind.DepthSnapshot) startAt[partition] = (frame.SequenceNumber, frame.Header.ReceivedAt);
            }

        using var reader = CaptureReader.Open(capturePath);
        await using var writer = new CaptureWriter(output, reader.Header with { Source = $"{reader.Header.Source}; slice {from:O} to {to:O}" });
        long written = 0;
        foreach (var (partition, frame) in reader.Frames())
        {
            var at = frame.Header.ReceivedAt;
            if (at >= to) continue;
            var keep = at >= from || (startAt.TryGetValue(partition, out var snapshot)
                && (frame.SequenceNumber >= snapshot.Sequence || at >= snapshot.ReceivedAt - SnapshotLead));
            if (!keep) continue;
            await writer.WriteAsync(partition, frame, cancellationToken);
            written++;
        }
        return written;
    }
}
