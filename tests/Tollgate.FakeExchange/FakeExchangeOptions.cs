namespace Tollgate.FakeExchange;

/// <summary>Which Binance market a fake endpoint, connection or simulator belongs to.</summary>
public enum FakeMarket
{
    Spot,
    Futures,
}

/// <summary>A symbol the fake lists, with the filters its exchangeInfo reports and where its random walk starts.</summary>
/// <param name="LegacyMinNotional">Spot only: report the minimum notional in a MIN_NOTIONAL filter instead of NOTIONAL.</param>
public sealed record FakeSymbol(string Symbol, decimal StartPrice, decimal TickSize, decimal StepSize, decimal MinNotional, bool LegacyMinNotional = false)
{
    /// <summary>A plausible listing for <paramref name="symbol"/>: BTCUSDT and ETHUSDT look like Binance's, others are made up.</summary>
    public static FakeSymbol Default(string symbol, FakeMarket market) => (symbol.ToUpperInvariant(), market) switch
    {
        ("BTCUSDT", FakeMarket.Spot) => new("BTCUSDT", 65000.00m, 0.01m, 0.00001m, 5m),
        ("BTCUSDT", FakeMarket.Futures) => new("BTCUSDT", 65010.0m, 0.10m, 0.001m, 100m),
        ("ETHUSDT", FakeMarket.Spot) => new("ETHUSDT", 3200.00m, 0.01m, 0.0001m, 5m),
        ("ETHUSDT", FakeMarket.Futures) => new("ETHUSDT", 3201.00m, 0.01m, 0.001m, 20m),
        (var s, FakeMarket.Spot) => new(s, 10.0m, 0.0001m, 0.01m, 5m),
        (var s, _) => new(s, 10.0m, 0.001m, 1m, 5m),
    };
}

/// <summary>How the fake exchange behaves. Every time it reports (server time, event times, connection lifetime) is read from <see cref="Clock"/>.</summary>
public sealed record FakeExchangeOptions
{
    /// <summary>Where to listen; only 127.0.0.1 (or localhost) is accepted. Port 0 picks a free one.</summary>
    public string Url { get; init; } = "http://127.0.0.1:0";

    public IReadOnlyList<string> Symbols { get; init; } = ["BTCUSDT", "ETHUSDT"];

    /// <summary>Overrides <see cref="FakeSymbol.Default"/> for spot symbols.</summary>
    public IReadOnlyList<FakeSymbol>? SpotListings { get; init; }

    /// <summary>Overrides <see cref="FakeSymbol.Default"/> for futures symbols.</summary>
    public IReadOnlyList<FakeSymbol>? FuturesListings { get; init; }

    /// <summary>Seeds every symbol's random walk: the same seed gives the same events.</summary>
    public int Seed { get; init; } = 20240601;

    /// <summary>How often each symbol's market moves (one depth diff, one bookTicker, maybe a trade). Infinite: only <see cref="FakeExchange.Step"/>.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Futures markPrice is published every this many ticks (10 × 100 ms ≈ @markPrice@1s).</summary>
    public int MarkPriceEveryTicks { get; init; } = 10;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The server pings every this long (spot 20 s; futures 3 min on Binance).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>No pong within this → the server drops the connection (Binance: one minute).</summary>
    public TimeSpan PongTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The server closes every connection this long after it opened (Binance: 24 h), on <see cref="Clock"/>.</summary>
    public TimeSpan MaxConnectionLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Frames queued for a connection that does not read before the server drops it as a slow consumer.</summary>
    public int MaxPendingFramesPerConnection { get; init; } = 5000;

    public int SpotMaxStreamsPerConnection { get; init; } = 1024;
    public int FuturesMaxStreamsPerConnection { get; init; } = 200;

    public int SpotWeightLimit { get; init; } = 6000;
    public int FuturesWeightLimit { get; init; } = 2400;

    /// <summary>The API key and secret signed requests must use (Binance's documented example pair by default).</summary>
    public string ApiKey { get; init; } = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    public string ApiSecret { get; init; } = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    /// <summary>Book levels per side the simulator keeps around the mid.</summary>
    public int BookLevels { get; init; } = 40;

    /// <summary>Spot balances the account starts with (free). Orders are refused (-2010) beyond them.</summary>
    public IReadOnlyDictionary<string, decimal> SpotBalances { get; init; } = new Dictionary<string, decimal> { ["BTC"] = 1.25m, ["ETH"] = 10m, ["USDT"] = 100_000m };

    /// <summary>The futures wallet (USDT) the account starts with; no margin is checked against it.</summary>
    public decimal FuturesWallet { get; init; } = 100_000m;

    /// <summary>Commission per fill, in the quote asset: 0.1 % spot, 0.04 % futures.</summary>
    public decimal SpotCommissionRate { get; init; } = 0.001m;
    public decimal FuturesCommissionRate { get; init; } = 0.0004m;

    /// <summary>
    /// False (the default): a client order id used once is refused ever after (-2010 "Duplicate order sent." / -4116).
    /// True: only an open order's id is refused, as real Binance documents ("unique among open orders"), so a filled
    /// order's id is accepted again as a new order.
    /// </summary>
    public bool DuplicateClientOrderIdsAmongOpenOnly { get; init; }
}
