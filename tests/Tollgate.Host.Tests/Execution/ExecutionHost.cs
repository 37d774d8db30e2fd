extern alias fake;

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using fake::Tollgate.FakeExchange;
using Tollgate.Host.Tests.Markets;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Execution;

/// <summary>
/// The order-path tests run one at a time: each starts a host (some two, or real processes) and a fake exchange, and
/// on a loaded 2-core machine several at once would measure the machine, not the order path.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExecutionCollection
{
    public const string Name = "execution host";
}

/// <summary>
/// What the order-path tests share: a Paper host pointed at the loopback fake exchange, reading <c>/api/execution</c>
/// with a deadline (never a timed assert), the governance flow that makes a rules map active on Paper (stored
/// rules object, registered map naming it, an Operator's request, a Trader's two-step approval, the Operator's
/// activation), and intents in the wire format of <c>order-intents</c>.
/// </summary>
public static class ExecutionHost
{
    public const string Operator = "olivia.operator";
    public const string Trader = "tariq.trader";

    /// <summary>How long an asynchronous outcome on the order path may take on a loaded 2-core machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);

    public static string SampleRulesPath => Path.Combine(Process.Processes.RepoRoot(), "samples", "strategy", "tight-spread.json");

    /// <summary>
    /// Rules that trade all the time (every condition holds while the book is two-sided and tight, cooldowns of 1-2 s,
    /// max_open above the one symbol each rule has): spot buys at market and resting limit buys under the bid, futures
    /// sells at market and resting limit buys under the bid. So orders fill, rest and change positions continuously.
    /// </summary>
    public const string BusyRules = """
        {
          "name": "busy-test",
          "rules": [
            { "id": "spot-buy-market", "market": "SPOT", "symbols": ["BTCUSDT"], "when": ["spread_bps < 10"],
              "side": "BUY", "type": "MARKET", "quantity": "0.0002", "cooldown_seconds": 1, "max_open": 5 },
            { "id": "spot-buy-resting", "market": "SPOT", "symbols": ["BTCUSDT"], "when": ["spread_bps < 10"],
              "side": "BUY", "type": "LIMIT", "quantity": "0.0003", "limit_offset_ticks": -2, "cooldown_seconds": 1, "max_open": 5 },
            { "id": "fut-sell-market", "market": "FUT", "symbols": ["BTCUSDT"], "when": ["spread_bps < 10"],
              "side": "SELL", "type": "MARKET", "quantity": "0.002", "cooldown_seconds": 2, "max_open": 5 },
            { "id": "fut-buy-resting", "market": "FUT", "symbols": ["BTCUSDT"], "when": ["spread_bps < 10"],
              "side": "BUY", "type": "LIMIT", "quantity": "0.003", "limit_offset_ticks": -1, "cooldown_seconds": 2, "max_open": 5 }
          ]
        }
        """;

    /// <summary>A Paper host (in-memory storage unless told otherwise) on <paramref name="exchange"/>'s three instruments.</summary>
    public static HostFactory Paper(this HostFactory host, FakeExchange exchange) => host
        .PointedAt(exchange)
        .With("Tollgate:Execution:Environment", "Paper");

    /// <summary>The environment variables of a Paper host process on <paramref name="exchange"/> and <paramref name="storage"/>.</summary>
    public static Dictionary<string, string?> PaperProcess(FakeExchange exchange, string storage, string taskHub, string dataDir, TestTokens tokens) => new()
    {
        ["AzureWebJobsStorage"] = storage,
        ["TOLLGATE_TASK_HUB"] = taskHub,
        ["AzureFunctionsJobHost__extensions__durableTask__hubName"] = taskHub,
        ["TOLLGATE_DATA_DIR"] = dataDir,
        ["TOLLGATE_LEASE_SECONDS"] = "4",
        ["Tollgate__Auth__LocalSigningKey"] = tokens.KeyBase64,
        ["Tollgate__Markets__Instruments"] = MarketHost.AllInstruments,
        ["Tollgate__Markets__SpotRestUrl"] = exchange.SpotRestUri.ToString(),
        ["Tollgate__Markets__SpotStreamUrl"] = exchange.SpotStreamUri.ToString(),
        ["Tollgate__Markets__FuturesRestUrl"] = exchange.FuturesRestUri.ToString(),
        ["Tollgate__Markets__FuturesStreamUrl"] = exchange.FuturesStreamUri.ToString(),
        ["Tollgate__Execution__Environment"] = "Paper",
    };

