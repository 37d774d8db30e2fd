extern alias fake;

using System.Net;
using System.Text.Json;
using fake::Tollgate.FakeExchange;
using Tollgate.Cli;
using Tollgate.Governance.Identity;
using Tollgate.Host.Markets;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Markets;

/// <summary>One fake exchange and one host (spot BTCUSDT + ETHUSDT, futures BTCUSDT, heartbeat every second) shared by read-only tests.</summary>
public sealed class MarketReadFixture : IAsyncLifetime
{
    public FakeExchange Exchange { get; private set; } = null!;
    public HostFactory Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Exchange = await MarketHost.StartExchangeAsync(seed: 5);
        Host = new HostFactory().PointedAt(Exchange).With("Tollgate:Markets:HeartbeatSeconds", "1");
        Http = Host.Http();
        await Http.WaitForAllSyncedAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Exchange.DisposeAsync();
    }
}

/// <summary>
/// Reads of a running market plane that change nothing, against one shared host: the route's depth bounds and
/// defaults, refusals that leave the plane as it was, every reading role, health details, the heartbeat, and
/// <c>tollgate market status</c> through the host.
/// </summary>
public sealed class MarketReadTests(MarketReadFixture fixture) : IClassFixture<MarketReadFixture>
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task The_futures_book_equals_the_truth_to_depth_1000_the_whole_book()
    {
        var book = await Http.WaitForSyncedBookAsync("FUT", "BTCUSDT", depth: 1000);
        var truth = fixture.Exchange.Simulator(FakeMarket.Futures, "BTCUSDT").BookAt(book.GetProperty("lastUpdateId").GetInt64());
        MarketHost.AssertSide(truth.Bids, book.GetProperty("bids"), "FUT:BTCUSDT bids", 1000);
        MarketHost.AssertSide(truth.Asks, book.GetProperty("asks"), "FUT:BTCUSDT asks", 1000);
        Assert.True(book.GetProperty("bids").GetArrayLength() > 20);
    }

    [Fact]
    public async Task Without_depth_the_route_serves_10_levels_and_reads_market_and_symbol_in_any_case()
    {
        var book = await Http.WaitForSyncedBookAsync("spot", "ethusdt", depth: 10);
        Assert.Equal("SPOT:ETHUSDT", book.GetProperty("instrument").GetString());
        var plain = await (await Http.GetAsync("/api/market/books/Spot/EthUsdt")).ReadJsonAsync();
        Assert.Equal(10, plain.GetProperty("bids").GetArrayLength());
        Assert.Equal(10, plain.GetProperty("asks").GetArrayLength());
        MarketHost.AssertEqualsTruth(plain, fixture.Exchange, "SPOT", "ETHUSDT", depth: 10);

        var spot = (await Http.SummaryAsync()).Instrument("SPOT:BTCUSDT");
        Assert.True(spot.GetProperty("bestBid").GetDecimal() < spot.GetProperty("bestAsk").GetDecimal(), spot.ToString());
    }

    [Theory]
    [InlineData("/api/market/books/FUT/ETHUSDT", HttpStatusCode.NotFound, MarketReasons.UnknownInstrument)] // listed by the exchange, not configured
    [InlineData("/api/market/books/SPOT/NOPE?depth=5", HttpStatusCode.NotFound, MarketReasons.UnknownInstrument)]
    [InlineData("/api/market/books/MOON/BTCUSDT", HttpStatusCode.NotFound, MarketReasons.UnknownInstrument)]
    [InlineData("/api/market/books/SPOT/BTCUSDT?depth=2.5", HttpStatusCode.BadRequest, MarketReasons.InvalidRequest)]
    [InlineData("/api/market/books/SPOT/BTCUSDT?depth=99999999999", HttpStatusCode.BadRequest, MarketReasons.InvalidRequest)]
    [InlineData("/api/market/books/FUT/BTCUSDT?depth=1001", HttpStatusCode.BadRequest, MarketReasons.InvalidRequest)]
    public async Task A_refused_read_leaves_the_plane_as_it_was(string path, HttpStatusCode status, string reason)
    {
        var before = await Http.SummaryAsync();
        await (await Http.GetAsync(path)).AssertRefusedAsync(status, reason);
        var after = await Http.SummaryAsync();
        Assert.True(after.AllSynced(), after.ToString());
        Assert.Equal(before.GetProperty("configRev").ToString(), after.GetProperty("configRev").ToString());
        Assert.Empty(after.GetProperty("dropped").EnumerateObject());
        Assert.True(after.GetProperty("frames").GetInt64() >= before.GetProperty("frames").GetInt64());
    }

    [Theory]
    [InlineData(Role.Auditor)]
    [InlineData(Role.Trader)]
    [InlineData(Role.Operator)]
    [InlineData(Role.Admin)]
    public async Task Every_role_may_read_the_market(Role role)
    {
        var http = fixture.Host.As($"reader-{role}", role);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/market")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/market/books/FUT/BTCUSDT?depth=5")).StatusCode);
    }

    [Fact]
    public async Task An_anonymous_or_badly_signed_call_is_401_on_both_routes()
    {
        var forged = new TestTokens().For("mallory", Role.Auditor);
        foreach (var client in new[] { fixture.Host.Anonymous(), fixture.Host.Http(forged) })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/market")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/market/books/SPOT/BTCUSDT")).StatusCode);
        }
    }

    [Fact]
    public async Task Health_details_name_the_instruments_in_sync_and_one_connection_per_market()
    {
        var checks = await Http.WaitForMarketHealthyAsync();
        Assert.StartsWith("3 instrument(s) in sync", checks.GetProperty("market-data").GetProperty("Detail").GetString());
        Assert.Contains("1 connection(s), RTT p95", checks.GetProperty("market-spot-connection").GetProperty("Detail").GetString());
        Assert.Contains("1 connection(s), RTT p95", checks.GetProperty("market-fut-connection").GetProperty("Detail").GetString());
        Assert.False(checks.TryGetProperty("market", out _), "a running plane has no 'market' (off or failed) check");
    }

    [Theory]
    [InlineData("OK", "1 connection(s), RTT p95 ≤5 ms, skew 0 ms, 0 unplanned disconnect(s)", true)]
    [InlineData("DEGRADED", "heartbeat RTT p95 ≤500 ms (target < 300); 1 connection(s), RTT p95 ≤500 ms, skew 0 ms, 0 unplanned disconnect(s)", true)]
    [InlineData("DEGRADED", "no stream connection open; 0 connection(s), RTT p95 n/a, skew n/a, 1 unplanned disconnect(s)", false)]
    [InlineData("DEGRADED", "heartbeat RTT p95 ≤500 ms (target < 300); clock skew 900 ms (target < 500); 1 connection(s), RTT p95 ≤500 ms, skew 900 ms, 0 unplanned disconnect(s)", false)]
    [InlineData("FAIL", "1 connection(s), RTT p95 n/a, skew n/a, 0 unplanned disconnect(s)", false)]
    public void A_connection_check_degraded_only_by_heartbeat_RTT_counts_as_healthy_under_load(string status, string detail, bool healthy)
        => Assert.Equal(healthy, MarketHost.ConnectionHealthy((status, detail)));

    [Fact]
    public async Task The_heartbeat_reports_RTT_p95_and_clock_skew_for_both_markets()
    {
        var summary = await MarketHost.WaitForAsync(Http.SummaryAsync,
            s => new[] { "SPOT", "FUT" }.All(m => s.Connection(m) is var c
                && c.GetProperty("heartbeatRttP95Ms").ValueKind == JsonValueKind.Number
                && c.GetProperty("clockSkewMs").ValueKind == JsonValueKind.Number
                && c.GetProperty("lastHeartbeat").ValueKind == JsonValueKind.String),
            "heartbeat RTT and skew on SPOT and FUT");
        foreach (var market in new[] { "SPOT", "FUT" })
        {
            var c = summary.Connection(market);
            Assert.True(c.GetProperty("heartbeatRttP95Ms").GetDouble() >= 0, c.ToString());
            // The fake runs on this machine's clock: its skew is measurement noise, nowhere near a second.
            Assert.True(Math.Abs(c.GetProperty("clockSkewMs").GetDouble()) < 1000, c.ToString());
            Assert.Equal(1, c.GetProperty("openConnections").GetInt64());
            Assert.Matches("^[0-9]+/[0-9]+$", c.GetProperty("weight").GetString());
        }
    }

    [Fact]
    public async Task Tollgate_market_status_prints_every_instrument_and_both_connections()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await TollgateCli.RunAsync(["market", "status", "--endpoint", "http://localhost"],
            new CliContext(output, error, endpoint => new HttpClient(fixture.Host.Server.CreateHandler()) { BaseAddress = endpoint })
            {
                TokenFromEnvironment = fixture.Host.Tokens.For("auditor", Role.Auditor),
            });
        var text = output.ToString();
        Assert.True(exitCode == 0, text + error);
        foreach (var instrument in new[] { "SPOT:BTCUSDT", "SPOT:ETHUSDT", "FUT:BTCUSDT" })
            Assert.Matches($"{instrument} +SYNCED", text);
        Assert.Contains("SPOT connections 1", text);
        Assert.Contains("FUT  connections 1", text);
    }
}
