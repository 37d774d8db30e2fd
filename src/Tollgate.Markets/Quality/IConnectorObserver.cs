using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Quality;

/// <summary>
/// What a connector reports about its connections (seed 002 C: heartbeat every 30 s, RTT p95 &lt; 300 ms, clock skew
/// &lt; 500 ms; WS reconnect success &gt; 99.9%). The data-quality monitor implements it; tests record it.
/// </summary>
public interface IConnectorObserver
{
    /// <summary>A heartbeat: the round trip of a server-time request, and how far the exchange's clock is from ours (exchange − local, at the midpoint).</summary>
    void OnHeartbeat(MarketKind market, TimeSpan roundTrip, TimeSpan clockSkew);

    /// <summary>A stream connection opened (<paramref name="attempt"/> 1 for the first try after a drop).</summary>
    void OnConnected(MarketKind market, string connectionId, int attempt);

    /// <summary>A stream connection ended; <paramref name="planned"/> for the rotation before the 24 h cut.</summary>
    void OnDisconnected(MarketKind market, string connectionId, string reason, bool planned);

    /// <summary>A REST call was refused for rate (429, waiting <paramref name="retryAfter"/>) or the IP is banned (418: the connector stops calling).</summary>
    void OnRateLimited(MarketKind market, int statusCode, TimeSpan retryAfter);

    /// <summary>The latest <c>X-MBX-USED-WEIGHT-*</c> reading, e.g. interval "1m", weight 1200 of limit 6000.</summary>
    void OnWeightUsed(MarketKind market, string interval, int used, int limit);
}
