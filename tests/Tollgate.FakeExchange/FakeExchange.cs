using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tollgate.FakeExchange;

/// <summary>A REST call the fake answered: when (on its clock), which market, path, query and the status it returned.</summary>
public sealed record FakeRestRequest(DateTimeOffset At, FakeMarket Market, string Path, string Query, int Status, string? ApiKey);

/// <summary>
/// A loopback Binance: spot and USDⓈ-M futures REST (time, exchangeInfo, depth, and the signed account and order
/// endpoints in Orders/) and combined-stream WebSockets, over deterministic simulated markets whose truth tests can
/// read, with scripted faults. See README.md.
/// </summary>
public sealed partial class FakeExchange : IAsyncDisposable
{
    private readonly FakeExchangeOptions options;
    private readonly WebApplication app;
    private readonly Dictionary<(FakeMarket, string), MarketSimulator> simulators = [];
    private readonly ConcurrentDictionary<int, FakeConnection> connections = new();
    private readonly ConcurrentQueue<FakeConnectionInfo> closed = new();
    private readonly ConcurrentQueue<FakeRestRequest> requests = new();
    private readonly object tickLock = new();
    private readonly object restLock = new();
    private readonly (DateTimeOffset Minute, int Used)[] weights = new (DateTimeOffset, int)[2];
    private readonly Queue<(int Status, TimeSpan? RetryAfter, string? Body)> scriptedResponses = new();
    private readonly CancellationTokenSource stopping = new();
    private DateTimeOffset bannedUntil = DateTimeOffset.MinValue;
    private TimeSpan maxLifetime;
    private Task? ticker;
    private int nextConnectionId;
    private long slowConsumerDisconnects;

    private FakeExchange(FakeExchangeOptions options, WebApplication app)
    {
        this.options = options;
        this.app = app;
        maxLifetime = options.MaxConnectionLifetime;
        foreach (var market in new[] { FakeMarket.Spot, FakeMarket.Futures })
        {
            var listings = (market == FakeMarket.Spot ? options.SpotListings : options.FuturesListings)
                           ?? [.. options.Symbols.Select(s => FakeSymbol.Default(s, market))];
            foreach (var listing in listings)
                simulators[(market, listing.Symbol)] = new MarketSimulator(market, listing, options.Seed, options.Clock, options.BookLevels, options.MarkPriceEveryTicks);
        }
        desk = new FakeOrderDesk(options, simulators);
    }

    /// <summary>http://127.0.0.1:port: the REST base of both markets (spot under /api/v3, futures under /fapi/v1).</summary>
    public Uri BaseUri { get; private set; } = null!;
    public Uri SpotRestUri => BaseUri;
    public Uri FuturesRestUri => BaseUri;
    /// <summary>ws://127.0.0.1:port: spot combined streams at /stream?streams=...</summary>
    public Uri SpotStreamUri => new($"ws://{BaseUri.Authority}");
    /// <summary>ws://127.0.0.1:port/futures: futures combined streams at /futures/stream?streams=...</summary>
    public Uri FuturesStreamUri => new($"ws://{BaseUri.Authority}/futures");

    public FakeExchangeOptions Options => options;

