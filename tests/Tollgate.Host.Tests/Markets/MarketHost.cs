extern alias fake;

using System.Net;
using System.Text.Json;
using fake::Tollgate.FakeExchange;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Markets;

/// <summary>
/// The real host with its market plane pointed at a loopback fake Binance, and the checks the market tests share:
/// polling <c>/api/market</c> with a deadline (never a timed assert) and comparing a book the host serves with the
/// fake's truth at the book's own update id.
/// </summary>
public static class MarketHost
{
    public const string AllInstruments = "SPOT:BTCUSDT,SPOT:ETHUSDT,FUT:BTCUSDT";

    /// <summary>How long an asynchronous outcome (sync, resync, reconnect, heartbeat) may take on a loaded 2-core machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static Task<FakeExchange> StartExchangeAsync(int seed = 20240601) => FakeExchange.StartAsync(new FakeExchangeOptions
    {
        Symbols = ["BTCUSDT", "ETHUSDT"],
        Seed = seed,
        TickInterval = TimeSpan.FromMilliseconds(50),
    });

    /// <summary>A host (in-memory storage) whose market plane reads <paramref name="instruments"/> from <paramref name="exchange"/>.</summary>
    public static HostFactory PointedAt(this HostFactory host, FakeExchange exchange, string instruments = AllInstruments) => host
        .With("Tollgate:Markets:Instruments", instruments)
        .With("Tollgate:Markets:SpotRestUrl", exchange.SpotRestUri.ToString())
        .With("Tollgate:Markets:SpotStreamUrl", exchange.SpotStreamUri.ToString())
        .With("Tollgate:Markets:FuturesRestUrl", exchange.FuturesRestUri.ToString())
        .With("Tollgate:Markets:FuturesStreamUrl", exchange.FuturesStreamUri.ToString());

    public static FakeMarket Fake(string market) => market switch
    {
        "SPOT" => FakeMarket.Spot,
        "FUT" => FakeMarket.Futures,
        _ => throw new ArgumentOutOfRangeException(nameof(market), market, null),
    };

    public static async Task<JsonElement> SummaryAsync(this HttpClient http)
    {
        var response = await http.GetAsync("/api/market");
        var body = await response.Content.ReadAsStringAsync();
        // Not an assert: while the plane starts it answers 503, and WaitForAsync retries on this.
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET /api/market: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds or the deadline passes (then fails with the last answer).</summary>
    public static async Task<JsonElement> WaitForAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done, string what, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? Deadline);
        JsonElement last = default;
        string? error = null;
        while (true)
        {
            try
            {
                last = await read();
                error = null;
                if (done(last)) return last;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                error = e.Message;
            }
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"{what}: not within {(deadline ?? Deadline).TotalSeconds:0} s; last answer: {(last.ValueKind == JsonValueKind.Undefined ? "none" : last.ToString())} {error}");
            await Task.Delay(100);
        }
    }

    public static JsonElement Instrument(this JsonElement summary, string key)
        => summary.GetProperty("instruments").EnumerateArray().Single(i => i.GetProperty("instrument").GetString() == key);

    public static JsonElement Connection(this JsonElement summary, string market)
        => summary.GetProperty("connections").EnumerateArray().Single(c => c.GetProperty("market").GetString() == market);

    public static bool AllSynced(this JsonElement summary)
        => summary.GetProperty("instruments").GetArrayLength() == 3
           && summary.GetProperty("instruments").EnumerateArray().All(i => i.GetProperty("state").GetString() == "SYNCED");

    public static Task<JsonElement> WaitForAllSyncedAsync(this HttpClient http)
        => WaitForAsync(http.SummaryAsync, AllSynced, "all three instruments SYNCED");

    /// <summary>The book the host serves, once it is in sync past <paramref name="afterUpdateId"/>.</summary>
    public static Task<JsonElement> WaitForSyncedBookAsync(this HttpClient http, string market, string symbol, long afterUpdateId = 0, int depth = 20)
        => WaitForAsync(async () =>
            {
                var response = await http.GetAsync($"/api/market/books/{market}/{symbol}?depth={depth}");
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return document.RootElement.Clone();
            },
            book => book.TryGetProperty("isSynced", out var synced) && synced.GetBoolean() && book.GetProperty("lastUpdateId").GetInt64() > afterUpdateId,
            $"{market}:{symbol} in sync after update {afterUpdateId}");

    /// <summary>The host's book (as <c>/api/market/books</c> serves it) equals, price and quantity, the top <paramref name="depth"/> levels of the fake's book at the same update id.</summary>
    public static void AssertEqualsTruth(JsonElement book, FakeExchange exchange, string market, string symbol, int depth = 20)
    {
        var updateId = book.GetProperty("lastUpdateId").GetInt64();
        var truth = exchange.Simulator(Fake(market), symbol).BookAt(updateId);
        AssertSide(truth.Bids, book.GetProperty("bids"), $"{market}:{symbol} bids at {updateId}", depth);
        AssertSide(truth.Asks, book.GetProperty("asks"), $"{market}:{symbol} asks at {updateId}", depth);
    }

    public static void AssertSide(IReadOnlyList<(decimal Price, decimal Quantity)> truth, JsonElement served, string what, int depth)
    {
        var expected = truth.Take(depth).ToList();
        var actual = served.EnumerateArray().Select(l => (Price: l[0].GetDecimal(), Quantity: l[1].GetDecimal())).ToList();
        Assert.True(expected.Count > 0, $"{what}: the truth has no levels");
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} level(s), the truth has {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
            Assert.True(expected[i].Price == actual[i].Price && expected[i].Quantity == actual[i].Quantity,
                $"{what}: level {i} is {actual[i].Price} x {actual[i].Quantity}, the truth {expected[i].Price} x {expected[i].Quantity}");
    }

    /// <summary>
    /// A market connection check is healthy: OK, or DEGRADED only by its heartbeat RTT p95. With a 1 s heartbeat the p95
    /// over the first samples is their maximum, and on a loaded 2-core machine one slow first heartbeat (a cold start)
    /// keeps it over 300 ms until some 20 later samples outweigh it; that is load, not a connection fault.
    /// </summary>
    public static bool ConnectionHealthy((string Status, string Detail) check)
    {
        if (check.Status == "OK") return true;
        if (check.Status != "DEGRADED") return false;
        var problems = check.Detail.Split("; ").TakeWhile(part => !System.Text.RegularExpressions.Regex.IsMatch(part, "^[0-9]+ connection\\(s\\)")).ToList();
        return problems.Count > 0 && problems.All(p => p.StartsWith("heartbeat RTT p95", StringComparison.Ordinal));
    }

    /// <summary>Polls <c>GET /api/health</c> until market-data is OK and both connections are <see cref="ConnectionHealthy"/>.</summary>
    public static Task<JsonElement> WaitForMarketHealthyAsync(this HttpClient http)
        => WaitForAsync(
            async () => JsonSerializer.SerializeToElement((await http.HealthChecksAsync()).ToDictionary(c => c.Key, c => new { c.Value.Status, c.Value.Detail, Healthy = ConnectionHealthy(c.Value) })),
            c => c.TryGetProperty("market-data", out var data) && data.GetProperty("Status").GetString() == "OK"
                 && new[] { "market-spot-connection", "market-fut-connection" }.All(n => c.TryGetProperty(n, out var check) && check.GetProperty("Healthy").GetBoolean()),
            "market health: market-data OK, both connections OK");

    /// <summary>The checks of <c>GET /api/health</c> by name.</summary>
    public static async Task<Dictionary<string, (string Status, string Detail)>> HealthChecksAsync(this HttpClient http)
    {
        var health = await (await http.GetAsync("/api/health")).ReadJsonAsync();
        return health.GetProperty("checks").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => (c.GetProperty("status").GetString()!, c.GetProperty("detail").GetString() ?? ""));
    }
}
