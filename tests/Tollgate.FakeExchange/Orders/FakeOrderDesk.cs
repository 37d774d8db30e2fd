using System.Globalization;
using System.Text.RegularExpressions;
using static Tollgate.FakeExchange.FakeOrderJson;

namespace Tollgate.FakeExchange;

/// <summary>
/// The fake's account: every client order per (market, symbol), spot balances, futures positions and every fill,
/// behind one lock (requests, ticks and test reads all take it, so thousands of concurrent requests see one order of
/// events). Orders execute against the simulator's book at the moment they arrive and never change it: the simulated
/// market stays the deterministic truth the market-data tests read. See README.md.
/// </summary>
public sealed partial class FakeOrderDesk
{
    private readonly object gate = new();
    private readonly FakeExchangeOptions options;
    private readonly IReadOnlyDictionary<(FakeMarket, string), MarketSimulator> simulators;
    private readonly List<FakeOrder> orders = [];
    private readonly Dictionary<(FakeMarket, long OrderId), FakeOrder> byOrderId = [];
    private readonly Dictionary<(FakeMarket, string Symbol, string ClientOrderId), List<FakeOrder>> byClientId = [];
    private readonly Dictionary<(FakeMarket, string Symbol), List<FakeOrder>> open = [];
    private readonly Dictionary<string, List<FakeOrderList>> lists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> accepted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> placeRequests = new(StringComparer.Ordinal);
    private readonly List<FakeFill> fills = [];
    private readonly SortedDictionary<string, (decimal Free, decimal Locked)> balances = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (decimal Amount, decimal Entry)> positions = new(StringComparer.Ordinal);
    private readonly Dictionary<(FakeMarket, string), long> tradeIds = [];
    private long nextSpotOrderId = 1_000_000, nextFuturesOrderId = 7_000_000, nextListId = 1_000, nextAutoId, nextCancelId;
    private decimal futuresWallet;

    internal FakeOrderDesk(FakeExchangeOptions options, IReadOnlyDictionary<(FakeMarket, string), MarketSimulator> simulators)
    {
        this.options = options;
        this.simulators = simulators;
        foreach (var (asset, amount) in options.SpotBalances) balances[asset] = (amount, 0);
        futuresWallet = options.FuturesWallet;
    }

    internal FakeOrderFaults Faults { get; } = new();

    // ---- truth ----

    /// <summary>Every order the fake accepted, in the order it accepted them (OCO legs included), as they are now.</summary>
    public IReadOnlyList<FakeOrderRecord> Orders { get { lock (gate) return [.. orders.Select(o => o.Record())]; } }

    /// <summary>How many exchange orders were accepted with <paramref name="clientOrderId"/> (any market or symbol): the exactly-once count.</summary>
    public int OrderCount(string clientOrderId) { lock (gate) return accepted.GetValueOrDefault(clientOrderId); }

    /// <summary>Every client order id with how many exchange orders carry it.</summary>
    public IReadOnlyDictionary<string, int> OrderCounts { get { lock (gate) return new Dictionary<string, int>(accepted, StringComparer.Ordinal); } }

    /// <summary>How many placement requests named <paramref name="clientOrderId"/> (or an OCO's list id), whatever was answered: a resend shows here.</summary>
    public int PlaceRequestCount(string clientOrderId) { lock (gate) return placeRequests.GetValueOrDefault(clientOrderId); }

    /// <summary>The latest order with the id on (market, symbol); null when there is none.</summary>
    public FakeOrderRecord? Find(FakeMarket market, string symbol, string clientOrderId)
    {
        lock (gate) return Latest(market, symbol, clientOrderId)?.Record();
    }

    public IReadOnlyList<FakeFill> Fills { get { lock (gate) return [.. fills]; } }

    public IReadOnlyList<FakeBalance> Balances { get { lock (gate) return [.. balances.Select(b => new FakeBalance(b.Key, b.Value.Free, b.Value.Locked))]; } }

    public FakeBalance Balance(string asset)
    {
        lock (gate) return balances.TryGetValue(asset, out var b) ? new FakeBalance(asset, b.Free, b.Locked) : new FakeBalance(asset, 0, 0);
    }

    /// <summary>Open futures positions (amount not zero).</summary>
    public IReadOnlyList<FakePosition> Positions { get { lock (gate) return [.. positions.Where(p => p.Value.Amount != 0).Select(p => new FakePosition(p.Key, p.Value.Amount, p.Value.Entry))]; } }

    public FakePosition Position(string symbol)
    {
        lock (gate) return positions.TryGetValue(symbol, out var p) ? new FakePosition(symbol, p.Amount, p.Entry) : new FakePosition(symbol, 0, 0);
    }

    /// <summary>The futures wallet: its starting value, plus realized PnL, minus commissions.</summary>
    public decimal FuturesWallet { get { lock (gate) return futuresWallet; } }

