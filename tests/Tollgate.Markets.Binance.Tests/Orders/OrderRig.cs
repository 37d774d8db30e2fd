using Tollgate.FakeExchange;
using Tollgate.Governance.Secrets;
using Tollgate.Markets.Binance.Orders;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Binance.Signing;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Binance.Tests.Orders;

/// <summary>
/// A loopback fake exchange and a Binance order channel on it over real HTTP, on the system clock (the client's
/// timeouts are real time). The book moves only when a test steps it, so what an order executes against is fixed.
/// </summary>
internal sealed class OrderRig : IAsyncDisposable
{
    public const string WrongSecret = "WRONGsecretWRONGsecretWRONGsecretWRONGsecretWRONGsecretWRONGsec";

    private OrderRig(FakeExchange.FakeExchange exchange, HttpClient http)
    {
        Exchange = exchange;
        Http = http;
    }

    public FakeExchange.FakeExchange Exchange { get; }
    public HttpClient Http { get; }
    public CapturingLogger Logger { get; } = new();
    public SecretRedactor Redactor { get; } = new();
    public BinanceRestClient Rest { get; private set; } = null!;
    public BinanceOrderChannel Channel { get; private set; } = null!;
    public InstrumentTable Instruments { get; private set; } = null!;
    public Instrument SpotBtc => Instruments.Find(MarketKind.Spot, "BTCUSDT")!;
    public Instrument FuturesBtc => Instruments.Find(MarketKind.Futures, "BTCUSDT")!;

    public static async Task<OrderRig> StartAsync(BinanceOrderChannelOptions? channel = null, FakeExchangeOptions? exchange = null,
        string secret = Doc.Secret, TimeSpan? httpTimeout = null, int retries = 2)
    {
        var fake = await FakeExchange.FakeExchange.StartAsync(exchange ?? Options());
        var rig = new OrderRig(fake, new HttpClient { Timeout = httpTimeout ?? TimeSpan.FromSeconds(30) });
        rig.Rest = rig.Client(secret, retries);
        var spot = await rig.Rest.GetExchangeInfoAsync(MarketKind.Spot, CancellationToken.None);
        var futures = await rig.Rest.GetExchangeInfoAsync(MarketKind.Futures, CancellationToken.None);
        rig.Instruments = new InstrumentTable(spot.Instruments.Concat(futures.Instruments));
        rig.Channel = rig.ChannelOn(rig.Rest, channel);
        return rig;
    }

    public static FakeExchangeOptions Options(bool amongOpenOnly = false) => new()
    {
        TickInterval = Timeout.InfiniteTimeSpan,
        SpotWeightLimit = 1_000_000,
        FuturesWeightLimit = 1_000_000,
        SpotBalances = new Dictionary<string, decimal> { ["BTC"] = 5m, ["ETH"] = 50m, ["USDT"] = 10_000_000m },
        DuplicateClientOrderIdsAmongOpenOnly = amongOpenOnly,
    };

    /// <summary>A REST client with its own signer (the secret store holds <paramref name="secret"/>), quick retries, pacing out of the way.</summary>
    public BinanceRestClient Client(string secret = Doc.Secret, int retries = 2, Uri? baseUri = null)
    {
        var store = new MemorySecretStore(new() { ["binance-api-key"] = Doc.ApiKey, ["binance-api-secret"] = secret });
        var endpoints = baseUri is null ? Fx.Endpoints(Exchange) : new BinanceEndpoints(baseUri, baseUri, baseUri, baseUri);
        return new BinanceRestClient(Http, endpoints, new RecordingObserver(), TimeProvider.System, Logger,
            new BinanceRestOptions(MaxRetryAttempts: retries, RetryBaseDelay: TimeSpan.FromMilliseconds(5), RetryMaxDelay: TimeSpan.FromMilliseconds(100),
                SpotWeightLimit: 1_000_000, FuturesWeightLimit: 1_000_000),
            new BinanceRequestSigner(store, Redactor), Redactor);
    }

    public BinanceOrderChannel ChannelOn(BinanceRestClient rest, BinanceOrderChannelOptions? options = null) =>
        new(rest, Instruments, options ?? new BinanceOrderChannelOptions(UnknownQueryDelay: TimeSpan.FromMilliseconds(10)), TimeProvider.System, Logger);

    public MarketSimulator Simulator(Instrument instrument) => Exchange.Simulator(Fx.Fake(instrument.Market), instrument.Symbol);

    /// <summary>The simulated book now (what an order arriving now executes against).</summary>
    public FakeBook Book(Instrument instrument) => Simulator(instrument).BookAt(Simulator(instrument).CurrentUpdateId);

    public static OrderRequest Market(Instrument instrument, OrderSide side, decimal quantity, bool reduceOnly = false, string? intentId = null) =>
        Request(instrument, side, OrderType.Market, quantity, null, reduceOnly, intentId);

    public static OrderRequest Limit(Instrument instrument, OrderSide side, decimal quantity, decimal price, string? intentId = null) =>
        Request(instrument, side, OrderType.Limit, quantity, price, false, intentId);

    private static OrderRequest Request(Instrument instrument, OrderSide side, OrderType type, decimal quantity, decimal? price, bool reduceOnly, string? intentId)
    {
        var id = intentId ?? $"intent-{Guid.NewGuid():N}";
        return new OrderRequest(id, ClientOrderId.For(id), instrument, side, type, quantity, price, reduceOnly, "rev-1");
    }

    /// <summary>Steps the market one tick at a time until <paramref name="done"/> holds (a bound on steps, never a timing assertion).</summary>
    public void StepUntil(Func<bool> done, string what, int maxSteps = 20_000)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            if (done()) return;
            Exchange.Step();
        }
        Assert.True(done(), $"the simulated market never got there in {maxSteps} steps: {what}");
    }

    /// <summary>Everything a secret could have leaked into: the captured log, and the texts given.</summary>
    public void AssertNoSecrets(params string?[] texts)
    {
        var everything = Logger.All + string.Join('\n', texts);
        foreach (var secret in new[] { Doc.ApiKey, Doc.Secret, WrongSecret })
            Assert.DoesNotContain(secret, everything);
        Assert.DoesNotContain("signature=", everything);
    }

    public async ValueTask DisposeAsync()
    {
        await Exchange.DisposeAsync();
        Http.Dispose();
    }
}
