using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Binance.Rest;

/// <summary>
/// Where each Binance market lives: the REST base (paths <c>/api/v3/...</c> for spot, <c>/fapi/v1/...</c> for USDⓈ-M
/// futures are appended) and the WebSocket base (<c>/stream?streams=...</c> is appended). Tests point all four at the
/// loopback fake exchange.
/// </summary>
public sealed record BinanceEndpoints(Uri SpotRest, Uri SpotStream, Uri FuturesRest, Uri FuturesStream)
{
    /// <summary>Binance's production hosts.</summary>
    public static BinanceEndpoints Production { get; } = new(
        new Uri("https://api.binance.com"), new Uri("wss://stream.binance.com:9443"),
        new Uri("https://fapi.binance.com"), new Uri("wss://fstream.binance.com"));

    public Uri Rest(MarketKind market) => market == MarketKind.Spot ? SpotRest : FuturesRest;

    public Uri Stream(MarketKind market) => market == MarketKind.Spot ? SpotStream : FuturesStream;

    /// <summary>The REST URI of <paramref name="pathAndQuery"/> (starting with '/'), keeping any path prefix of the base.</summary>
    public Uri RestUri(MarketKind market, string pathAndQuery) => Append(Rest(market), pathAndQuery);

    /// <summary>The combined-stream URI for <paramref name="streams"/> (<c>/stream?streams=a/b/c</c>).</summary>
    public Uri CombinedStreamUri(MarketKind market, IEnumerable<string> streams) =>
        Append(Stream(market), "/stream?streams=" + string.Join('/', streams));

    private static Uri Append(Uri baseUri, string pathAndQuery)
    {
        var text = baseUri.ToString().TrimEnd('/');
        return new Uri(text + pathAndQuery, UriKind.Absolute);
    }
}
