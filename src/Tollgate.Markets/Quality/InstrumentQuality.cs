namespace Tollgate.Markets.Quality;

/// <summary>
/// Data-quality figures of one instrument (seed 000 §9.1: ingestion failure rate, latency, missing ratio; seed 002
/// B.1: gaps, resyncs, the continuous-gap alert). Written by the instrument's ingest partition, read by health and
/// metrics from any thread: counters are read and written with <see cref="Interlocked"/>.
/// </summary>
public sealed class InstrumentQuality(string instrumentKey)
{
    /// <summary>Gaps within <see cref="GapWindow"/> that raise the continuous-gap alert.</summary>
    public const int GapsForAlert = 3;
    public static readonly TimeSpan GapWindow = TimeSpan.FromMinutes(5);
    /// <summary>How long a book may wait for its snapshot, with updates arriving, before the alert is raised.</summary>
    public static readonly TimeSpan MaxUnsynced = TimeSpan.FromSeconds(30);

    private long events, deltas, staleDeltas, staleQuotes, gaps, resyncs, staleSnapshots, trades;
    private long lastIngestTicks, lastExchangeTicks, unsyncedSinceTicks;
    private readonly DateTimeOffset[] recentGaps = new DateTimeOffset[GapsForAlert];
    private int recentGapNext;

    public string InstrumentKey { get; } = instrumentKey;
    public LatencyWindow Latency { get; } = new();

    public long Events => Interlocked.Read(ref events);
    public long Deltas => Interlocked.Read(ref deltas);
    public long StaleDeltas => Interlocked.Read(ref staleDeltas);
    public long StaleQuotes => Interlocked.Read(ref staleQuotes);
    public long Gaps => Interlocked.Read(ref gaps);
    public long Resyncs => Interlocked.Read(ref resyncs);
    public long StaleSnapshots => Interlocked.Read(ref staleSnapshots);
    public long Trades => Interlocked.Read(ref trades);

    /// <summary>Gaps per depth update received: the "missing ratio" of seed 000 §9.1.</summary>
    public double GapRatio => Deltas == 0 ? 0 : (double)Gaps / Deltas;

    public DateTimeOffset? LastIngest => Ticks(ref lastIngestTicks);
    public DateTimeOffset? LastExchangeTime => Ticks(ref lastExchangeTicks);

    /// <summary>Since when the depth book has been waiting for a snapshot; null when synced (or never had depth).</summary>
    public DateTimeOffset? UnsyncedSince => Ticks(ref unsyncedSinceTicks);

    /// <summary>The continuous-gap alert (MKT-CONTINUOUS-GAP) is raised.</summary>
    public bool ContinuousGapAlert { get; private set; }

    internal void OnEvent(DateTimeOffset? exchangeTime, DateTimeOffset ingestTime)
    {
        Interlocked.Increment(ref events);
        Interlocked.Exchange(ref lastIngestTicks, ingestTime.UtcTicks);
        if (exchangeTime is { } exchange)
        {
            Interlocked.Exchange(ref lastExchangeTicks, exchange.UtcTicks);
            Latency.Record(ingestTime - exchange, ingestTime);
        }
    }

    internal void OnDelta() => Interlocked.Increment(ref deltas);
    internal void OnStaleDelta() => Interlocked.Increment(ref staleDeltas);
    internal void OnStaleQuote() => Interlocked.Increment(ref staleQuotes);
    internal void OnTrade() => Interlocked.Increment(ref trades);
    internal void OnStaleSnapshot() => Interlocked.Increment(ref staleSnapshots);

    internal void OnUnsynced(DateTimeOffset at) => Interlocked.CompareExchange(ref unsyncedSinceTicks, at.UtcTicks, 0);

    internal void OnGap(DateTimeOffset at)
    {
        Interlocked.Increment(ref gaps);
        recentGaps[recentGapNext] = at;
        recentGapNext = (recentGapNext + 1) % recentGaps.Length;
        OnUnsynced(at);
    }

    internal void OnSynced(bool afterGap)
    {
        if (afterGap) Interlocked.Increment(ref resyncs);
        Interlocked.Exchange(ref unsyncedSinceTicks, 0);
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

    private static DateTimeOffset? Ticks(ref long field)
    {
        var ticks = Interlocked.Read(ref field);
        return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
    }
}
