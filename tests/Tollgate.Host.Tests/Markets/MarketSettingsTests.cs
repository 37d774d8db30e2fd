extern alias fake;

using System.Net;
using Tollgate.Host.Markets;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Markets;

/// <summary>Market settings the host refuses to start with, naming the setting; and a plane that cannot start refuses every route with 503.</summary>
public sealed class MarketSettingsTests
{
    private static string Flatten(Exception e) => e.InnerException is { } inner ? $"{e.Message} {Flatten(inner)}" : e.Message;

    [Theory]
    [InlineData("Tollgate:Markets:HeartbeatSeconds", "0")]
    [InlineData("Tollgate:Markets:HeartbeatSeconds", "3601")]
    [InlineData("Tollgate:Markets:HeartbeatSeconds", "soon")]
    [InlineData("Tollgate:Markets:FuturesStreamUrl", "ws://stream.example.com")]
    [InlineData("Tollgate:Markets:FuturesRestUrl", "http://10.0.0.1:8080")]
    [InlineData("Tollgate:Markets:SpotStreamUrl", "ftp://127.0.0.1/")]
    [InlineData("Tollgate:Markets:SpotRestUrl", "not a url")]
    [InlineData("Tollgate:Markets:Instruments", "SPOT:BTCUSDT,FUT")]
    [InlineData("Tollgate:Markets:Instruments", "SPOT:BTCUSDTBTCUSDTBTCUSDT")]
    public void A_bad_market_setting_stops_the_host_naming_the_setting(string key, string value)
    {
        using var host = new HostFactory().With("Tollgate:Markets:Instruments", "SPOT:BTCUSDT").With(key, value);
        var refused = Assert.ThrowsAny<Exception>(() => host.Http());
        Assert.Contains(key, Flatten(refused));
    }

    [Fact]
    public async Task Good_loopback_and_https_urls_and_a_heartbeat_of_3600_start_the_host()
    {
        await using var host = new HostFactory()
            .With("Tollgate:Markets:Instruments", " spot:btcusdt , SPOT:BTCUSDT ")
            .With("Tollgate:Markets:SpotRestUrl", "http://localhost:1")
            .With("Tollgate:Markets:SpotStreamUrl", "ws://127.0.0.1:1")
            .With("Tollgate:Markets:HeartbeatSeconds", "3600");
        // Nothing listens on port 1: the plane cannot read exchangeInfo, but the host runs and says so.
        var checks = await MarketHost.WaitForAsync(
            async () => System.Text.Json.JsonSerializer.SerializeToElement((await host.Http().HealthChecksAsync()).ToDictionary(c => c.Key, c => c.Value.Status)),
            c => c.TryGetProperty("market", out var market) && market.GetString() == "DEGRADED", "the market check");
        Assert.Equal("DEGRADED", checks.GetProperty("market").GetString());
    }

    [Fact]
    public async Task An_unlisted_instrument_is_503_MKT_NOT_RUNNING_on_both_routes_and_degrades_health_with_its_reason()
    {
        await using var exchange = await MarketHost.StartExchangeAsync();
        await using var host = new HostFactory().PointedAt(exchange, "SPOT:NOPEUSDT,FUT:BTCUSDT");
        var http = host.Http();
        var detail = await MarketHost.WaitForAsync(
            async () => (await http.HealthChecksAsync()).TryGetValue("market", out var c)
                ? System.Text.Json.JsonSerializer.SerializeToElement(new { c.Status, c.Detail })
                : default,
            c => c.ValueKind == System.Text.Json.JsonValueKind.Object && c.GetProperty("Detail").GetString()!.StartsWith("not running: MKT-UNKNOWN-SYMBOL"),
            "the plane's failure in health");
        Assert.Equal("DEGRADED", detail.GetProperty("Status").GetString());
        Assert.Contains("SPOT:NOPEUSDT", detail.GetProperty("Detail").GetString());
        await (await http.GetAsync("/api/market")).AssertRefusedAsync(HttpStatusCode.ServiceUnavailable, MarketReasons.NotRunning);
        await (await http.GetAsync("/api/market/books/FUT/BTCUSDT")).AssertRefusedAsync(HttpStatusCode.ServiceUnavailable, MarketReasons.NotRunning);
        // The rest of the host still answers: the market degrades it, never fails it.
        var health = await (await http.GetAsync("/api/health")).ReadJsonAsync();
        Assert.NotEqual("FAIL", health.GetProperty("status").GetString());
    }
}