    public static HttpClient Client(string endpoint, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(endpoint), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary><c>GET /api/execution</c>; not 200 (the plane is starting) is an exception <see cref="WaitForAsync"/> retries on.</summary>
    public static async Task<JsonElement> ExecutionAsync(this HttpClient http)
    {
        var response = await http.GetAsync("/api/execution");
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET /api/execution: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public static Task<JsonElement> WaitForAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done, string what, TimeSpan? deadline = null)
        => MarketHost.WaitForAsync(read, done, what, deadline ?? Deadline);

    /// <summary>The order path is ROUTING and every instrument's book is in sync (so orders can be priced and filled).</summary>
    public static async Task<JsonElement> WaitForRoutingAsync(this HttpClient http)
    {
        await WaitForAsync(http.SummaryAsync, MarketHost.AllSynced, "all three instruments SYNCED");
        return await WaitForAsync(http.ExecutionAsync, e => e.GetProperty("state").GetString() == "ROUTING", "the order path ROUTING");
    }

    /// <summary>The cohort (Paper, <paramref name="rev"/>) of a summary, or null when the rev has none yet.</summary>
    public static JsonElement? Cohort(this JsonElement summary, string rev)
    {
        foreach (var cohort in summary.GetProperty("cohorts").EnumerateArray())
            if (cohort.GetProperty("configRev").GetString() == rev) return cohort;
        return null;
    }

    public static long Count(this JsonElement? cohort, string name) => cohort is { } c ? c.GetProperty(name).GetInt64() : 0;

    public static long RejectedFor(this JsonElement? cohort, string reason) =>
        cohort is { } c && c.GetProperty("rejectReasons").TryGetProperty(reason, out var n) ? n.GetInt64() : 0;

    /// <summary><c>GET /api/execution/orders/{intentId}</c>: the order, or null when no order was routed for it (EXE_UNKNOWN_ORDER).</summary>
    public static async Task<JsonElement?> OrderAsync(this HttpClient http, string intentId)
    {
        var response = await http.GetAsync($"/api/execution/orders/{Uri.EscapeDataString(intentId)}");
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        if (response.StatusCode == HttpStatusCode.OK) return document.RootElement.Clone();
        Assert.True(document.RootElement.TryGetProperty("reason", out var reason) && reason.GetString() == "EXE_UNKNOWN_ORDER",
            $"GET order {intentId}: {(int)response.StatusCode} {body}");
        return null;
    }

    /// <summary>Waits until the order of <paramref name="intentId"/> is recorded and in a final status.</summary>
    public static Task<JsonElement> WaitForEndedOrderAsync(this HttpClient http, string intentId) => WaitForAsync(
        async () => await http.OrderAsync(intentId) ?? throw new InvalidOperationException($"no order for {intentId} yet"),
        o => o.GetProperty("status").GetString() is "REJECTED" or "FILLED" or "EXPIRED" or "CANCELED", $"the order of {intentId} ended");

    public static IEnumerable<string> EventStatuses(this JsonElement order) => order.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("status").GetString()!);

    // ---- governance: the rules of a Paper map ----