    /// <summary>Starts listening and ticking. The URL must be on 127.0.0.1 (or localhost).</summary>
    public static async Task<FakeExchange> StartAsync(FakeExchangeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeExchangeOptions();
        var url = new Uri(options.Url);
        if (url.Host is not ("127.0.0.1" or "localhost"))
            throw new ArgumentException($"The fake exchange binds 127.0.0.1 only, not '{url.Host}'.", nameof(options));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, url.Port));
        var app = builder.Build();
        var exchange = new FakeExchange(options, app);
        exchange.Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        exchange.BaseUri = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        if (options.TickInterval != Timeout.InfiniteTimeSpan) exchange.ticker = Task.Run(exchange.TickLoopAsync, CancellationToken.None);
        return exchange;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (ticker is not null) await ticker.ConfigureAwait(false);
        foreach (var connection in connections.Values) Close(connection, "shutdown", abort: true);
        await app.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    // ---- truth ----

    public MarketSimulator Simulator(FakeMarket market, string symbol) =>
        simulators.TryGetValue((market, symbol.ToUpperInvariant()), out var s) ? s : throw new ArgumentException($"The fake does not list {market} {symbol}.");

    public IEnumerable<MarketSimulator> Simulators => simulators.Values;

    /// <summary>Every REST call answered, in order.</summary>
    public IReadOnlyList<FakeRestRequest> RestRequests => [.. requests];

    /// <summary>Open connections and closed ones, by id.</summary>
    public IReadOnlyList<FakeConnectionInfo> Connections =>
        [.. connections.Values.Select(c => c.Info()).Concat(closed).GroupBy(c => c.Id).Select(g => g.OrderBy(c => c.ClosedAt is null).First()).OrderBy(c => c.Id)];

    public int OpenConnectionCount(FakeMarket? market = null) => connections.Values.Count(c => c.CloseReason is null && (market is null || c.Market == market));

    public long SlowConsumerDisconnects => Interlocked.Read(ref slowConsumerDisconnects);

    // ---- faults ----

    /// <summary>The next <paramref name="count"/> depth diffs of the symbol move the book but are sent to nobody: a gap.</summary>
    public void DropNextDepthEvents(FakeMarket market, string symbol, int count) => Simulator(market, symbol).DropNextDepth(count);

    /// <summary>The next <paramref name="count"/> events of the symbol are sent twice.</summary>
    public void DuplicateNextEvents(FakeMarket market, string symbol, int count) => Simulator(market, symbol).DuplicateNext(count);

    /// <summary>Drops every connection (of <paramref name="market"/>, or all) now: aborted, or closed with a close frame when <paramref name="graceful"/>.</summary>
    public int DisconnectAll(FakeMarket? market = null, bool graceful = false)
    {
        var count = 0;
        foreach (var connection in connections.Values.Where(c => market is null || c.Market == market))
        {
            Close(connection, "scripted disconnect", abort: !graceful);
            count++;
        }
        return count;
    }

    /// <summary>Existing connections stop receiving data and the server stops reading them (so it answers no ping): the ping-timeout case.</summary>
    public int FreezeConnections(FakeMarket? market = null)
    {
        var count = 0;
        foreach (var connection in connections.Values.Where(c => market is null || c.Market == market))
        {
            connection.Frozen = true;
            count++;
        }
        return count;
    }

    /// <summary>Connections opened from now on are closed by the server after <paramref name="lifetime"/> on the fake's clock (the 24 h cut).</summary>
    public void SetMaxConnectionLifetime(TimeSpan lifetime) => maxLifetime = lifetime;

    /// <summary>
    /// The next <paramref name="count"/> REST calls (any market, any path) are answered with <paramref name="status"/>
    /// (with Retry-After in whole seconds when given) and <paramref name="body"/>, or Binance's error body for it.
    /// A 200 with a body is how a malformed response is scripted.
    /// </summary>
    public void FailNextRestCalls(int count, int status, TimeSpan? retryAfter = null, string? body = null)
    {
        lock (restLock)
            for (var i = 0; i < count; i++) scriptedResponses.Enqueue((status, retryAfter, body));
    }

    /// <summary>Every REST call is answered 418 until <paramref name="duration"/> has passed on the fake's clock.</summary>
    public void Ban(TimeSpan duration)
    {
        lock (restLock) bannedUntil = options.Clock.GetUtcNow() + duration;
    }

    /// <summary>Sets the request weight already used in the current minute (as another client on the IP would have).</summary>
    public void SetUsedWeight(FakeMarket market, int used)
    {
        lock (restLock) weights[(int)market] = (Minute(options.Clock.GetUtcNow()), used);
    }

    /// <summary>Moves every market <paramref name="ticks"/> ticks at once (a burst; with a tiny pending limit, a slow consumer).</summary>
    public void Step(int ticks = 1)
    {
        for (var i = 0; i < ticks; i++) TickAll();
    }

    // ---- market ----

    private async Task TickLoopAsync()
    {
        using var timer = new PeriodicTimer(options.TickInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false)) TickAll();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void TickAll()
    {
        lock (tickLock)
        {
            foreach (var simulator in simulators.Values)
            {
                foreach (var (e, copies) in simulator.Tick())
                {
                    if (copies == 0) continue;
                    var frame = Encoding.UTF8.GetBytes($"{{\"stream\":\"{e.Stream}\",\"data\":{e.Data}}}");
                    foreach (var connection in connections.Values)
                    {
                        if (connection.Market != e.Market || connection.Frozen || connection.CloseReason is not null || !connection.Has(e.Stream)) continue;
                        for (var c = 0; c < copies; c++)
                            if (!connection.Outgoing.Writer.TryWrite(frame))
                            {
                                // Binance buffers for a client that does not read, then drops it.
                                Interlocked.Increment(ref slowConsumerDisconnects);
                                Close(connection, "slow consumer: send buffer full", abort: true);
                                break;
                            }
                    }
                }
                // Resting client orders the book moved through fill now.
                desk.OnBookMoved(simulator);
            }
        }
    }

    // ---- HTTP ----

    private void Map(WebApplication web)
    {
        web.UseWebSockets();
        web.Map("/stream", context => StreamAsync(context, FakeMarket.Spot));
        web.Map("/futures/stream", context => StreamAsync(context, FakeMarket.Futures));
        web.MapGet("/api/v3/time", context => RestAsync(context, FakeMarket.Spot, 1, _ => Time()));
        web.MapGet("/fapi/v1/time", context => RestAsync(context, FakeMarket.Futures, 1, _ => Time()));
        web.MapGet("/api/v3/exchangeInfo", context => RestAsync(context, FakeMarket.Spot, 20, _ => (200, ExchangeInfo(FakeMarket.Spot))));
        web.MapGet("/fapi/v1/exchangeInfo", context => RestAsync(context, FakeMarket.Futures, 1, _ => (200, ExchangeInfo(FakeMarket.Futures))));
        web.MapGet("/api/v3/depth", context => RestAsync(context, FakeMarket.Spot, DepthWeight(FakeMarket.Spot, context), c => Depth(c, FakeMarket.Spot)));
        web.MapGet("/fapi/v1/depth", context => RestAsync(context, FakeMarket.Futures, DepthWeight(FakeMarket.Futures, context), c => Depth(c, FakeMarket.Futures)));
        MapOrders(web);
    }

    private static DateTimeOffset Minute(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    private Task RestAsync(HttpContext context, FakeMarket market, int weight, Func<HttpContext, (int Status, string Body)> handle) =>
        RestAsync(context, market, weight, c =>
        {
            var (status, body) = handle(c);
            return new FakeReply(status, body);
        });

    private async Task RestAsync(HttpContext context, FakeMarket market, int weight, Func<HttpContext, FakeReply> handle)
    {
        var now = options.Clock.GetUtcNow();
        int status;
        string body;
        TimeSpan? retryAfter = null;
        FakeReply? reply = null;
        int used;
        lock (restLock)
        {
            var (minute, count) = weights[(int)market];
            if (Minute(now) > minute) (minute, count) = (Minute(now), 0);
            if (now < bannedUntil)
            {
                (status, body, retryAfter) = (418, Error(-1003, "Way too much request weight used; IP banned until " + bannedUntil.ToUnixTimeMilliseconds() + "."), bannedUntil - now);
            }
            else if (scriptedResponses.TryDequeue(out var scripted))
            {
                count += weight;
                (status, retryAfter) = (scripted.Status, scripted.RetryAfter);
                body = scripted.Body ?? (status switch
                {
                    429 => Error(-1003, "Too much request weight used; please use WebSocket Streams for live updates to avoid polling the API."),
                    418 => Error(-1003, "Way too much request weight used; IP banned."),
                    >= 500 => Error(-1001, "Internal error; unable to process your request. Please try again."),
                    _ => Error(-1000, "An unknown error occurred while processing the request."),
                });
            }
            else
            {
                count += weight;
                var limit = market == FakeMarket.Spot ? options.SpotWeightLimit : options.FuturesWeightLimit;
                if (count > limit)
                    (status, body, retryAfter) = (429, Error(-1003, "Too much request weight used; current limit is " + limit + " request weight per 1 MINUTE."), minute.AddMinutes(1) - now);
                else
                {
                    reply = handle(context);
                    (status, body, retryAfter) = (reply.Status, reply.Body, reply.RetryAfter);
                }
            }
            weights[(int)market] = (minute, count);
            used = count;
        }
        requests.Enqueue(new FakeRestRequest(now, market, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", status,
            context.Request.Headers["X-MBX-APIKEY"].FirstOrDefault()));
        // Scripted order faults: the order is placed, then its answer is lost or late.
        if (reply is { Abort: true })
        {
            context.Abort();
            return;
        }
        if (reply?.Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.Headers["X-MBX-USED-WEIGHT-1M"] = used.ToString(CultureInfo.InvariantCulture);
        if (retryAfter is { } wait)
            context.Response.Headers.RetryAfter = Math.Max(0, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsync(body).ConfigureAwait(false);
    }

    private static string Error(int code, string msg) => $"{{\"code\":{code},\"msg\":{JsonSerializer.Serialize(msg)}}}";

    private (int, string) Time() => (200, $"{{\"serverTime\":{options.Clock.GetUtcNow().ToUnixTimeMilliseconds()}}}");

    private string ExchangeInfo(FakeMarket market)
    {
        var now = options.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var text = new StringBuilder("{\"timezone\":\"UTC\",\"serverTime\":").Append(now).Append(",\"rateLimits\":[");
        if (market == FakeMarket.Spot)
            text.Append("{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":").Append(options.SpotWeightLimit).Append("},")
                .Append("{\"rateLimitType\":\"ORDERS\",\"interval\":\"SECOND\",\"intervalNum\":10,\"limit\":100},")
                .Append("{\"rateLimitType\":\"ORDERS\",\"interval\":\"DAY\",\"intervalNum\":1,\"limit\":200000},")
                .Append("{\"rateLimitType\":\"RAW_REQUESTS\",\"interval\":\"MINUTE\",\"intervalNum\":5,\"limit\":61000}");
        else
            text.Append("{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":").Append(options.FuturesWeightLimit).Append("},")
                .Append("{\"rateLimitType\":\"ORDERS\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":1200},")
                .Append("{\"rateLimitType\":\"ORDERS\",\"interval\":\"SECOND\",\"intervalNum\":10,\"limit\":300}");
        text.Append("],\"exchangeFilters\":[],");
        if (market == FakeMarket.Futures) text.Append("\"assets\":[],");
        text.Append("\"symbols\":[");
        var first = true;
        foreach (var simulator in simulators.Values.Where(s => s.Market == market))
        {
            if (!first) text.Append(',');
            first = false;
            var l = simulator.Listing;
            var quote = l.Symbol.EndsWith("USDT", StringComparison.Ordinal) ? "USDT" : "BTC";
            var baseAsset = l.Symbol[..^quote.Length];
            if (market == FakeMarket.Spot)
            {
                text.Append($"{{\"symbol\":\"{l.Symbol}\",\"status\":\"TRADING\",\"baseAsset\":\"{baseAsset}\",\"baseAssetPrecision\":8,\"quoteAsset\":\"{quote}\",\"quotePrecision\":8,\"quoteAssetPrecision\":8,")
                    .Append("\"orderTypes\":[\"LIMIT\",\"LIMIT_MAKER\",\"MARKET\",\"STOP_LOSS_LIMIT\",\"TAKE_PROFIT_LIMIT\"],\"icebergAllowed\":true,\"ocoAllowed\":true,\"isSpotTradingAllowed\":true,\"isMarginTradingAllowed\":false,\"filters\":[")
                    .Append($"{{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"{F8(l.TickSize)}\",\"maxPrice\":\"1000000.00000000\",\"tickSize\":\"{F8(l.TickSize)}\"}},")
                    .Append($"{{\"filterType\":\"LOT_SIZE\",\"minQty\":\"{F8(l.StepSize)}\",\"maxQty\":\"9000.00000000\",\"stepSize\":\"{F8(l.StepSize)}\"}},")
                    .Append(l.LegacyMinNotional
                        ? $"{{\"filterType\":\"MIN_NOTIONAL\",\"minNotional\":\"{F8(l.MinNotional)}\",\"applyToMarket\":true,\"avgPriceMins\":5}}"
                        : $"{{\"filterType\":\"NOTIONAL\",\"minNotional\":\"{F8(l.MinNotional)}\",\"applyMinToMarket\":true,\"maxNotional\":\"9000000.00000000\",\"applyMaxToMarket\":false,\"avgPriceMins\":5}}")
                    .Append(",{\"filterType\":\"MAX_NUM_ORDERS\",\"maxNumOrders\":200}],\"permissions\":[],\"permissionSets\":[[\"SPOT\"]],\"defaultSelfTradePreventionMode\":\"EXPIRE_MAKER\"}");
            }
            else
            {
                text.Append($"{{\"symbol\":\"{l.Symbol}\",\"pair\":\"{l.Symbol}\",\"contractType\":\"PERPETUAL\",\"deliveryDate\":4133404800000,\"onboardDate\":1569398400000,\"status\":\"TRADING\",")
                    .Append($"\"baseAsset\":\"{baseAsset}\",\"quoteAsset\":\"{quote}\",\"marginAsset\":\"{quote}\",\"pricePrecision\":2,\"quantityPrecision\":3,\"filters\":[")
                    .Append($"{{\"filterType\":\"PRICE_FILTER\",\"maxPrice\":\"4529764\",\"minPrice\":\"{Plain(l.TickSize)}\",\"tickSize\":\"{Plain(l.TickSize)}\"}},")
                    .Append($"{{\"filterType\":\"LOT_SIZE\",\"maxQty\":\"1000\",\"minQty\":\"{Plain(l.StepSize)}\",\"stepSize\":\"{Plain(l.StepSize)}\"}},")
                    .Append($"{{\"filterType\":\"MARKET_LOT_SIZE\",\"maxQty\":\"120\",\"minQty\":\"{Plain(l.StepSize)}\",\"stepSize\":\"{Plain(l.StepSize)}\"}},")
                    .Append("{\"filterType\":\"MAX_NUM_ORDERS\",\"limit\":200},{\"filterType\":\"MAX_NUM_ALGO_ORDERS\",\"limit\":10},")
                    .Append($"{{\"filterType\":\"MIN_NOTIONAL\",\"notional\":\"{Plain(l.MinNotional)}\"}},")
                    .Append("{\"filterType\":\"PERCENT_PRICE\",\"multiplierUp\":\"1.0500\",\"multiplierDown\":\"0.9500\",\"multiplierDecimal\":\"4\"}],")
                    .Append("\"orderTypes\":[\"LIMIT\",\"MARKET\",\"STOP\",\"STOP_MARKET\",\"TAKE_PROFIT\",\"TAKE_PROFIT_MARKET\",\"TRAILING_STOP_MARKET\"],\"timeInForce\":[\"GTC\",\"IOC\",\"FOK\",\"GTX\"]}");
            }
        }
        return text.Append("]}").ToString();
    }

    private static string F8(decimal value) => value.ToString("F8", CultureInfo.InvariantCulture);
    private static string Plain(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Limit(FakeMarket market, HttpContext context) =>
        int.TryParse(context.Request.Query["limit"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit
        : market == FakeMarket.Spot ? 100 : 500;

    private static int DepthWeight(FakeMarket market, HttpContext context)
    {
        var limit = Limit(market, context);
        return market == FakeMarket.Spot
            ? limit switch { <= 100 => 5, <= 500 => 25, <= 1000 => 50, _ => 250 }
            : limit switch { <= 50 => 2, 100 => 5, 500 => 10, _ => 20 };
    }

    private (int, string) Depth(HttpContext context, FakeMarket market)
    {
        var symbol = context.Request.Query["symbol"].FirstOrDefault() ?? "";
        if (symbol.Length == 0) return (400, Error(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."));
        if (!simulators.TryGetValue((market, symbol), out var simulator)) return (400, Error(-1121, "Invalid symbol."));
        var limit = Limit(market, context);
        var valid = market == FakeMarket.Spot ? limit is >= 1 and <= 5000 : limit is 5 or 10 or 20 or 50 or 100 or 500 or 1000;
        if (!valid) return (400, Error(-1100, "Illegal characters found in parameter 'limit'; legal range is '5, 10, 20, 50, 100, 500, 1000'."));
        return (200, simulator.DepthBody(limit));
    }

    // ---- WebSocket ----

    private async Task StreamAsync(HttpContext context, FakeMarket market)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        var names = (context.Request.Query["streams"].FirstOrDefault() ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var max = market == FakeMarket.Spot ? options.SpotMaxStreamsPerConnection : options.FuturesMaxStreamsPerConnection;
        if (names.Length > max || names.Any(n => !ValidStream(market, n)))
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync(Error(-1121, names.Length > max ? $"More than {max} streams." : "Invalid stream name.")).ConfigureAwait(false);
            return;
        }
        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.PingInterval,
            KeepAliveTimeout = options.PongTimeout,
        }).ConfigureAwait(false);
        var connection = new FakeConnection(Interlocked.Increment(ref nextConnectionId), market, socket, names.Select(Canonical), options.MaxPendingFramesPerConnection, options.Clock.GetUtcNow());
        connections[connection.Id] = connection;
        var lifetime = maxLifetime;
        using var lifetimeTimer = options.Clock.CreateTimer(_ => Close(connection, "24 h cut: connection lifetime reached", abort: false), null, lifetime, Timeout.InfiniteTimeSpan);
        var sending = SendLoopAsync(connection);
        await ReceiveLoopAsync(connection, market).ConfigureAwait(false);
        Close(connection, "client closed", abort: false);
        await sending.ConfigureAwait(false);
        connections.TryRemove(connection.Id, out _);
        closed.Enqueue(connection.Info());
    }

    private static string Canonical(string name) => name;

    private bool ValidStream(FakeMarket market, string name)
    {
        var at = name.IndexOf('@');
        if (at <= 0) return false;
        var symbol = name[..at];
        if (symbol != symbol.ToLowerInvariant() || !simulators.ContainsKey((market, symbol.ToUpperInvariant()))) return false;
        return name[at..] switch
        {
            "@bookTicker" or "@aggTrade" or "@depth@100ms" => true,
            "@markPrice@1s" => market == FakeMarket.Futures,
            _ => false,
        };
    }

    private async Task SendLoopAsync(FakeConnection connection)
    {
        try
        {
            await foreach (var frame in connection.Outgoing.Reader.ReadAllAsync(connection.Closing.Token).ConfigureAwait(false))
                await connection.Socket.SendAsync(frame, WebSocketMessageType.Text, true, connection.Closing.Token).ConfigureAwait(false);
            if (connection.Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                var reason = connection.CloseReason ?? "closing";
                await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason.Length > 100 ? reason[..100] : reason, connection.Closing.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
        }
    }

    private async Task ReceiveLoopAsync(FakeConnection connection, FakeMarket market)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (!connection.Closing.IsCancellationRequested)
            {
                if (connection.Frozen)
                {
                    // Not reading: pongs to client pings are not sent, nothing is delivered.
                    await Task.Delay(Timeout.Infinite, connection.Closing.Token).ConfigureAwait(false);
                }
                var filled = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await connection.Socket.ReceiveAsync(buffer.AsMemory(filled), connection.Closing.Token).ConfigureAwait(false);
                    filled += result.Count;
                }
                while (!result.EndOfMessage && filled < buffer.Length);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Close(connection, "client closed", abort: false);
                    return;
                }
                if (!connection.CountIncoming(market == FakeMarket.Spot ? 5 : 10))
                {
                    Close(connection, "too many incoming messages", abort: true);
                    return;
                }
                var reply = HandleRequest(connection, market, buffer.AsSpan(0, filled));
                if (reply is not null) connection.Outgoing.Writer.TryWrite(Encoding.UTF8.GetBytes(reply));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
        }
    }

    private string? HandleRequest(FakeConnection connection, FakeMarket market, ReadOnlySpan<byte> message)
    {
        JsonElement id = default;
        try
        {
            using var document = JsonDocument.Parse(message.ToArray());
            var root = document.RootElement;
            var idText = root.TryGetProperty("id", out id) ? id.GetRawText() : "null";
            if (!root.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String)
                return $"{{\"error\":{{\"code\":2,\"msg\":\"Invalid request: missing field `method`\"}},\"id\":{idText}}}";
            var names = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Array
                ? p.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
            switch (method.GetString())
            {
                case "SUBSCRIBE":
                    if (names.Any(n => !ValidStream(market, n))) return $"{{\"error\":{{\"code\":2,\"msg\":\"Invalid request: invalid stream name\"}},\"id\":{idText}}}";
                    var max = market == FakeMarket.Spot ? options.SpotMaxStreamsPerConnection : options.FuturesMaxStreamsPerConnection;
                    if (connection.StreamCount + names.Count > max) return $"{{\"error\":{{\"code\":2,\"msg\":\"Invalid request: too many streams\"}},\"id\":{idText}}}";
                    connection.Add(names);
                    return $"{{\"result\":null,\"id\":{idText}}}";
                case "UNSUBSCRIBE":
                    connection.Remove(names);
                    return $"{{\"result\":null,\"id\":{idText}}}";
                case "LIST_SUBSCRIPTIONS":
                    return $"{{\"result\":[{string.Join(',', connection.Streams.Select(s => $"\"{s}\""))}],\"id\":{idText}}}";
                default:
                    return $"{{\"error\":{{\"code\":1,\"msg\":\"Invalid request: unknown variant\"}},\"id\":{idText}}}";
            }
        }
        catch (JsonException)
        {
            return "{\"error\":{\"code\":3,\"msg\":\"Invalid JSON: expected value at line 1 column 1\"}}";
        }
    }

    private void Close(FakeConnection connection, string reason, bool abort)
    {
        var first = connection.MarkClosed(reason, options.Clock.GetUtcNow());
        if (abort)
        {
            connection.Closing.Cancel();
            connection.Socket.Abort();
            return;
        }
        // Graceful: the send loop delivers what is queued, then sends the close frame; a peer that does not answer is cut.
        if (first)
            _ = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => connection.Closing.Cancel(), TaskScheduler.Default);
    }
}
