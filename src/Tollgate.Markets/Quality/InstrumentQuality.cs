namespace Tollgate.Markets.Quality;

/// <summary>
/// Data-quality figures of one instrument (seed 000 §9.1: ingestion failure rate, latency, missing ratio; seed 002
/// B.1: gaps, resyncs, the continuous-gap alert). Written by the instrument's ingest partition while it holds the
/// partition; read through <see cref="Ingest.MarketIngestHandler.Inspect{T}"/>, which holds it too. So the counters are
/// plain fields: an atomic operation per event would cost the hot path more than everything else here.
/// </summary>
public sealed class InstrumentQuality(string instrumentKey)
{
    /// <summary>Gaps within <see cref="GapWindow"/> that raise the continuous-gap alert.</summary>
    public const int GapsForAlert = 3;
    public static readonly TimeSpan GapWindow = TimeSpan.FromMinutes(5);
    /// <summary>How long a book may wait for its snapshot, with updates arriving, before the alert is raised.</summary>
    public static readonly TimeSpan MaxUnsynced = TimeSpan.FromSeconds(30);

    private long events, deltas, staleDeltas, staleQuotes, staleTrades, gaps, resyncs, staleSnapshots, trades;
    private long lastIngestTicks, unsyncedSinceTicks;
    private readonly DateTimeOffset[] recentGaps = new DateTimeOffset[GapsForAlert];
    private int recentGapNext;

    public string InstrumentKey { get; } = instrumentKey;
    public LatencyWindow Latency { get; } = new();

    public long Events => events;
    public long Deltas => deltas;
    public long StaleDeltas => staleDeltas;
    public long StaleQuotes => staleQuotes;
    public long StaleTrades => staleTrades;
    public long Gaps => gaps;
    public long Resyncs => resyncs;
    public long StaleSnapshots => staleSnapshots;
    public long Trades => trades;

    /// <summary>Gaps per depth update received: the "missing ratio" of seed 000 §9.1.</summary>
    public double GapRatio => Deltas == 0 ? 0 : (double)Gaps / Deltas;

    public DateTimeOffset? LastIngest => Ticks(lastIngestTicks);

    /// <summary>Since when the depth book has been waiting for a snapshot; null when synced (or never had depth).</summary>
    public DateTimeOffset? UnsyncedSince => Ticks(unsyncedSinceTicks);

    /// <summary>The continuous-gap alert (MKT-CONTINUOUS-GAP) is raised.</summary>
    public bool ContinuousGapAlert { get; private set; }

    internal void OnEvent(DateTimeOffset? exchangeTime, DateTimeOffset ingestTime)
    {
        events++;
        lastIngestTicks = ingestTime.UtcTicks;
        if (exchangeTime is { } exchange)
        {
            var latency = ingestTime - exchange;
            Latency.Record(latency, ingestTime);
            // Exported only while a listener (the Prometheus exporter) is attached; without one this is a flag test.
            if (MarketMetrics.Latency.Enabled)
                MarketMetrics.Latency.Record(latency.TotalMilliseconds, new KeyValuePair<string, object?>("instrument", InstrumentKey));
        }
    }

    internal void OnDelta() => deltas++;
    internal void OnStaleDelta() => staleDeltas++;
    internal void OnStaleQuote() => staleQuotes++;
    internal void OnStaleTrade() => staleTrades++;
    internal void OnTrade() => trades++;
    internal void OnStaleSnapshot() => staleSnapshots++;

    internal void OnUnsynced(DateTimeOffset at)
    {
        if (unsyncedSinceTicks == 0) unsyncedSinceTicks = at.UtcTicks;
    }

    internal void OnGap(DateTimeOffset at)
    {
        gaps++;
        recentGaps[recentGapNext] = at;
        recentGapNext = (recentGapNext + 1) % recentGaps.Length;
        OnUnsynced(at);
    }

    internal void OnSynced(bool afterGap)
    {
        if (afterGap) resyncs++;
        unsyncedSinceTicks = 0;
    }

    /// <summary>Re-evaluates the continuous-gap alert at <paramref name="now"/>; returns the new state when it changed.</summary>
    internal bool? UpdateAlert(DateTimeOffset now)
    {
        var unsynced = UnsyncedSince is { } since && now - since > MaxUnsynced;
        var gapsInWindow = 0;
        foreach (var t in recentGaps)
            if (t != default && now - t <= GapWindow) gapsInWindow++;
        var raised = unsynced || gapsInWindow >= GapsForAlert;
        // Cleared only once the book is synced again and the gap burst has aged out.
        if (raised == ContinuousGapAlert || (!raised && UnsyncedSince is not null)) return null;
        ContinuousGapAlert = raised;
        return raised;
    }

    private static DateTimeOffset? Ticks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
