using Tollgate.Host.Api;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Quality;

namespace Tollgate.Host.Markets;

/// <summary>
/// The market plane's part of <c>GET /api/health</c> (seed 000 §9.1 data quality, seed 002 C heartbeat). Market
/// trouble degrades the host, it never fails it: governance, the ledger and the kill switch still answer.
/// </summary>
public static class MarketHealth
{
    /// <summary>Ingest failures above this share of frames degrade health.</summary>
    public const double MaxFailureRate = 0.01;
    /// <summary>An instrument with no frame for this long is stale.</summary>
    public static readonly TimeSpan MaxDataAge = TimeSpan.FromSeconds(30);

    public static IEnumerable<HealthCheck> Checks(MarketPlane plane, DateTimeOffset now)
    {
        if (!plane.Settings.Enabled)
        {
            yield return new HealthCheck("market", HealthApi.Ok, "off: no instruments configured", 0);
            yield break;
        }
        if (plane.Handler is not { } handler)
        {
            yield return new HealthCheck("market", HealthApi.Degraded, plane.Failure is { } failure ? $"not running: {failure}" : "starting", 0);
            yield break;
        }

        var problems = new List<string>();
        var seen = handler.FramesSeen;
        var dropped = handler.Faults.Values.Sum();
        var failureRate = seen == 0 ? 0 : (double)dropped / seen;
        if (failureRate > MaxFailureRate) problems.Add($"ingest failure rate {failureRate:P2} (over {MaxFailureRate:P0})");
        long gaps = 0, resyncs = 0;
        double? worstP95 = null;
        foreach (var instrument in handler.Instruments.All)
        {
            var state = handler.Inspect(instrument, p => (p.Book.IsSynced, p.Quality.LastIngest, p.Quality.ContinuousGapAlert, p.Quality.Gaps, p.Quality.Resyncs,
                P95: p.Quality.Latency.Percentile(95, now), HasDepth: p.Quality.Deltas > 0));
            if (state == default) { problems.Add($"{instrument.Key}: no data"); continue; }
            gaps += state.Gaps;
            resyncs += state.Resyncs;
            if (state.HasDepth && !state.IsSynced) problems.Add($"{instrument.Key}: book out of sync");
            if (state.ContinuousGapAlert) problems.Add($"{instrument.Key}: MKT-CONTINUOUS-GAP");
            if (state.LastIngest is { } last && now - last > MaxDataAge) problems.Add($"{instrument.Key}: no frame for {(now - last).TotalSeconds:0} s");
            if (state.P95 is { } p95) worstP95 = Math.Max(worstP95 ?? 0, p95);
        }
        yield return new HealthCheck("market-data", problems.Count == 0 ? HealthApi.Ok : HealthApi.Degraded,
            (problems.Count == 0 ? $"{handler.Instruments.All.Count} instrument(s) in sync" : string.Join("; ", problems))
            + $"; {seen} frames, {dropped} dropped, {gaps} gap(s), {resyncs} resync(s), latency p95 {(worstP95 is { } w ? $"≤{w:0} ms" : "n/a")}", 0);

        foreach (var market in plane.Settings.Instruments.Select(i => i.Market).Distinct())
            yield return Heartbeat(market, plane.Monitor.Market(market), now);
    }

    private static HealthCheck Heartbeat(MarketKind market, MarketConnection c, DateTimeOffset now)
    {
        var problems = new List<string>();
        var p95 = c.RoundTripP95(now);
        if (c.BannedUntil is { } banned && banned > now) problems.Add($"MKT-BINANCE-BANNED until {banned:O}");
        if (p95 is { } rtt && rtt > MarketDataMonitor.MaxRoundTripP95.TotalMilliseconds) problems.Add($"heartbeat RTT p95 ≤{rtt:0} ms (target < 300)");
        if (c.LastSkew is { } skew && Math.Abs(skew.TotalMilliseconds) >= MarketDataMonitor.MaxClockSkew.TotalMilliseconds) problems.Add($"clock skew {skew.TotalMilliseconds:0} ms (target < 500)");
        if (c.OpenConnections <= 0) problems.Add("no stream connection open");
        var detail = $"{c.OpenConnections} connection(s), RTT p95 {(p95 is { } r ? $"≤{r:0} ms" : "n/a")}, skew {(c.LastSkew is { } s ? $"{s.TotalMilliseconds:0} ms" : "n/a")}, {c.UnplannedDisconnects} unplanned disconnect(s)";
        return new HealthCheck($"market-{market.Code().ToLowerInvariant()}-connection", problems.Count == 0 ? HealthApi.Ok : HealthApi.Degraded,
            problems.Count == 0 ? detail : string.Join("; ", problems) + "; " + detail, 0);
    }
}