    public static async Task<JsonElement> ReadOkAsync(this HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary><c>POST /api/execution/rules/lint</c>: the rev of <paramref name="rules"/>.</summary>
    public static async Task<string> LintAsync(this HttpClient http, string rules)
    {
        var lint = await (await http.PostAsync("/api/execution/rules/lint", new StringContent(rules, Encoding.UTF8, "application/json"))).ReadOkAsync("lint");
        var rev = lint.GetProperty("rev").GetString()!;
        Assert.Matches("^rules-[0-9a-f]{16}$", rev);
        return rev;
    }

    /// <summary><c>PUT /api/objects</c>: the stored object's <c>sha256:</c> digest.</summary>
    public static async Task<string> StoreObjectAsync(this HttpClient http, string text)
        => (await (await http.PutAsync("/api/objects", new ByteArrayContent(Encoding.UTF8.GetBytes(text)))).ReadOkAsync("object put")).GetProperty("digest").GetString()!;

    /// <summary>Registers a Paper map whose config is <paramref name="config"/> and whose <c>rules</c> artifact is <paramref name="rulesDigest"/> (ref <paramref name="rulesRef"/>).</summary>
    public static async Task<string> RegisterPaperMapAsync(this HttpClient http, string config, string rulesRef, string rulesDigest, string code)
    {
        var rulebook = await http.StoreObjectAsync($"rulebook for {code}");
        var registered = await (await http.PostAsJsonAsync("/api/version-maps", new
        {
            environment = "Paper", docs = "docs-test", policy = "policy-test", model = "model-test", config, code,
            rulebook_snapshot_ref = rulebook, artifacts = new[] { new { name = "rules", @ref = rulesRef, digest = rulesDigest } },
        })).ReadOkAsync("register the Paper map");
        return registered.GetProperty("map").GetProperty("id").GetString()!;
    }

    /// <summary>An Operator asks, a Trader approves and confirms with the challenge, the Operator activates <paramref name="mapId"/> on Paper.</summary>
    public static async Task ActivateOnPaperAsync(HttpClient operatorHttp, HttpClient traderHttp, string mapId)
    {
        var approval = await (await operatorHttp.PostAsJsonAsync("/api/approvals", new
        {
            subject = new { kind = "ACTIVATE_VERSION_MAP", environment = "Paper", reference = mapId }, reason = $"trade {mapId} on Paper",
        })).ReadOkAsync("approval request");
        var approvalId = approval.GetProperty("id").GetString()!;
        var challenge = (await (await traderHttp.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { })).ReadOkAsync("approve"))
            .GetProperty("challenge").GetString();
        await (await traderHttp.PostAsJsonAsync($"/api/approvals/{approvalId}/confirm", new { challenge })).ReadOkAsync("confirm");
        await (await operatorHttp.PostAsJsonAsync("/api/environments/Paper/version-map/activate", new { map_id = mapId, reason = "test session", approval_id = approvalId }))
            .ReadOkAsync("activate on Paper");
    }

    /// <summary>Lints, stores, registers and activates <paramref name="rules"/> on Paper; returns its rev.</summary>
    public static async Task<string> TradeOnPaperAsync(HttpClient operatorHttp, HttpClient traderHttp, string rules, string code)
    {
        var rev = await operatorHttp.LintAsync(rules);
        var digest = await operatorHttp.StoreObjectAsync(rules);
        var map = await operatorHttp.RegisterPaperMapAsync(rev, rev, digest, code);
        await ActivateOnPaperAsync(operatorHttp, traderHttp, map);
        return rev;
    }

    /// <summary><c>GET /api/ledger/entries?key=</c>: the entry itself.</summary>
    public static async Task<JsonElement> LedgerEntryAsync(this HttpClient http, string key)
        => (await (await http.GetAsync($"/api/ledger/entries?key={Uri.EscapeDataString(key)}")).ReadOkAsync($"ledger entry {key}")).GetProperty("entry");

    // ---- intents on the wire ----

    /// <summary>An order-intents event body; a null member is left out.</summary>
    public static byte[] Intent(string? intentId, string market = "SPOT", string symbol = "BTCUSDT", string side = "BUY", string type = "MARKET",
        string quantity = "0.0001", string? limitPrice = null, string? configRev = "rules-test", string? extraField = null)
    {
        var fields = new Dictionary<string, string>();
        if (intentId is not null) fields["intent_id"] = intentId;
        fields["market"] = market;
        fields["symbol"] = symbol;
        fields["side"] = side;
        fields["type"] = type;
        fields["quantity"] = quantity;
        if (limitPrice is not null) fields["limit_price"] = limitPrice;
        if (configRev is not null) fields["config_rev"] = configRev;
        fields["decided_at"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        if (extraField is not null) fields[extraField] = "x";
        return JsonSerializer.SerializeToUtf8Bytes(fields);
    }
}
