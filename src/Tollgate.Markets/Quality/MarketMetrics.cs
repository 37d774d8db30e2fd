using System.Diagnostics.Metrics;

namespace Tollgate.Markets.Quality;

/// <summary>
/// The market plane's metrics (System.Diagnostics.Metrics, exported as Prometheus and to Azure Monitor by the host).
/// Names follow OpenTelemetry's conventions; the Prometheus exporter turns <c>tollgate.market.frames</c> into
/// <c>tollgate_market_frames_total</c>.
/// </summary>
public static class MarketMetrics
{
    public const string MeterName = "Tollgate.Markets";
    public static readonly Meter Meter = new(MeterName);

    /// <summary>Frames by outcome: <c>decoded</c>, <c>duplicate</c>, or the fault code (<c>MKT-FRAME-*</c>).</summary>
    public static readonly Counter<long> Frames = Meter.CreateCounter<long>("tollgate.market.frames", "{frame}", "Frames ingested, by outcome");
    public static readonly Counter<long> Gaps = Meter.CreateCounter<long>("tollgate.market.book.gaps", "{gap}", "Depth updates missed (each drops the book until a snapshot)");
    public static readonly Counter<long> Resyncs = Meter.CreateCounter<long>("tollgate.market.book.resyncs", "{resync}", "Books rebuilt from a snapshot after a gap");
    public static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("tollgate.market.ingest.latency", "ms", "Exchange event time to Tollgate receive time");
    public static readonly Histogram<double> HeartbeatRoundTrip = Meter.CreateHistogram<double>("tollgate.market.heartbeat.rtt", "ms", "Round trip of the exchange server-time heartbeat");
    public static readonly Histogram<double> ClockSkew = Meter.CreateHistogram<double>("tollgate.market.clock.skew", "ms", "Exchange clock minus local clock at the heartbeat");
    public static readonly Counter<long> Disconnects = Meter.CreateCounter<long>("tollgate.market.ws.disconnects", "{disconnect}", "Stream connections ended, planned or not");
    public static readonly Counter<long> RateLimited = Meter.CreateCounter<long>("tollgate.market.rest.rate_limited", "{response}", "REST responses 429 and 418");
}
