using System.Collections.Concurrent;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>One scripted answer of <see cref="ScriptedChannel.PlaceAsync"/>: builds the channel's result from the request, or throws.</summary>
public delegate ChannelResult PlaceScript(OrderRequest request, ScriptedChannel channel);

/// <summary>The answers a test scripts for place calls.</summary>
public static class Answer
{
    /// <summary>Known, FILLED at once with the given fills (trade id, quantity, price); a single fill of the whole quantity at 100.05 when none are given.</summary>
    public static PlaceScript Filled(params (string TradeId, decimal Quantity, decimal Price)[] fills) => (r, c) =>
        ChannelResult.Known(c.Order(r, OrderStatus.Filled, fills.Length == 0 ? [c.Fill($"{r.IntentId}-t1", r.Quantity, 100.05m)] : [.. fills.Select(f => c.Fill(f.TradeId, f.Quantity, f.Price))]));

    /// <summary>Known with fills priced with a fee in <paramref name="feeAsset"/>.</summary>
    public static PlaceScript FilledWithFee(string tradeId, decimal quantity, decimal price, decimal fee, string feeAsset) => (r, c) =>
        ChannelResult.Known(c.Order(r, OrderStatus.Filled, [c.Fill(tradeId, quantity, price, fee, feeAsset)]));

    /// <summary>Known, PARTIALLY_FILLED with the given fills.</summary>
    public static PlaceScript PartiallyFilled(params (string TradeId, decimal Quantity, decimal Price)[] fills) => (r, c) =>
        ChannelResult.Known(c.Order(r, OrderStatus.PartiallyFilled, [.. fills.Select(f => c.Fill(f.TradeId, f.Quantity, f.Price))]));

    /// <summary>Known, ACCEPTED (resting, nothing executed).</summary>
    public static PlaceScript Accepted() => (r, c) => ChannelResult.Known(c.Order(r, OrderStatus.Accepted, []));

    public static PlaceScript Rejected(string code = ChannelReasons.Rejected, string detail = "-2010 insufficient balance") => (_, _) => ChannelResult.Rejected(code, detail);

    public static PlaceScript Unknown(string detail = "-1007 timeout") => (_, _) => ChannelResult.Unknown(ChannelReasons.Unknown, detail);

    public static PlaceScript Throws(Exception e) => (_, _) => throw e;
}

