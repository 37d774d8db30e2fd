using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tollgate.FakeExchange;
using Tollgate.Governance.Secrets;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Binance.Signing;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Binance.Tests;

public sealed class RestClientTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(Start);
    private readonly RecordingObserver observer = new();
    private readonly CapturingLogger logger = new();
    private readonly HttpClient http = new();
    private FakeExchange.FakeExchange exchange = null!;

    public async Task InitializeAsync() => exchange = await FakeExchange.FakeExchange.StartAsync(new FakeExchangeOptions
    {
        Clock = clock,
        TickInterval = Timeout.InfiniteTimeSpan,
        SpotWeightLimit = 1234,
        FuturesWeightLimit = 777,
        SpotListings = [new("BTCUSDT", 65000m, 0.01m, 0.00001m, 5m), new("LTCBTC", 0.001m, 0.00000001m, 0.001m, 0.0001m, LegacyMinNotional: true)],
        FuturesListings = [new("BTCUSDT", 65010m, 0.10m, 0.001m, 100m)],
    });

    public async Task DisposeAsync()
    {
        await exchange.DisposeAsync();
        http.Dispose();
    }

    private BinanceRestClient Client(TimeProvider? time = null, BinanceRestOptions? options = null, BinanceRequestSigner? signer = null) =>
        new(http, Fx.Endpoints(exchange), observer, time ?? clock, logger, options ?? new BinanceRestOptions(RetryBaseDelay: TimeSpan.FromMilliseconds(10)), signer);

    [Fact]
    public async Task Server_time_gives_the_midpoint_offset_and_round_trip()
    {
        // The exchange's clock runs 2.5 s ahead of ours; neither moves during the call, so RTT is 0 and the offset exact.
        var local = new FakeTimeProvider(Start - TimeSpan.FromMilliseconds(2500));
        var client = Client(local);
        foreach (var market in new[] { MarketKind.Spot, MarketKind.Futures })
        {
            var time = await client.GetServerTimeAsync(market, CancellationToken.None);
            Assert.Equal(Start, time.ServerTime);
            Assert.Equal(TimeSpan.Zero, time.RoundTrip);
            Assert.Equal(TimeSpan.FromMilliseconds(2500), time.ClockOffset);
            Assert.Equal(TimeSpan.FromMilliseconds(2500), client.ClockOffset(market));
            Assert.Equal(Start, client.ExchangeNow(market));
        }
    }

    [Fact]
    public async Task ExchangeInfo_filters_parse_exactly_for_both_markets_and_set_the_weight_limit()
    {
        var client = Client();
        var spot = await client.GetExchangeInfoAsync(MarketKind.Spot, CancellationToken.None);
        var btc = spot.Find("BTCUSDT")!;
        Assert.Equal((0.01m, 0.00001m, 5m), (btc.TickSize, btc.StepSize, btc.MinNotional));
        var ltc = spot.Find("LTCBTC")!;
        Assert.Equal((0.00000001m, 0.001m, 0.0001m), (ltc.TickSize, ltc.StepSize, ltc.MinNotional));
        Assert.Equal("SPOT:LTCBTC", ltc.Key);
        Assert.Equal(1234, client.WeightLimit(MarketKind.Spot));
        Assert.Contains(spot.RateLimits, l => l is { Type: "REQUEST_WEIGHT", Limit: 1234 } && l.HeaderInterval == "1m");

        var futures = await client.GetExchangeInfoAsync(MarketKind.Futures, CancellationToken.None);
        var perp = Assert.Single(futures.Symbols);
        Assert.Equal((0.10m, 0.001m, 100m), (perp.Instrument.TickSize, perp.Instrument.StepSize, perp.Instrument.MinNotional));
        Assert.Equal(("PERPETUAL", "TRADING", "FUT:BTCUSDT"), (perp.ContractType, perp.Status, perp.Instrument.Key));
        Assert.Equal(777, client.WeightLimit(MarketKind.Futures));
        _ = new InstrumentTable(spot.Instruments.Concat(futures.Instruments));
    }

    [Theory]
    [InlineData(MarketKind.Spot, 20)]
    [InlineData(MarketKind.Futures, 20)]
    public async Task Depth_snapshot_returns_the_exchange_bytes_which_match_the_simulated_book(MarketKind market, int limit)
    {
        exchange.Step(30);
        var body = await Client().GetDepthSnapshotAsync(market, "BTCUSDT", limit, CancellationToken.None);
        var simulator = exchange.Simulator(Fx.Fake(market), "BTCUSDT");
        Assert.Equal(simulator.DepthBody(limit), System.Text.Encoding.UTF8.GetString(body));

        var root = JsonDocument.Parse(body).RootElement;
        var book = simulator.BookAt(root.GetProperty("lastUpdateId").GetInt64());
        var bids = root.GetProperty("bids").EnumerateArray().Select(l => (decimal.Parse(l[0].GetString()!), decimal.Parse(l[1].GetString()!))).ToList();
        Assert.Equal(book.Bids.Take(limit), bids);
    }

    [Fact]
    public async Task Bad_symbols_and_limits_fail_with_reason_codes()
    {
        var client = Client();
        var unknown = await Assert.ThrowsAsync<BinanceException>(() => client.GetDepthSnapshotAsync(MarketKind.Spot, "NOPEUSDT", 100, CancellationToken.None));
        Assert.Equal((BinanceReasons.UnknownSymbol, 400, -1121), (unknown.ReasonCode, unknown.StatusCode, unknown.ExchangeCode));
        var before = exchange.RestRequests.Count;
        var malformed = await Assert.ThrowsAsync<BinanceException>(() => client.GetDepthSnapshotAsync(MarketKind.Spot, "BTC/USDT&x=1", 100, CancellationToken.None));
        Assert.Equal(BinanceReasons.UnknownSymbol, malformed.ReasonCode);
        var limit = await Assert.ThrowsAsync<BinanceException>(() => client.GetDepthSnapshotAsync(MarketKind.Futures, "BTCUSDT", 30, CancellationToken.None));
        Assert.Equal(BinanceReasons.BadRequest, limit.ReasonCode);
        Assert.Equal(before, exchange.RestRequests.Count);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"serverTime\":1,\"symbols\":5}")]
    [InlineData("{\"serverTime\":1,\"symbols\":[{\"symbol\":\"BTCUSDT\",\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"tickSize\":0.01}]}]}")]
    [InlineData("{\"serverTime\":1,\"symbols\":[{\"symbol\":\"BTCUSDT\",\"filters\":[{\"filterType\":\"LOT_SIZE\",\"stepSize\":\"1e-999x\"}]}]}")]
    [InlineData("{\"serverTime\":1,\"symbols\":[{\"symbol\":\"BTC USDT\",\"filters\":[]}]}")]
    public async Task Malformed_exchangeInfo_fails_with_bad_response(string body)
    {
        exchange.FailNextRestCalls(1, 200, body: body);
        var e = await Assert.ThrowsAsync<BinanceException>(() => Client().GetExchangeInfoAsync(MarketKind.Spot, CancellationToken.None));
        Assert.Equal(BinanceReasons.BadResponse, e.ReasonCode);
    }

    [Fact]
    public async Task Malformed_time_and_depth_fail_with_bad_response()
    {
        exchange.FailNextRestCalls(1, 200, body: "{\"serverTime\":\"soon\"}");
        Assert.Equal(BinanceReasons.BadResponse, (await Assert.ThrowsAsync<BinanceException>(() => Client().GetServerTimeAsync(MarketKind.Spot, CancellationToken.None))).ReasonCode);
        exchange.FailNextRestCalls(1, 200, body: "{\"bids\":[],\"asks\":[]}");
        Assert.Equal(BinanceReasons.BadResponse, (await Assert.ThrowsAsync<BinanceException>(() => Client().GetDepthSnapshotAsync(MarketKind.Spot, "BTCUSDT", 5, CancellationToken.None))).ReasonCode);
    }

    [Fact]
    public async Task Weight_headers_are_reported_and_a_request_over_the_limit_waits_for_the_next_minute()
    {
        var client = Client();
        await client.GetExchangeInfoAsync(MarketKind.Spot, CancellationToken.None); // limit 1234, weight 20
        Assert.Contains(observer.Weights, w => w == (MarketKind.Spot, "1m", 20, 1234));

        exchange.SetUsedWeight(FakeMarket.Spot, 1230);
        await client.GetServerTimeAsync(MarketKind.Spot, CancellationToken.None);
        Assert.Contains(observer.Weights, w => w == (MarketKind.Spot, "1m", 1231, 1234));
        Assert.Equal(1231, client.UsedWeight(MarketKind.Spot));

        // 1231 + 5 > 1234: not sent until the exchange's minute rolls over.
        var sent = exchange.RestRequests.Count;
        var depth = client.GetDepthSnapshotAsync(MarketKind.Spot, "BTCUSDT", 5, CancellationToken.None);
        await Task.Delay(200);
        Assert.False(depth.IsCompleted);
        Assert.Equal(sent, exchange.RestRequests.Count);
        await Fx.AdvanceUntil(clock, TimeSpan.FromSeconds(1), () => depth.IsCompleted, "the depth request after the minute rolled over");
        await depth;
        var request = exchange.RestRequests[^1];
        Assert.Equal("/api/v3/depth", request.Path);
        Assert.True(request.At >= Start.AddMinutes(1), $"sent at {request.At:O}, before the minute rolled over");
    }

    [Fact]
    public async Task A_429_is_retried_only_after_its_Retry_After()
    {
        var client = Client();
        exchange.FailNextRestCalls(1, 429, TimeSpan.FromSeconds(3));
        var call = client.GetServerTimeAsync(MarketKind.Futures, CancellationToken.None);
        await Fx.AdvanceUntil(clock, TimeSpan.FromMilliseconds(100), () => call.IsCompleted, "the retried call");
        await call;
        var tries = exchange.RestRequests.Where(r => r.Path == "/fapi/v1/time").ToList();
        Assert.Equal([429, 200], tries.Select(r => r.Status));
        Assert.True(tries[1].At - tries[0].At >= TimeSpan.FromSeconds(3), $"retried after {tries[1].At - tries[0].At}");
        Assert.Contains(observer.RateLimited, r => r == (MarketKind.Futures, 429, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Persistent_429_fails_with_rate_limited_after_bounded_attempts()
    {
        var client = Client(options: new BinanceRestOptions(MaxRetryAttempts: 2));
        exchange.FailNextRestCalls(10, 429, TimeSpan.FromSeconds(1));
        var call = client.GetServerTimeAsync(MarketKind.Spot, CancellationToken.None);
        await Fx.AdvanceUntil(clock, TimeSpan.FromMilliseconds(200), () => call.IsCompleted, "the call to give up");
        var e = await Assert.ThrowsAsync<BinanceException>(() => call);
        Assert.Equal((BinanceReasons.RateLimited, 429), (e.ReasonCode, e.StatusCode));
        Assert.Equal(3, exchange.RestRequests.Count);
    }

    [Fact]
    public async Task A_418_stops_every_REST_call_until_Retry_After_passes_and_is_reported()
    {
        var client = Client();
        exchange.Ban(TimeSpan.FromMinutes(2));
        var banned = await Assert.ThrowsAsync<BinanceException>(() => client.GetServerTimeAsync(MarketKind.Spot, CancellationToken.None));
        Assert.Equal((BinanceReasons.Banned, 418), (banned.ReasonCode, banned.StatusCode));
        Assert.Contains(observer.RateLimited, r => r == (MarketKind.Spot, 418, TimeSpan.FromMinutes(2)));
        Assert.Equal(Start.AddMinutes(2), client.BannedUntil(MarketKind.Spot));

        var sent = exchange.RestRequests.Count;
        clock.Advance(TimeSpan.FromSeconds(60));
        var stillBanned = await Assert.ThrowsAsync<BinanceException>(() => client.GetDepthSnapshotAsync(MarketKind.Spot, "BTCUSDT", 5, CancellationToken.None));
        Assert.Equal(BinanceReasons.Banned, stillBanned.ReasonCode);
        Assert.Equal(sent, exchange.RestRequests.Count);

        clock.Advance(TimeSpan.FromSeconds(61));
        await client.GetServerTimeAsync(MarketKind.Spot, CancellationToken.None);
        Assert.Equal(sent + 1, exchange.RestRequests.Count);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff()
    {
        var client = Client(TimeProvider.System);
        exchange.FailNextRestCalls(2, 503);
        await client.GetExchangeInfoAsync(MarketKind.Futures, CancellationToken.None);
        Assert.Equal([503, 503, 200], exchange.RestRequests.Select(r => r.Status));

        exchange.FailNextRestCalls(10, 500);
        var e = await Assert.ThrowsAsync<BinanceException>(() => Client(TimeProvider.System, new BinanceRestOptions(MaxRetryAttempts: 1, RetryBaseDelay: TimeSpan.FromMilliseconds(5)))
            .GetServerTimeAsync(MarketKind.Spot, CancellationToken.None));
        Assert.Equal((BinanceReasons.Unavailable, 500), (e.ReasonCode, e.StatusCode));
    }

    [Fact]
    public async Task Signed_request_is_accepted_and_a_tampered_one_refused_without_leaking_secrets()
    {
        var redactor = new SecretRedactor();
        var good = new BinanceRequestSigner(new MemorySecretStore(new() { ["binance-api-key"] = Doc.ApiKey, ["binance-api-secret"] = Doc.Secret }), redactor);
        var account = await Client(signer: good).GetAccountAsync(CancellationToken.None);
        Assert.True(JsonDocument.Parse(account).RootElement.GetProperty("canTrade").GetBoolean());
        var accepted = exchange.RestRequests[^1];
        Assert.Equal((200, Doc.ApiKey), (accepted.Status, accepted.ApiKey));
        Assert.Contains("&recvWindow=5000&timestamp=", accepted.Query);
        Assert.Matches("&signature=[0-9a-f]{64}$", accepted.Query);

        const string wrongSecret = "WRONGsecretWRONGsecretWRONGsecretWRONGsecretWRONGsecretWRONGsec";
        var tampered = new BinanceRequestSigner(new MemorySecretStore(new() { ["binance-api-key"] = Doc.ApiKey, ["binance-api-secret"] = wrongSecret }), redactor);
        var refused = await Assert.ThrowsAsync<BinanceException>(() => Client(signer: tampered).GetAccountAsync(CancellationToken.None));
        Assert.Equal((BinanceReasons.Rejected, 400, -1022), (refused.ReasonCode, refused.StatusCode, refused.ExchangeCode));

        const string wrongKey = "WRONGkeyWRONGkeyWRONGkeyWRONGkeyWRONGkeyWRONGkeyWRONGkeyWRONGkey";
        var stranger = new BinanceRequestSigner(new MemorySecretStore(new() { ["binance-api-key"] = wrongKey, ["binance-api-secret"] = Doc.Secret }), redactor);
        var unknownKey = await Assert.ThrowsAsync<BinanceException>(() => Client(signer: stranger).GetAccountAsync(CancellationToken.None));
        Assert.Equal((401, -2015), (unknownKey.StatusCode, unknownKey.ExchangeCode));

        var everything = logger.All + refused + unknownKey;
        foreach (var secret in new[] { Doc.ApiKey, Doc.Secret, wrongSecret, wrongKey })
            Assert.DoesNotContain(secret, everything);
        Assert.DoesNotContain("signature=", everything);
    }

    [Fact]
    public async Task A_signed_request_outside_the_recvWindow_is_refused_by_the_fake()
    {
        // Our clock is 10 s behind the exchange's and we never measured the offset: the timestamp is too old.
        var signer = new BinanceRequestSigner(new MemorySecretStore(new() { ["binance-api-key"] = Doc.ApiKey, ["binance-api-secret"] = Doc.Secret }), new SecretRedactor());
        var late = Client(new FakeTimeProvider(Start - TimeSpan.FromSeconds(10)), signer: signer);
        var e = await Assert.ThrowsAsync<BinanceException>(() => late.GetAccountAsync(CancellationToken.None));
        Assert.Equal(-1021, e.ExchangeCode);
        await late.GetServerTimeAsync(MarketKind.Spot, CancellationToken.None);
        await late.GetAccountAsync(CancellationToken.None);
    }
}
