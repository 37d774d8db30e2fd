namespace Tollgate.Markets.Quality;

/// <summary>
/// Latencies of the last one to two minutes in fixed millisecond buckets, for percentiles in health without keeping
/// samples: recording is an index and an increment, and allocates nothing. Not thread-safe: it is used by one ingest
/// partition at a time, or under a lock (<see cref="MarketDataMonitor"/>). Percentiles are the upper bound of the
/// bucket they fall in, so they are conservative by at most one bucket.
/// </summary>
public sealed class LatencyWindow
{
    /// <summary>Bucket upper bounds in milliseconds; the last bucket is everything above.</summary>
    public static readonly double[] Bounds = [1, 2, 5, 10, 20, 50, 100, 200, 300, 500, 1000, 2000, 5000, 10_000, 30_000];
    private static readonly long MinuteTicks = TimeSpan.TicksPerMinute;

    private readonly long[] current = new long[Bounds.Length + 1];
    private readonly long[] previous = new long[Bounds.Length + 1];
    private long currentMinute = long.MinValue;

    public void Record(TimeSpan latency, DateTimeOffset at)
    {
        var ms = latency.TotalMilliseconds;
        var bucket = 0;
        while (bucket < Bounds.Length && ms > Bounds[bucket]) bucket++;
        Rotate(at.UtcTicks / MinuteTicks);
        current[bucket]++;
    }

    /// <summary>The <paramref name="percentile"/> (0-100) over this minute and the last, in ms; null with no samples in them.</summary>
    public double? Percentile(double percentile, DateTimeOffset now)
    {
        Rotate(now.UtcTicks / MinuteTicks);
        long total = 0;
        for (var i = 0; i < current.Length; i++) total += current[i] + previous[i];
        if (total == 0) return null;
        var rank = (long)Math.Ceiling(percentile / 100 * total);
        long seen = 0;
        for (var i = 0; i < current.Length; i++)
        {
            seen += current[i] + previous[i];
            if (seen >= rank) return i < Bounds.Length ? Bounds[i] : double.PositiveInfinity;
        }
        return double.PositiveInfinity;
    }

    public long Count(DateTimeOffset now)
    {
        Rotate(now.UtcTicks / MinuteTicks);
        return current.Sum() + previous.Sum();
    }

    private void Rotate(long minute)
    {
        if (minute <= currentMinute) return;
        if (minute == currentMinute + 1) Array.Copy(current, previous, current.Length);
        else Array.Clear(previous);
        Array.Clear(current);
        currentMinute = minute;
    }
}
