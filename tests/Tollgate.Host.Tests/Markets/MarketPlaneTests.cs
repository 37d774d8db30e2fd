extern alias fake;

using System.Net;
using System.Text.Json;
using fake::Tollgate.FakeExchange;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Support;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Capture;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;

namespace Tollgate.Host.Tests.Markets;

/// <summary>The host's market plane against a real loopback fake exchange: books, data quality, health, capture.</summary>
public sealed class MarketPlaneTests
{
    [Fact]
    public async Task The_books_the_host_serves_equal_the_exchange_truth_and_health_reports_the_market_ok()
    {
        await using var exchange = await MarketHost.StartExchangeAsync();
        using var host = new HostFactory().PointedAt(exchange).With("Tollgate:Markets:HeartbeatSeconds", "1");
        var http = host.Http();
        await http.WaitForAllSyncedAsync();

        foreach (var (market, symbol) in new[] { ("SPOT", "BTCUSDT"), ("SPOT", "ETHUSDT"), ("FUT", "BTCUSDT") })
        {
            var book = await http.WaitForSyncedBookAsync(market, symbol);
            MarketHost.AssertEqualsTruth(book, exchange, market, symbol);
        }

        var summary = await MarketHost.WaitForAsync(http.SummaryAsync,
            s => s.Connection("SPOT").GetProperty("heartbeatRttP95Ms").ValueKind == JsonValueKind.Number
                 && s.Connection("FUT").GetProperty("clockSkewMs").ValueKind == JsonValueKind.Number, "a heartbeat on both markets");
        Assert.True(summary.GetProperty("frames").GetInt64() > 0);
        Assert.True(summary.GetProperty("featureEvents").GetInt64() > 0);
        var features = summary.Instrument("SPOT:BTCUSDT").GetProperty("features");
        Assert.True(features.GetProperty("mid").GetDecimal() > 0);
        Assert.StartsWith("feat-", features.GetProperty("configRev").GetString());

        var checks = await http.WaitForMarketHealthyAsync();
        Assert.Equal("OK", checks.GetProperty("market-data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task A_gap_is_reported_and_resynced_and_after_a_disconnect_the_book_again_equals_the_truth()
    {
        await using var exchange = await MarketHost.StartExchangeAsync(seed: 7);
        using var host = new HostFactory().PointedAt(exchange, "SPOT:BTCUSDT");
        var http = host.Http();
        await MarketHost.WaitForAsync(http.SummaryAsync, s => s.Instrument("SPOT:BTCUSDT").GetProperty("state").GetString() == "SYNCED", "SPOT:BTCUSDT in sync");
        var before = (await http.WaitForSyncedBookAsync("SPOT", "BTCUSDT")).GetProperty("lastUpdateId").GetInt64();

        exchange.DropNextDepthEvents(FakeMarket.Spot, "BTCUSDT", 2);
        var summary = await MarketHost.WaitForAsync(http.SummaryAsync, s =>
        {
            var quality = s.Instrument("SPOT:BTCUSDT").GetProperty("quality");
            return quality.GetProperty("gaps").GetInt64() >= 1 && quality.GetProperty("resyncs").GetInt64() >= 1;
        }, "a gap and a resync");
        var codes = summary.GetProperty("recentDataQuality").EnumerateArray().Select(e => e.GetProperty("code").GetString()).ToList();
        Assert.Contains("MKT-BOOK-GAP", codes);
        Assert.Contains("MKT-BOOK-RESYNCED", codes);
        var resynced = await http.WaitForSyncedBookAsync("SPOT", "BTCUSDT", before);
        MarketHost.AssertEqualsTruth(resynced, exchange, "SPOT", "BTCUSDT");

        exchange.DisconnectAll(FakeMarket.Spot, graceful: false);
        var afterDisconnect = resynced.GetProperty("lastUpdateId").GetInt64();
        var reconnected = await MarketHost.WaitForAsync(http.SummaryAsync,
            s => s.Connection("SPOT").GetProperty("connects").GetInt64() >= 2 && s.Instrument("SPOT:BTCUSDT").GetProperty("state").GetString() == "SYNCED",
            "reconnected and in sync");
        Assert.True(reconnected.Connection("SPOT").GetProperty("unplannedDisconnects").GetInt64() >= 1);
        MarketHost.AssertEqualsTruth(await http.WaitForSyncedBookAsync("SPOT", "BTCUSDT", afterDisconnect), exchange, "SPOT", "BTCUSDT");
    }

    [Fact]
    public async Task Bad_requests_get_a_reason_code_and_every_role_may_read_but_no_anonymous_caller()
    {
        await using var exchange = await MarketHost.StartExchangeAsync(seed: 11);
        using var host = new HostFactory().PointedAt(exchange, "SPOT:BTCUSDT");
        var http = host.Http();
        await MarketHost.WaitForAsync(http.SummaryAsync, s => s.Instrument("SPOT:BTCUSDT").GetProperty("state").GetString() == "SYNCED", "SPOT:BTCUSDT in sync");
        var frames = (await http.SummaryAsync()).GetProperty("frames").GetInt64();

        foreach (var path in new[] { "/api/market/books/SPOT/NOPE", "/api/market/books/MOON/BTCUSDT", "/api/market/books/FUT/BTCUSDT" })
            await ExpectRefusal(http, path, HttpStatusCode.NotFound, "MKT_UNKNOWN_INSTRUMENT");
        foreach (var depth in new[] { "0", "-1", "1001", "abc", "1e3" })
            await ExpectRefusal(http, $"/api/market/books/SPOT/BTCUSDT?depth={depth}", HttpStatusCode.BadRequest, "MKT_INVALID_REQUEST");

        foreach (var role in new[] { Role.Auditor, Role.Trader, Role.Pipeline })
        {
            var reader = host.Http(host.Tokens.For($"reader-{role}", role));
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/market")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/market/books/SPOT/BTCUSDT?depth=3")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/metrics")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http(null).GetAsync("/api/market")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http(null).GetAsync("/api/metrics")).StatusCode);

        // A histogram shows once an event has been measured since the exporter began listening: poll, never a single look.
        var metrics = "";
        for (var until = DateTime.UtcNow + MarketHost.Deadline; DateTime.UtcNow < until && !metrics.Contains("tollgate_market_ingest_latency_milliseconds_bucket"); await Task.Delay(200))
            metrics = await (await http.GetAsync("/api/metrics")).Content.ReadAsStringAsync();
        Assert.Contains("tollgate_market_frames_total", metrics);
        Assert.Contains("tollgate_market_ingest_latency_milliseconds_bucket", metrics);
        // Refusals changed nothing: the plane kept ingesting, and its book is still the exchange's.
        Assert.True((await http.SummaryAsync()).GetProperty("frames").GetInt64() >= frames);
        MarketHost.AssertEqualsTruth(await http.WaitForSyncedBookAsync("SPOT", "BTCUSDT"), exchange, "SPOT", "BTCUSDT");
    }

    [Fact]
    public async Task With_no_instruments_the_plane_is_off_and_says_so()
    {
        using var host = new HostFactory();
        var http = host.Http();
        await ExpectRefusal(http, "/api/market", HttpStatusCode.NotFound, "MKT_PLANE_OFF");
        await ExpectRefusal(http, "/api/market/books/SPOT/BTCUSDT", HttpStatusCode.NotFound, "MKT_PLANE_OFF");
        var checks = await http.HealthChecksAsync();
        Assert.Equal("OK", checks["market"].Status);
        Assert.Contains("off", checks["market"].Detail);
    }

    [Fact]
    public async Task An_instrument_the_exchange_does_not_list_keeps_the_plane_from_starting_and_health_says_why()
    {
        await using var exchange = await MarketHost.StartExchangeAsync();
        using var host = new HostFactory().PointedAt(exchange, "SPOT:BTCUSDT,SPOT:NOPEUSDT");
        var http = host.Http();
        var checks = await MarketHost.WaitForAsync(async () => JsonSerializer.SerializeToElement((await http.HealthChecksAsync()).ToDictionary(c => c.Key, c => c.Value.Detail)),
            c => c.TryGetProperty("market", out var detail) && detail.GetString()!.Contains("MKT-UNKNOWN-SYMBOL"), "the plane's failure in health");
        Assert.Contains("SPOT:NOPEUSDT", checks.GetProperty("market").GetString());
        Assert.Equal("DEGRADED", (await http.HealthChecksAsync())["market"].Status);
        await ExpectRefusal(http, "/api/market", HttpStatusCode.ServiceUnavailable, "MKT_NOT_RUNNING");
    }

    [Theory]
    [InlineData("BTCUSDT")]
    [InlineData("SPOT:")]
    [InlineData("MOON:BTCUSDT")]
    [InlineData("SPOT:BTC-USDT")]
    public void A_malformed_instrument_setting_stops_the_host_naming_the_setting(string instruments)
    {
        using var host = new HostFactory().With("Tollgate:Markets:Instruments", instruments);
        var refused = Assert.ThrowsAny<Exception>(() => host.Http());
        Assert.Contains("Tollgate:Markets:Instruments", Flatten(refused));
    }

    [Fact]
    public void A_plain_http_exchange_url_off_loopback_stops_the_host()
    {
        using var host = new HostFactory().With("Tollgate:Markets:Instruments", "SPOT:BTCUSDT").With("Tollgate:Markets:SpotRestUrl", "http://example.com");
        var refused = Assert.ThrowsAny<Exception>(() => host.Http());
        Assert.Contains("Tollgate:Markets:SpotRestUrl", Flatten(refused));
    }

    [Fact]
    public async Task What_the_host_captured_replays_to_the_exchange_truth_and_twice_to_the_same_features()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tollgate-capture-tests", Guid.NewGuid().ToString("N"));
        await using var exchange = await MarketHost.StartExchangeAsync(seed: 3);
        using (var host = new HostFactory().PointedAt(exchange).With("Tollgate:Markets:CaptureFolder", folder))
        {
            var http = host.Http();
            await http.WaitForAllSyncedAsync();
            exchange.DropNextDepthEvents(FakeMarket.Spot, "ETHUSDT", 1);
            await MarketHost.WaitForAsync(http.SummaryAsync, s => s.Instrument("SPOT:ETHUSDT").GetProperty("quality").GetProperty("resyncs").GetInt64() >= 1, "a resync in the capture");
        }
        var capture = Assert.Single(Directory.GetFiles(folder, "*.jsonl.gz"));

        string Replay(out MarketIngestHandler handler)
        {
            using var reader = CaptureReader.Open(capture);
            using var log = new FeatureEventLog(null);
            var table = reader.Header.Instruments;
            handler = new MarketIngestHandler(table, () => new BinanceFrameDecoder(table), FeatureConfig.Default, log);
            new CaptureReplay(handler, TimeProvider.System).RunAsync(reader.Frames(), ReplaySpeed.Max, null, CancellationToken.None).GetAwaiter().GetResult();
            return log.Sha256();
        }

        var first = Replay(out var replayed);
        Assert.Equal(first, Replay(out _));
        Assert.Equal(3, replayed.Pipelines.Count);
        foreach (var pipeline in replayed.Pipelines)
        {
            Assert.True(pipeline.Book.IsSynced, $"{pipeline.Instrument.Key} is not in sync at the end of the replay");
            var market = pipeline.Instrument.Market == Tollgate.Markets.Instruments.MarketKind.Spot ? FakeMarket.Spot : FakeMarket.Futures;
            var truth = exchange.Simulator(market, pipeline.Instrument.Symbol).BookAt(pipeline.Book.LastUpdateId);
            MarketHost.AssertSide(truth.Bids, Levels(pipeline.Book.Bids), $"{pipeline.Instrument.Key} bids", 50);
            MarketHost.AssertSide(truth.Asks, Levels(pipeline.Book.Asks), $"{pipeline.Instrument.Key} asks", 50);
        }
        Assert.True(replayed.Pipelines.Single(p => p.Instrument.Key == "SPOT:ETHUSDT").Quality.Resyncs >= 1);
    }

    private static JsonElement Levels(Tollgate.Markets.Books.BookSide side)
        => JsonSerializer.SerializeToElement(Enumerable.Range(0, Math.Min(50, side.Count)).Select(i => new[] { side[i].Price, side[i].Quantity }));

    private static async Task ExpectRefusal(HttpClient http, string path, HttpStatusCode status, string reason)
    {
        var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"GET {path}: expected {(int)status}, got {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        Assert.Equal(reason, document.RootElement.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrWhiteSpace(document.RootElement.GetProperty("message").GetString()));
    }

    private static string Flatten(Exception e) => e.InnerException is { } inner ? $"{e.Message} {Flatten(inner)}" : e.Message;
}
