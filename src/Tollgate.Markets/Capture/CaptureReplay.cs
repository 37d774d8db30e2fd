using Tollgate.Markets.Ingest;

namespace Tollgate.Markets.Capture;

/// <summary>How fast a replay runs: at the pace the frames were received, a multiple of it, or as fast as it can.</summary>
public readonly record struct ReplaySpeed(double Factor)
{
    public static readonly ReplaySpeed Max = new(double.PositiveInfinity);
    public bool IsMax => double.IsPositiveInfinity(Factor);

    /// <summary><c>1x</c>, <c>10x</c>, <c>0.5x</c> or <c>max</c>.</summary>
    public static bool TryParse(string? text, out ReplaySpeed speed)
    {
        speed = Max;
        if (string.Equals(text, "max", StringComparison.OrdinalIgnoreCase)) return true;
        if (text is { Length: > 1 } && (text[^1] == 'x' || text[^1] == 'X')
            && double.TryParse(text[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var factor)
            && factor > 0 && double.IsFinite(factor))
        {
            speed = new ReplaySpeed(factor);
            return true;
        }
        return false;
    }

    public override string ToString() => IsMax ? "max" : $"{Factor:0.##}x";
}

/// <summary>Where a replay is.</summary>
public readonly record struct ReplayProgress(long Frames, DateTimeOffset? CaptureTime);

/// <summary>
/// Drives a capture through the ingest handler, in batches of consecutive frames of one partition (the shape an
/// Event Hubs trigger delivers), paced by the receive times when the speed is not max. The handler does not know it
/// is a replay: only the data source and the time advance differ (seed 000 §3.2).
/// </summary>
public sealed class CaptureReplay(MarketIngestHandler handler, TimeProvider time)
{
    public const int MaxBatch = 256;

    public async Task<IngestResult> RunAsync(IEnumerable<CapturedFrame> frames, ReplaySpeed speed, IProgress<ReplayProgress>? progress, CancellationToken cancellationToken)
    {
        var batch = new List<IngestFrame>(MaxBatch);
        string? partition = null;
        DateTimeOffset? first = null, last = null;
        var started = time.GetTimestamp();
        int total = 0, decoded = 0, duplicates = 0, dropped = 0, control = 0;
        long reported = 0;

        void Flush()
        {
            if (batch.Count == 0) return;
            var r = handler.Handle(new IngestBatch(partition!, [.. batch]));
            total += r.Frames; decoded += r.Decoded; duplicates += r.Duplicates; dropped += r.Dropped; control += r.Control;
            batch.Clear();
        }

        foreach (var (framePartition, frame) in frames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!speed.IsMax)
            {
                first ??= frame.Header.ReceivedAt;
                var due = (frame.Header.ReceivedAt - first.Value) / speed.Factor;
                var wait = due - time.GetElapsedTime(started);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    Flush();
                    await Task.Delay(wait, time, cancellationToken);
                }
            }
            if (framePartition != partition || batch.Count == MaxBatch) Flush();
            partition = framePartition;
            batch.Add(frame);
            last = frame.Header.ReceivedAt;
            if (progress is not null && total + batch.Count - reported >= 10_000)
            {
                reported = total + batch.Count;
                progress.Report(new ReplayProgress(reported, last));
            }
        }
        Flush();
        progress?.Report(new ReplayProgress(total, last));
        return new IngestResult(total, decoded, duplicates, dropped, control, -1);
    }
}