    /// <summary>Sets a spot asset's free balance (locked amounts stay with their orders).</summary>
    public void SetBalance(string asset, decimal free)
    {
        lock (gate) balances[asset] = (free, balances.GetValueOrDefault(asset).Locked);
    }

    // ---- endpoints (each runs under the REST lock and takes the desk's) ----

    /// <summary><c>POST /api/v3/order</c> and <c>/fapi/v1/order</c>.</summary>
    internal FakeReply Place(FakeMarket market, Dictionary<string, string> p)
    {
        lock (gate)
        {
            var now = Now();
            if (p.TryGetValue("newClientOrderId", out var named)) Increment(placeRequests, named);
            if (BeforeAcceptFault() is { } fault) return fault;
            if (Listing(market, p) is not { } simulator) return SymbolError(p);
            var listing = simulator.Listing;
            var spot = market == FakeMarket.Spot;
            if (p.GetValueOrDefault("side") is not ("BUY" or "SELL") || p.GetValueOrDefault("type") is not ({ } type))
                return Bad(-1102, "Mandatory parameter 'side' or 'type' was not sent, was empty/null, or malformed.");
            if (type is not ("MARKET" or "LIMIT")) return Bad(-1116, "Invalid orderType.");
            if (!TryDecimal(p, "quantity", out var quantity) || quantity <= 0)
                return Bad(-1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.");
            if (quantity % listing.StepSize != 0) return spot ? Bad(-1013, "Filter failure: LOT_SIZE") : Bad(-1111, "Precision is over the maximum defined for this asset.");
            decimal price = 0;
            var timeInForce = "GTC";
            if (type == "LIMIT")
            {
                if (!TryDecimal(p, "price", out price) || price <= 0) return Bad(-1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
                if (price % listing.TickSize != 0) return spot ? Bad(-1013, "Filter failure: PRICE_FILTER") : Bad(-4014, "Price not increased by tick size.");
                timeInForce = p.GetValueOrDefault("timeInForce") ?? "";
                if (timeInForce is not ("GTC" or "IOC" or "FOK")) return Bad(-1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.");
            }
            else if (p.ContainsKey("price")) return Bad(-1106, "Parameter 'price' sent when not required.");
            var reduceOnly = false;
            if (p.TryGetValue("reduceOnly", out var reduce))
            {
                if (spot) return Bad(-1104, "Not all sent parameters were read.");
                if (reduce is not ("true" or "false")) return Bad(-1100, "Illegal characters found in parameter 'reduceOnly'.");
                reduceOnly = reduce == "true";
            }
            var id = named ?? $"fake-auto-{++nextAutoId}";
            if (!ValidId(id)) return Bad(-1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.");
            if (Taken(market, listing.Symbol, id)) return Duplicate(market);

            var book = Book(simulator);
            var reference = type == "LIMIT" ? price : book.Mid;
            if (!reduceOnly && quantity * reference < listing.MinNotional)
                return spot ? Bad(-1013, "Filter failure: NOTIONAL")
                    : Bad(-4164, $"Order's notional must be no smaller than {listing.MinNotional.ToString(CultureInfo.InvariantCulture)} (unless you choose reduce only).");
            var order = new FakeOrder
            {
                Market = market, Symbol = listing.Symbol, OrderId = spot ? ++nextSpotOrderId : ++nextFuturesOrderId, ClientOrderId = id,
                Side = p["side"], Type = type, TimeInForce = timeInForce, Quantity = quantity, Price = price, ReduceOnly = reduceOnly,
                PlacedAt = now, UpdatedAt = now,
            };
            if (reduceOnly && ReducibleBy(order) == 0) return Bad(-2022, "ReduceOnly Order is rejected.");
            if (Execute(order, book, Faults.TakePartial()) is { } refused) return refused;
            var body = spot
                ? Spot(order, p.GetValueOrDefault("newOrderRespType", "FULL") == "FULL" ? SpotShape.Full : SpotShape.Result, fills.Where(f => f.OrderId == order.OrderId && f.Market == market))
                : Futures(order, listing, query: false);
            return AfterAcceptFault(new FakeReply(200, body));
        }
    }

    /// <summary><c>GET /api/v3/order</c> and <c>/fapi/v1/order</c>: by origClientOrderId or orderId.</summary>
    internal FakeReply Query(FakeMarket market, Dictionary<string, string> p)
    {
        lock (gate)
        {
            if (Faults.TakeQueryFailure() is { } status) return new(status, Error(-1001, "Internal error; unable to process your request. Please try again."));
            if (Listing(market, p) is not { } simulator) return SymbolError(p);
            if (FindOrder(market, simulator.Symbol, p, out var missing) is not { } order) return missing ?? Bad(-2013, "Order does not exist.");
            return new(200, market == FakeMarket.Spot ? Spot(order, SpotShape.Query) : Futures(order, simulator.Listing, query: true));
        }
    }

    /// <summary><c>DELETE /api/v3/order</c> and <c>/fapi/v1/order</c>. Canceling a leg of an OCO cancels the list, as on Binance.</summary>
    internal FakeReply Cancel(FakeMarket market, Dictionary<string, string> p)
    {
        lock (gate)
        {
            if (Listing(market, p) is not { } simulator) return SymbolError(p);
            var order = FindOrder(market, simulator.Symbol, p, out var missing);
            if (missing is not null) return missing;
            if (order is not { IsOpen: true }) return Bad(-2011, "Unknown order sent.");
            var now = Now();
            foreach (var o in order.List?.Legs ?? [order])
                if (o.IsOpen)
                {
                    o.Status = "CANCELED";
                    o.UpdatedAt = now;
                    Finish(o);
                }
            return new(200, market == FakeMarket.Spot ? Spot(order, SpotShape.Cancel, cancelId: $"fake-cancel-{++nextCancelId}") : Futures(order, simulator.Listing, query: false));
        }
    }

    /// <summary><c>GET openOrders</c>: one symbol's, or every symbol's without one.</summary>
    internal FakeReply OpenOrders(FakeMarket market, Dictionary<string, string> p)
    {
        lock (gate)
        {
            MarketSimulator? only = null;
            if (p.ContainsKey("symbol") && (only = Listing(market, p)) is null) return SymbolError(p);
            var items = open.Where(kv => kv.Key.Item1 == market && (only is null || kv.Key.Symbol == only.Symbol)).SelectMany(kv => kv.Value)
                .OrderBy(o => o.OrderId)
                .Select(o => market == FakeMarket.Spot ? Spot(o, SpotShape.Query) : Futures(o, simulators[(market, o.Symbol)].Listing, query: true));
            return new(200, FakeOrderJson.Array(items));
        }
    }

    /// <summary>
    /// Spot <c>myTrades</c> / futures <c>userTrades</c>: by symbol, optionally orderId, fromId, startTime/endTime (at
    /// most 24 h apart on spot, 7 days on futures, as Binance enforces) and limit (default 500, at most 1000).
    /// </summary>
    internal FakeReply Trades(FakeMarket market, Dictionary<string, string> p)
    {
        lock (gate)
        {
            if (Listing(market, p) is not { } simulator) return SymbolError(p);
            var window = market == FakeMarket.Spot ? TimeSpan.FromHours(24) : TimeSpan.FromDays(7);
            DateTimeOffset? start = TryLong(p, "startTime", out var s) ? DateTimeOffset.FromUnixTimeMilliseconds(s) : null;
            DateTimeOffset? end = TryLong(p, "endTime", out var e) ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null;
            if (start is { } a && end is { } b && b - a > window)
                return Bad(-1127, market == FakeMarket.Spot ? "More than 24 hours between startTime and endTime." : "More than 7 days between startTime and endTime.");
            if (start is not null && end is null) end = start + window;
            if (end is not null && start is null) start = end - window;
            var limit = TryLong(p, "limit", out var l) ? (int)Math.Clamp(l, 1, 1000) : 500;
            IEnumerable<FakeFill> selected = fills.Where(f => f.Market == market && f.Symbol == simulator.Symbol);
            if (TryLong(p, "orderId", out var orderId)) selected = selected.Where(f => f.OrderId == orderId);
            if (TryLong(p, "fromId", out var fromId)) selected = selected.Where(f => f.TradeId >= fromId);
            if (start is { } from) selected = selected.Where(f => f.At >= from && f.At <= end);
            var ordered = selected.OrderBy(f => f.TradeId).ToList();
            // Without a time or id to start from, Binance answers the most recent trades.
            var page = start is null && !p.ContainsKey("fromId") && !p.ContainsKey("orderId") ? ordered.TakeLast(limit) : ordered.Take(limit);
            return new(200, FakeOrderJson.Array(page.Select(f => market == FakeMarket.Spot
                ? SpotTrade(f, byOrderId[(market, f.OrderId)].List?.Id ?? -1)
                : FuturesTrade(f, simulator.Listing))));
        }
    }

    /// <summary><c>GET /api/v3/account</c>: balances as fills and resting orders left them; <c>omitZeroBalances=true</c> drops empty ones.</summary>
    internal FakeReply Account(Dictionary<string, string> p)
    {
        lock (gate)
        {
            var omit = p.GetValueOrDefault("omitZeroBalances") == "true";
            var list = balances.Select(b => new FakeBalance(b.Key, b.Value.Free, b.Value.Locked)).Where(b => !omit || b.Free != 0 || b.Locked != 0);
            return new(200, FakeOrderJson.Account(list, Now()));
        }
    }

    /// <summary><c>GET /fapi/v2/positionRisk</c> (every listed symbol) and <c>/fapi/v3/positionRisk</c> (open positions only).</summary>
    internal FakeReply PositionRisk(Dictionary<string, string> p, bool v3)
    {
        lock (gate)
        {
            var now = Now();
            var symbols = simulators.Values.Where(s => s.Market == FakeMarket.Futures && (!p.TryGetValue("symbol", out var only) || only == s.Symbol));
            var items = new List<string>();
            foreach (var simulator in symbols.OrderBy(s => s.Symbol, StringComparer.Ordinal))
            {
                var (amount, entry) = positions.GetValueOrDefault(simulator.Symbol);
                if (v3 && amount == 0) continue;
                items.Add(FakeOrderJson.Position(new FakePosition(simulator.Symbol, amount, entry), Book(simulator).Mid, now));
            }
            return new(200, FakeOrderJson.Array(items));
        }
    }

    // ---- shared checks ----

    /// <summary>The scripted faults that answer before anything is placed.</summary>
    private FakeReply? BeforeAcceptFault()
    {
        if (Faults.TakeRateLimit() is { } wait) return new(429, Error(-1015, "Too many new orders; current limit is 100 orders per 10 SECOND."), RetryAfter: wait);
        if (Faults.TakeReject() is { } reject) return Bad(reject.Code, reject.Message);
        if (Faults.TakeFailBefore() is { } status) return new(status, Error(-1001, "Internal error; unable to process your request. Please try again."));
        return null;
    }

    /// <summary>The scripted faults that hit the answer of an order already placed.</summary>
    private FakeReply AfterAcceptFault(FakeReply reply) => Faults.TakeAfterAccept() switch
    {
        FakeOrderFaults.Fail fail => new(fail.Status, Error(fail.Code, fail.Code switch
        {
            -1007 => "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
            -1006 => "An unexpected response was received from the message bus. Execution status unknown.",
            -1001 => "Internal error; unable to process your request. Please try again.",
            _ => "An unknown error occurred while processing the request.",
        })),
        FakeOrderFaults.Delay delay => reply with { Delay = delay.Wait },
        FakeOrderFaults.Drop => reply with { Abort = true },
        _ => reply,
    };

    private MarketSimulator? Listing(FakeMarket market, Dictionary<string, string> p) =>
        p.TryGetValue("symbol", out var symbol) && simulators.TryGetValue((market, symbol), out var simulator) ? simulator : null;

    private static FakeReply SymbolError(Dictionary<string, string> p) => p.ContainsKey("symbol")
        ? Bad(-1121, "Invalid symbol.") : Bad(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");

    private FakeOrder? FindOrder(FakeMarket market, string symbol, Dictionary<string, string> p, out FakeReply? missing)
    {
        missing = null;
        if (p.TryGetValue("origClientOrderId", out var id)) return Latest(market, symbol, id);
        if (TryLong(p, "orderId", out var orderId)) return byOrderId.GetValueOrDefault((market, orderId)) is { } o && o.Symbol == symbol ? o : null;
        missing = Bad(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
        return null;
    }

    private FakeOrder? Latest(FakeMarket market, string symbol, string clientOrderId) =>
        byClientId.TryGetValue((market, symbol, clientOrderId), out var list) ? list[^1] : null;

    /// <summary>
    /// Whether the id is in use. By default any earlier order with it counts (what the tests assume); with
    /// <see cref="FakeExchangeOptions.DuplicateClientOrderIdsAmongOpenOnly"/> only an open one does, as on real Binance.
    /// </summary>
    private bool Taken(FakeMarket market, string symbol, string id) =>
        byClientId.TryGetValue((market, symbol, id), out var list) && (!options.DuplicateClientOrderIdsAmongOpenOnly || list.Any(o => o.IsOpen));

    private static FakeReply Duplicate(FakeMarket market) =>
        market == FakeMarket.Spot ? Bad(-2010, "Duplicate order sent.") : Bad(-4116, "ClientOrderId is duplicated.");

    private static FakeReply Bad(int code, string msg) => new(400, Error(code, msg));

    private static bool ValidId(string id) => IdPattern().IsMatch(id);

    [GeneratedRegex("^[.A-Z:/a-z0-9_-]{1,36}$")]
    private static partial Regex IdPattern();

    private static bool TryDecimal(Dictionary<string, string> p, string name, out decimal value)
    {
        value = 0;
        return p.TryGetValue(name, out var text) && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryLong(Dictionary<string, string> p, string name, out long value)
    {
        value = 0;
        return p.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The fake clock to the millisecond: Binance reports times in ms, so the truth holds what the answers say.</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(options.Clock.GetUtcNow().ToUnixTimeMilliseconds());

    private static void Increment(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