/// <summary>
/// A channel whose every answer the test scripts. It records each place call per client order id, keeps what "the
/// exchange" has (orders it answered Known for, their fills, and whatever the test adds) for queries, open orders,
/// fills and holdings, and answers queries from a per-order script first (found / null / throw), then from what it has.
/// </summary>
public sealed class ScriptedChannel : IOrderChannel
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<PlaceScript>> placeScripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<ChannelOrder?>>> queryScripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<ChannelResult>>> cancelScripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<OrderRequest>> placed = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> queried = new();
    private readonly ConcurrentQueue<string> canceled = new();
    private readonly TimeProvider time;

    public ScriptedChannel(TimeProvider time) => this.time = time;

    public string Name => "scripted";

    /// <summary>How a place call with no script of its own answers: FILLED at 100.05.</summary>
    public PlaceScript DefaultPlace { get; set; } = Answer.Filled();

    /// <summary>Awaited inside every place call before it answers (to hold an order in flight).</summary>
    public Func<OrderRequest, Task>? Hold { get; set; }

    /// <summary>What the exchange has, by client order id (every Known answer lands here).</summary>
    public ConcurrentDictionary<string, ChannelOrder> Exchange { get; } = new(StringComparer.Ordinal);

    /// <summary>Every execution the exchange reports, per instrument key.</summary>
    public ConcurrentDictionary<string, List<ChannelFill>> ExchangeFills { get; } = new(StringComparer.Ordinal);

    public List<ChannelHolding> SpotBalances { get; } = [];
    public List<ChannelHolding> FuturesPositions { get; } = [];

    // ---- scripting ----

    public void ScriptPlace(string intentId, params PlaceScript[] answers)
    {
        var queue = placeScripts.GetOrAdd(ClientOrderId.For(intentId), _ => new());
        foreach (var a in answers) queue.Enqueue(a);
    }

    /// <summary>The next queries of the intent's order answer this way, one per query, in order.</summary>
    public void ScriptQuery(string intentId, params Func<ChannelOrder?>[] answers)
    {
        var queue = queryScripts.GetOrAdd(ClientOrderId.For(intentId), _ => new());
        foreach (var a in answers) queue.Enqueue(a);
    }

    public void ScriptQueryRepeated(string intentId, int times, Func<ChannelOrder?> answer) => ScriptQuery(intentId, [.. Enumerable.Repeat(answer, times)]);

    public void ScriptCancel(string intentId, params Func<ChannelResult>[] answers)
    {
        var queue = cancelScripts.GetOrAdd(ClientOrderId.For(intentId), _ => new());
        foreach (var a in answers) queue.Enqueue(a);
    }

    public static Func<ChannelOrder?> NotFound => () => null;
    public static Func<ChannelOrder?> Unavailable => () => throw new ChannelUnavailableException("EXE-CHANNEL-UNAVAILABLE", "503 from the exchange");

    // ---- what was asked ----

    public int PlaceCalls => placed.Values.Sum(l => { lock (l) return l.Count; });
    public int PlacesOf(string intentId) => placed.TryGetValue(ClientOrderId.For(intentId), out var l) ? l.Count : 0;
    public IReadOnlyList<OrderRequest> RequestsOf(string intentId) => placed.TryGetValue(ClientOrderId.For(intentId), out var l) ? [.. l] : [];
    public int Queries => queried.Count;
    public int QueriesOf(string intentId) => queried.Count(c => c == ClientOrderId.For(intentId));
    public int Cancels => canceled.Count;

    // ---- building what the exchange says ----

    public ChannelFill Fill(string tradeId, decimal quantity, decimal price, decimal fee = 0m, string feeAsset = "USDT")
        => new(tradeId, quantity, price, fee, feeAsset, false, time.GetUtcNow());

    public ChannelOrder Order(OrderRequest r, OrderStatus status, IReadOnlyList<ChannelFill> fills) => new(
        r.ClientOrderId, $"x-{r.ClientOrderId[3..11]}", r.Instrument, r.Side, r.Type, status, r.Quantity, r.LimitPrice,
        fills.Sum(f => f.Quantity), fills.Sum(f => f.Quantity * f.Price), fills, time.GetUtcNow());

    /// <summary>The exchange's view of an order the router placed (its last request), with <paramref name="fills"/> so far; remembered as the exchange's.</summary>
    public ChannelOrder Report(string intentId, OrderStatus status, params ChannelFill[] fills)
    {
        var requests = RequestsOf(intentId);
        Assert.NotEmpty(requests);
        var order = Order(requests[^1], status, fills);
        Remember(order);
        return order;
    }

    /// <summary>An order on the exchange that Tollgate's router did not place.</summary>
    public ChannelOrder Foreign(string clientOrderId, Instrument instrument, OrderStatus status = OrderStatus.Accepted)
    {
        var order = new ChannelOrder(clientOrderId, $"x-{clientOrderId}", instrument, OrderSide.Buy, OrderType.Limit, status, 1m, 99m, 0m, 0m, [], time.GetUtcNow());
        Exchange[clientOrderId] = order;
        return order;
    }

    public void AddExchangeFill(Instrument instrument, ChannelFill fill)
    {
        var list = ExchangeFills.GetOrAdd(instrument.Key, _ => []);
        lock (list) list.Add(fill);
    }

    private void Remember(ChannelOrder order)
    {
        Exchange[order.ClientOrderId] = order;
        var list = ExchangeFills.GetOrAdd(order.Instrument.Key, _ => []);
        lock (list)
            foreach (var f in order.Fills)
                if (!list.Any(x => x.TradeId == f.TradeId)) list.Add(f);
    }

    // ---- IOrderChannel ----

    public async Task<ChannelResult> PlaceAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        var calls = placed.GetOrAdd(request.ClientOrderId, _ => []);
        lock (calls) calls.Add(request);
        if (Hold is { } hold) await hold(request);
        var script = placeScripts.TryGetValue(request.ClientOrderId, out var queue) && queue.TryDequeue(out var s) ? s : DefaultPlace;
        var result = script(request, this);
        if (result.Outcome == ChannelOutcome.Known) Remember(result.Order!);
        return result;
    }

    public Task<ChannelOrder?> QueryAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken)
    {
        queried.Enqueue(clientOrderId);
        if (queryScripts.TryGetValue(clientOrderId, out var queue) && queue.TryDequeue(out var answer))
        {
            var found = answer();
            if (found is not null) Remember(found);
            return Task.FromResult(found);
        }
        return Task.FromResult(Exchange.GetValueOrDefault(clientOrderId));
    }

    public Task<ChannelResult> CancelAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken)
    {
        canceled.Enqueue(clientOrderId);
        if (cancelScripts.TryGetValue(clientOrderId, out var queue) && queue.TryDequeue(out var script))
            return Task.FromResult(script());
        if (!Exchange.TryGetValue(clientOrderId, out var order) || order.Status.IsTerminal())
            return Task.FromResult(ChannelResult.Rejected(ChannelReasons.Rejected, "-2011 unknown order"));
        var ended = order with { Status = OrderStatus.Canceled, UpdatedAt = time.GetUtcNow() };
        Exchange[clientOrderId] = ended;
        return Task.FromResult(ChannelResult.Known(ended));
    }

    public Task<IReadOnlyList<ChannelOrder>> OpenOrdersAsync(Instrument instrument, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<ChannelOrder>>([.. Exchange.Values.Where(o => ReferenceEquals(o.Instrument, instrument) && !o.Status.IsTerminal())]);

    public Task<IReadOnlyList<ChannelFill>> FillsAsync(Instrument instrument, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (!ExchangeFills.TryGetValue(instrument.Key, out var list)) return Task.FromResult<IReadOnlyList<ChannelFill>>([]);
        lock (list) return Task.FromResult<IReadOnlyList<ChannelFill>>([.. list.Where(f => f.At >= since)]);
    }

    public Task<IReadOnlyList<ChannelHolding>> HoldingsAsync(MarketKind market, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<ChannelHolding>>(market == MarketKind.Spot ? [.. SpotBalances] : [.. FuturesPositions]);
}
