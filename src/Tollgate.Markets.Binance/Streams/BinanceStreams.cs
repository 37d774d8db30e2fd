using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Binance.Streams;

/// <summary>Which Binance market streams to take for an instrument.</summary>
[Flags]
public enum MarketStreams
{
    None = 0,
    /// <summary><c>&lt;symbol&gt;@bookTicker</c>: best bid and offer on every change.</summary>
    BookTicker = 1,
    /// <summary><c>&lt;symbol&gt;@depth@100ms</c>: order book diffs; the connector also fetches a REST snapshot.</summary>
    Depth = 2,
    /// <summary><c>&lt;symbol&gt;@aggTrade</c>.</summary>
    AggTrade = 4,
    /// <summary><c>&lt;symbol&gt;@markPrice@1s</c> (futures only; ignored for spot).</summary>
    MarkPrice = 8,
    All = BookTicker | Depth | AggTrade | MarkPrice,
}

/// <summary>Stream names as Binance spells them (symbols lower case) and the documented limits of a connection.</summary>
public static class BinanceStreams
{
    /// <summary>Streams one spot connection may carry.</summary>
    public const int SpotMaxStreamsPerConnection = 1024;

    /// <summary>
    /// Streams one USDⓈ-M futures connection is given. Binance's futures page says 1024 today; 200 was its documented
    /// limit before and is the safe figure (options keep 200), so 200 is the default.
    /// </summary>
    public const int FuturesMaxStreamsPerConnection = 200;

    /// <summary>Incoming messages (SUBSCRIBE and the like, pings and pongs included) per second per connection.</summary>
    public static int MaxIncomingMessagesPerSecond(MarketKind market) => market == MarketKind.Spot ? 5 : 10;

    public static int MaxStreamsPerConnection(MarketKind market) => market == MarketKind.Spot ? SpotMaxStreamsPerConnection : FuturesMaxStreamsPerConnection;

    public static string BookTicker(string symbol) => $"{symbol.ToLowerInvariant()}@bookTicker";
    public static string Depth(string symbol) => $"{symbol.ToLowerInvariant()}@depth@100ms";
    public static string AggTrade(string symbol) => $"{symbol.ToLowerInvariant()}@aggTrade";
    public static string MarkPrice(string symbol) => $"{symbol.ToLowerInvariant()}@markPrice@1s";

    /// <summary>The stream names of <paramref name="instrument"/> for <paramref name="streams"/>, in a fixed order.</summary>
    public static IEnumerable<string> For(Instrument instrument, MarketStreams streams)
    {
        if (streams.HasFlag(MarketStreams.BookTicker)) yield return BookTicker(instrument.Symbol);
        if (streams.HasFlag(MarketStreams.Depth)) yield return Depth(instrument.Symbol);
        if (streams.HasFlag(MarketStreams.AggTrade)) yield return AggTrade(instrument.Symbol);
        if (streams.HasFlag(MarketStreams.MarkPrice) && instrument.Market == MarketKind.Futures) yield return MarkPrice(instrument.Symbol);
    }
}
