extern alias fake;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Host.Execution;
using Tollgate.Host.Standalone;
using Tollgate.Host.Tests.Support;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using FakeExchangeOptions = fake::Tollgate.FakeExchange.FakeExchangeOptions;

namespace Tollgate.Host.Tests.Markets;

/// <summary>
/// The host's Live order path on Tollgate's Binance channel against the loopback fake exchange: it signs with the
/// keys from the secret store, reconciles at startup against the exchange, routes an intent from the stream to
/// exactly one exchange order, and without keys it does not start, saying why without printing a secret.
/// </summary>
public sealed class LiveOrderPathTests
{
    private static readonly FakeExchangeOptions Keys = new();

    private static HostFactory Live(HostFactory host, fake::Tollgate.FakeExchange.FakeExchange exchange, bool withKeys = true)
    {
        host = host.PointedAt(exchange).With("Tollgate:Execution:Environment", "Live");
        return withKeys ? host.With("binance-api-key", Keys.ApiKey).With("binance-api-secret", Keys.ApiSecret) : host;
    }

    private static async Task<JsonElement> ExecutionAsync(HttpClient http)
    {
        var response = await http.GetAsync("/api/execution");
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET /api/execution: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task Live_reconciles_against_the_exchange_at_startup_and_routes_an_intent_to_exactly_one_exchange_order()
    {
        await using var exchange = await MarketHost.StartExchangeAsync(seed: 7301);
        await using var host = Live(new HostFactory(), exchange);
        var http = host.Http();
        var status = await MarketHost.WaitForAsync(() => ExecutionAsync(http), s => s.GetProperty("state").GetString() == "ROUTING", "the Live order path routing");
        Assert.Equal("binance", status.GetProperty("channel").GetString());
        Assert.Equal("PASS", status.GetProperty("lastReconciliation").GetProperty("result").GetString());

        var intentId = $"live-{Guid.NewGuid():N}";
        var intent = new OrderIntent(intentId, host.Services.GetRequiredService<ExecutionPlane>().Universe!.Find("SPOT:BTCUSDT")!, OrderSide.Buy, OrderType.Market,
            0.0002m, null, null, null, "rules-live-test", DateTimeOffset.UtcNow);
        var hub = host.Services.GetRequiredService<StreamHub>();
        for (var i = 0; i < 2; i++)
            await hub.PublishAsync(ExecutionPlane.IntentsStream, "SPOT:BTCUSDT", new Dictionary<string, string>(), IntentJson.Serialize(intent), CancellationToken.None);

        var order = await MarketHost.WaitForAsync(async () => await (await http.GetAsync($"/api/execution/orders/{intentId}")).ReadJsonAsync(),
            o => o.TryGetProperty("status", out var s) && s.GetString() == "FILLED", $"{intentId} FILLED on the exchange");
        Assert.Equal(1, exchange.Orders.OrderCount(ClientOrderId.For(intentId)));
        Assert.NotEmpty(order.GetProperty("fills").EnumerateArray());

        var reconciled = await (await http.PostAsJsonAsync("/api/reconcile", new { })).ReadJsonAsync();
        Assert.Equal("PASS", reconciled.GetProperty("result").GetString());
        Assert.True(reconciled.GetProperty("localFills").GetInt32() >= 1);
        Assert.Equal(1m, reconciled.GetProperty("fillsAgreement").GetDecimal());
    }

    [Fact]
    public async Task Without_keys_the_Live_order_path_does_not_start_and_says_why_without_a_secret()
    {
        await using var exchange = await MarketHost.StartExchangeAsync(seed: 7302);
        await using var host = Live(new HostFactory(), exchange, withKeys: false);
        var http = host.Http();
        var refused = await MarketHost.WaitForAsync(async () =>
            {
                var response = await http.GetAsync("/api/execution");
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            },
            r => r.TryGetProperty("reason", out var reason) && reason.GetString() == ExecutionApiReasons.NotRunning && r.GetProperty("message").GetString()!.Contains("failed"),
            "the Live order path refusing to start without keys");
        Assert.DoesNotContain(Keys.ApiSecret, refused.ToString());
        var health = await (await http.GetAsync("/api/health")).ReadJsonAsync();
        var check = health.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "order-path");
        Assert.Equal("FAIL", check.GetProperty("status").GetString());
        Assert.DoesNotContain(Keys.ApiSecret, host.Logs.All);
    }
}
