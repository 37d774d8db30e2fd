using Tollgate.Markets.Binance.Streams;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Binance.Connector;

/// <summary>What the connector subscribes to and how it paces itself.</summary>
/// <param name="StreamsFor">Which streams each instrument gets; null: bookTicker, depth and aggTrade, plus markPrice on futures.</param>
/// <param name="Streams">Keep-alive, rotation and reconnect settings of every connection.</param>
/// <param name="HeartbeatInterval">How often a server-time request measures RTT and clock skew (seed 002: 30 s).</param>
/// <param name="SpotDepthLimit">Levels of a spot depth snapshot (1-5000; 1000 weighs 50).</param>
/// <param name="FuturesDepthLimit">Levels of a futures depth snapshot (5, 10, 20, 50, 100, 500, 1000; 1000 weighs 20).</param>
/// <param name="SpotMaxStreamsPerConnection">Streams per spot connection (Binance: at most 1024).</param>
/// <param name="FuturesMaxStreamsPerConnection">Streams per futures connection (200; see <see cref="BinanceStreams.FuturesMaxStreamsPerConnection"/>).</param>
/// <param name="SnapshotRetryDelay">After a failed snapshot fetch, how long before it is tried again.</param>
/// <param name="Random">Seeds the reconnect jitter (tests pass a seeded one).</param>
public sealed record MarketConnectorOptions(
    Func<Instrument, MarketStreams>? StreamsFor = null,
    StreamOptions? Streams = null,
    TimeSpan? HeartbeatInterval = null,
    int SpotDepthLimit = 1000,
    int FuturesDepthLimit = 1000,
    int SpotMaxStreamsPerConnection = BinanceStreams.SpotMaxStreamsPerConnection,
    int FuturesMaxStreamsPerConnection = BinanceStreams.FuturesMaxStreamsPerConnection,
    TimeSpan? SnapshotRetryDelay = null,
    Random? Random = null)
{
    public StreamOptions EffectiveStreams { get; } = Streams ?? new StreamOptions();

    public TimeSpan EffectiveHeartbeatInterval { get; } = HeartbeatInterval is { } h && h != Timeout.InfiniteTimeSpan && h <= TimeSpan.Zero
        ? throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), h, "must be positive (or infinite: no heartbeat).")
        : HeartbeatInterval ?? TimeSpan.FromSeconds(30);

    public TimeSpan EffectiveSnapshotRetryDelay { get; } = SnapshotRetryDelay ?? TimeSpan.FromSeconds(1);

    public MarketStreams StreamsOf(Instrument instrument) =>
        StreamsFor?.Invoke(instrument) ?? (MarketStreams.BookTicker | MarketStreams.Depth | MarketStreams.AggTrade
                                           | (instrument.Market == MarketKind.Futures ? MarketStreams.MarkPrice : MarketStreams.None));

    public int MaxStreamsPerConnection(MarketKind market)
    {
        var (value, limit, name) = market == MarketKind.Spot
            ? (SpotMaxStreamsPerConnection, BinanceStreams.SpotMaxStreamsPerConnection, nameof(SpotMaxStreamsPerConnection))
            : (FuturesMaxStreamsPerConnection, BinanceStreams.FuturesMaxStreamsPerConnection, nameof(FuturesMaxStreamsPerConnection));
        return value >= 1 && value <= limit ? value : throw new ArgumentOutOfRangeException(name, value, $"1 to {limit} streams per {market} connection.");
    }

    public int DepthLimit(MarketKind market) => market == MarketKind.Spot ? SpotDepthLimit : FuturesDepthLimit;
}

/// <summary>One planned connection: its market, its slot number and the streams (all streams of an instrument share one connection).</summary>
public sealed record ConnectionPlan(MarketKind Market, int Slot, IReadOnlyList<string> Streams, IReadOnlyList<Instrument> DepthInstruments);
