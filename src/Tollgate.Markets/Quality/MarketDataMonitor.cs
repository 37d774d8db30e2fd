using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Quality;

/// <summary>
/// The connection side of data quality (seed 002 C: heartbeat RTT p95 &lt; 300 ms, clock skew &lt; 500 ms; reconnects;
/// rate limits) and the recent data-quality events, per market. The connector reports here; health and metrics
/// read from here.
/// </summary>
public sealed class MarketDataMonitor(TimeProvider time) : IConnectorObserver, IDataQualitySink
{
    public static readonly TimeSpan MaxRoundTripP95 = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMilliseconds(500);
    public const int RecentEventCapacity = 100;

    private readonly MarketConnection[] markets = [new(), new()];
    private readonly Queue<DataQualityEvent> recent = new();
    private readonly object gate = new();

    /// <summary>Every data-quality event is also passed on here (the host logs them).</summary>
    public event Action<DataQualityEvent>? Reported;

    public MarketConnection Market(MarketKind market) => markets[(int)market];

    public IReadOnlyList<DataQualityEvent> RecentEvents
    {
        get { lock (gate) return [.. recent]; }
    }

    public void OnDataQuality(DataQualityEvent e)
    {
        lock (gate)
        {
            if (recent.Count == RecentEventCapacity) recent.Dequeue();
            recent.Enqueue(e);
        }
        Reported?.Invoke(e);
    }

    public void OnHeartbeat(MarketKind market, TimeSpan roundTrip, TimeSpan clockSkew)
    {
        var m = markets[(int)market];
        var now = time.GetUtcNow();
        m.RecordRoundTrip(roundTrip, now);
        m.LastSkew = clockSkew;
        m.LastHeartbeat = now;
        var tag = new KeyValuePair<string, object?>("market", market.Code());
        MarketMetrics.HeartbeatRoundTrip.Record(roundTrip.TotalMilliseconds, tag);
        MarketMetrics.ClockSkew.Record(clockSkew.TotalMilliseconds, tag);
    }

    public void OnConnected(MarketKind market, string connectionId, int attempt)
    {
        var m = markets[(int)market];
        Interlocked.Increment(ref m.ConnectsField);
        Interlocked.Increment(ref m.OpenField);
    }

    public void OnDisconnected(MarketKind market, string connectionId, string reason, bool planned)
    {
        var m = markets[(int)market];
        Interlocked.Decrement(ref m.OpenField);
        if (!planned) Interlocked.Increment(ref m.UnplannedDisconnectsField);
        m.LastDisconnectReason = reason;
        MarketMetrics.Disconnects.Add(1, new KeyValuePair<string, object?>("market", market.Code()), new KeyValuePair<string, object?>("planned", planned));
    }

    public void OnRateLimited(MarketKind market, int statusCode, TimeSpan retryAfter)
    {
        var m = markets[(int)market];
        Interlocked.Increment(ref m.RateLimitedField);
        if (statusCode == 418) m.BannedUntil = time.GetUtcNow() + retryAfter;
        MarketMetrics.RateLimited.Add(1, new KeyValuePair<string, object?>("market", market.Code()), new KeyValuePair<string, object?>("status", statusCode));
    }

    public void OnWeightUsed(MarketKind market, string interval, int used, int limit)
    {
        var m = markets[(int)market];
        m.WeightUsed = used;
        m.WeightLimit = limit;
    }
}

/// <summary>What one market's connections have reported.</summary>
public sealed class MarketConnection
{
    internal long ConnectsField, OpenField, UnplannedDisconnectsField, RateLimitedField;

    private readonly LatencyWindow roundTrips = new();

    internal void RecordRoundTrip(TimeSpan roundTrip, DateTimeOffset at)
    {
        lock (roundTrips) roundTrips.Record(roundTrip, at);
    }

    /// <summary>The 95th percentile heartbeat round trip over the last one to two minutes, in ms (bucket upper bound).</summary>
    public double? RoundTripP95(DateTimeOffset now)
    {
        lock (roundTrips) return roundTrips.Percentile(95, now);
    }
    public TimeSpan? LastSkew { get; internal set; }
    public DateTimeOffset? LastHeartbeat { get; internal set; }
    public string? LastDisconnectReason { get; internal set; }
    public DateTimeOffset? BannedUntil { get; internal set; }
    public int WeightUsed { get; internal set; }
    public int WeightLimit { get; internal set; }

    public long Connects => Interlocked.Read(ref ConnectsField);
    public long OpenConnections => Interlocked.Read(ref OpenField);
    public long UnplannedDisconnects => Interlocked.Read(ref UnplannedDisconnectsField);
    public long RateLimited => Interlocked.Read(ref RateLimitedField);
}
