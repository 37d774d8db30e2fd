using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Positions;
using Tollgate.Markets.Risk;

namespace Tollgate.Markets.Execution;

/// <summary>How the router of one environment behaves.</summary>
/// <param name="Environment">PAPER or LIVE: the cohort key, and the kill switch it obeys.</param>
/// <param name="InFlightAfter">How long an order may stay SUBMITTED before it is queried.</param>
/// <param name="MaxInFlightQueries">Queries after which an order the channel does not have is marked never placed, or one the channel cannot answer is marked stuck.</param>
public sealed record RouterOptions(string Environment, TimeSpan InFlightAfter, int MaxInFlightQueries = 5)
{
    public static RouterOptions For(string environment) => new(environment, TimeSpan.FromSeconds(2));
}

/// <summary>
/// The order router (seed 002 S4): per intent, in this order and each step recorded, idempotency (the intent id
/// names one client order id; an intent seen before returns its recorded result), intent validation, the kill
/// switch, pre-trade risk, the write-ahead SUBMITTED record and the pre-execution log, the kill switch once more
/// immediately before the channel call, the call, and the result. A channel outcome that is not known is never
/// resent: the order stays SUBMITTED and the in-flight check queries it by client order id.
/// </summary>
/// <remarks>
/// Everything that changes an order or a position runs under that instrument's lock, so routing, channel updates,
/// in-flight checks and reconciliation never act on one instrument at once. Different instruments run in parallel.
/// </remarks>
public sealed class OrderRouter
{
    private readonly InstrumentTable universe;
    private readonly IExecutionStore store;
    private readonly IOrderChannel channel;
    private readonly IStopSignal stop;
    private readonly PreTradeRisk risk;
    private readonly IBookView books;
    private readonly IHealthView health;
    private readonly PositionBook positions;
    private readonly IExecutionJournal journal;
    private readonly IOrderResultSink results;
    private readonly ExecutionMetrics metrics;
    private readonly TimeProvider time;
    private readonly RouterOptions options;
    private readonly PositionLocks locks = new();
    private readonly ConcurrentDictionary<string, LiveOrder> live = new(StringComparer.Ordinal);
    /// <summary>Orders seen ending, the latest <see cref="EndedKept"/>: a redelivery soon after is answered from memory; later ones from the store.</summary>
    private readonly ConcurrentDictionary<string, RouteResult> ended = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> endedOrder = new();
    private const int EndedKept = 50_000;

    public OrderRouter(InstrumentTable universe, IExecutionStore store, IOrderChannel channel, IStopSignal stop, PreTradeRisk risk, IBookView books,
        IHealthView health, PositionBook positions, IExecutionJournal journal, IOrderResultSink results, ExecutionMetrics metrics, TimeProvider time, RouterOptions options)
    {
        this.universe = universe;
        this.store = store;
        this.channel = channel;
        this.stop = stop;
        this.risk = risk;
        this.books = books;
        this.health = health;
        this.positions = positions;
        this.journal = journal;
        this.results = results;
        this.metrics = metrics;
        this.time = time;
        this.options = options;
    }

    public string Environment => options.Environment;
    public IOrderChannel Channel => channel;
    public PositionBook Positions => positions;
    public IHealthView Health => health;
    public PositionLocks Locks => locks;
    internal IExecutionStore Store => store;
    internal ExecutionMetrics Metrics => metrics;

    /// <summary>Orders the router still follows (SUBMITTED, ACCEPTED, PARTIALLY_FILLED, PENDING_CANCEL).</summary>
    public int OpenOrders => live.Count;

    /// <summary>Client order ids of the orders the router still follows.</summary>
    public IReadOnlyCollection<string> OpenClientOrderIds => [.. live.Keys];

    public async Task<RouteResult> RouteAsync(OrderIntent intent, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (string.IsNullOrWhiteSpace(intent.IntentId) || intent.IntentId.Length > IntentValidation.MaxIntentIdLength)
        {
            // Without an id nothing can be recorded under it; the refusal is the answer and nothing is sent.
            metrics.Intent(Environment, intent.ConfigRev ?? "");
            metrics.Status(Environment, intent.ConfigRev ?? "", "REJECTED", IntentRejection.MissingId.Code());
            return Unrecorded(intent, IntentRejection.MissingId.Code(), "an intent needs an id of 1-128 characters");
        }
        if (intent.ConfigRev is null) intent = intent with { ConfigRev = "" };
        var clientOrderId = ClientOrderId.For(intent.IntentId);
        if (await RecordedAsync(clientOrderId, intent, cancellationToken) is { } recorded) return recorded;

        using var held = await locks.AcquireAsync(intent.Instrument, cancellationToken);
        // A delivery that raced this one in this process is in memory by now; one on another host loses at the insert.
        if (RecordedHere(clientOrderId, intent) is { } raced) return raced;
        metrics.Intent(Environment, intent.ConfigRev);

        var trail = new List<string>(6) { "idempotency:new" };
        var now = time.GetUtcNow();
        var top = books.Top(intent.Instrument, 3);
        var rejection = IntentValidation.Validate(intent, universe, top?.Mid);
        trail.Add($"validation:{rejection.Code()}");
        if (rejection != IntentRejection.None) return await RefuseAsync(intent, clientOrderId, intent.Quantity, rejection.Code(), trail, "intent refused", now, started, cancellationToken);

        if (stop.IsEngaged)
        {
            trail.Add("kill:ENGAGED");
            return await RefuseAsync(intent, clientOrderId, intent.Quantity, ExecutionReasons.Kill, trail, "the kill switch is engaged", now, started, cancellationToken);
        }
        trail.Add("kill:off");

        var facts = positions.Facts(intent.Instrument);
        var level = health.HealthOf(intent.Instrument);
        RiskDecision verdict;
        lock (risk) verdict = risk.Check(intent, new RiskContext(top?.BestBid, top?.BestAsk, facts.Position, facts.OpenPositions, facts.MarginInUse, level, now));
        trail.Add(verdict.Passed ? $"risk:PASS qty={Text(verdict.Quantity)} health={level}" : $"risk:{verdict.Refusal.Code()}");
        if (!verdict.Passed) return await RefuseAsync(intent, clientOrderId, intent.Quantity, verdict.Refusal.Code(), trail, verdict.Detail, now, started, cancellationToken);

        var request = OrderRequest.For(intent, clientOrderId, verdict.Quantity);
        var record = RecordOf(intent, clientOrderId, verdict.Quantity, now, top?.Mid, TopText(top));
        trail.Add("send");
        if (!await store.TryAddOrderAsync(record, Event(clientOrderId, 0, OrderStatus.Initialized, now, null, string.Join("; ", trail), 0, null, null), cancellationToken))
            return await ReplayAsync(clientOrderId, intent, cancellationToken);
        var order = new LiveOrder(record, intent.Instrument, OrderStatus.Initialized, 1, 0);
        live[clientOrderId] = order;

        try
        {
            await LogAsync(order, ExecutionPhase.Pre, "ROUTED", new Dictionary<string, string>
            {
                ["trail"] = string.Join("; ", trail), ["quantity"] = Text(verdict.Quantity), ["side"] = intent.Side.ToString().ToUpperInvariant(),
                ["type"] = intent.Type.ToString().ToUpperInvariant(), ["instrument"] = intent.Instrument.Key, ["mid_at_send"] = top?.Mid is { } m ? Text(m) : "",
            }, cancellationToken);
        }
        catch (ExecutionJournalException e)
        {
            await ChangeAsync(order, OrderStatus.Rejected, ExecutionReasons.AuditUnavailable, $"not sent: {e.Message}", cancellationToken);
            return Finish(order, started);
        }

        order.SubmittedAt = time.GetUtcNow();
        order.Sent = true;
        await ChangeAsync(order, OrderStatus.Submitted, null, $"sent to {channel.Name}", cancellationToken);
        // The last look at the switch is the statement before the call: an order sent after the switch is observed is a bug.
        if (stop.IsEngaged)
        {
            await ChangeAsync(order, OrderStatus.Rejected, ExecutionReasons.Kill, "the kill switch engaged before the order left", cancellationToken);
            return Finish(order, started);
        }
        lock (risk) risk.Commit(intent, now);
        var sent = Stopwatch.GetTimestamp();
        ChannelResult outcome;
        try
        {
            outcome = await channel.PlaceAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = ChannelResult.Unknown(ChannelReasons.Unknown, $"{e.GetType().Name}: {e.Message}");
        }
        metrics.ChannelCall(Environment, intent.ConfigRev, Stopwatch.GetElapsedTime(sent), outcome.Outcome != ChannelOutcome.Unknown);
        await ApplyOutcomeAsync(order, outcome, cancellationToken);
        return Finish(order, started);
    }

    /// <summary>A change the channel reported on its own (Paper's resting orders filling, an exchange's user stream).</summary>
    public async Task ObserveAsync(ChannelOrder observed, CancellationToken cancellationToken)
    {
        if (!live.TryGetValue(observed.ClientOrderId, out var order)) return;
        using var held = await locks.AcquireAsync(order.Instrument, cancellationToken);
        if (live.ContainsKey(observed.ClientOrderId)) await ApplyAsync(order, observed, "observed", cancellationToken);
    }

    /// <summary>
    /// The in-flight check: every order SUBMITTED for longer than <see cref="RouterOptions.InFlightAfter"/> is queried
    /// by its client order id — never sent again. Returns how many were queried.
    /// </summary>
    public async Task<int> CheckInFlightAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var queried = 0;
        foreach (var order in live.Values.Where(o => o.Status == OrderStatus.Submitted && now - o.SubmittedAt >= options.InFlightAfter).ToList())
        {
            using var held = await locks.AcquireAsync(order.Instrument, cancellationToken);
            // Looked at again under the lock: the order may have been answered, or only just sent, while we waited.
            if (!live.ContainsKey(order.Record.ClientOrderId) || order.Status != OrderStatus.Submitted || time.GetUtcNow() - order.SubmittedAt < options.InFlightAfter) continue;
            queried++;
            await QueryAsync(order, cancellationToken);
        }
        return queried;
    }

    /// <summary>Cancels an open order; the answer is applied as any other.</summary>
    public async Task<RouteResult?> CancelAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        if (!live.TryGetValue(clientOrderId, out var order)) return ended.GetValueOrDefault(clientOrderId);
        using var held = await locks.AcquireAsync(order.Instrument, cancellationToken);
        if (!live.ContainsKey(clientOrderId)) return ended.GetValueOrDefault(clientOrderId);
        var before = order.Status;
        if (before is OrderStatus.Accepted or OrderStatus.PartiallyFilled or OrderStatus.Submitted)
            await ChangeAsync(order, OrderStatus.PendingCancel, null, "cancel requested", cancellationToken);
        var outcome = await channel.CancelAsync(order.Instrument, clientOrderId, cancellationToken);
        if (outcome.Outcome == ChannelOutcome.Known) await ApplyAsync(order, outcome.Order!, "cancel", cancellationToken);
        else if (order.Status == OrderStatus.PendingCancel)
            await AppendAsync(order, OrderStateMachine.Next(OrderStatus.PendingCancel, OrderEventKind.CancelRejected, before), outcome.Code, outcome.Detail ?? "cancel refused", cancellationToken);
        return Result(order, replayed: false);
    }

    /// <summary>
    /// Picks up where a previous run stopped, before anything is routed: the positions are rebuilt from every
    /// recorded fill (the fills are the truth; a run may have stopped between a fill and its snapshot), the orders
    /// it left open are followed again, and one it stopped before sending (INITIALIZED, never SUBMITTED: SUBMITTED is
    /// written before every call) is REJECTED with EXE-ORDER-ABANDONED, since it never left. Returns the orders followed.
    /// </summary>
    public async Task<int> ResumeAsync(CancellationToken cancellationToken)
    {
        if (!positions.IsEmpty) throw new InvalidOperationException("resume rebuilds the positions from the recorded fills: give it a fresh position book");
        var orders = new Dictionary<string, StoredOrder>(StringComparer.Ordinal);
        await foreach (var stored in store.OrdersAsync(cancellationToken)) orders[stored.Order.ClientOrderId] = stored;
        await RebuildPositionsAsync(orders, cancellationToken);

        var resumed = 0;
        foreach (var stored in orders.Values)
        {
            if (stored.Status.IsTerminal() || universe.Find(stored.Order.InstrumentKey) is not { } instrument) continue;
            var last = stored.Last;
            var order = new LiveOrder(stored.Order, instrument, last.Status, stored.Events.Count, last.ExecutedQuantity)
            {
                AveragePrice = last.AveragePrice, ExchangeOrderId = last.ExchangeOrderId, SubmittedAt = last.At, Sent = last.Status != OrderStatus.Initialized,
            };
            foreach (var fill in await store.FillsAsync(stored.Order.ClientOrderId, cancellationToken)) order.Trades.Add(fill.TradeId);
            if (!live.TryAdd(stored.Order.ClientOrderId, order)) continue;
            if (last.Status == OrderStatus.Initialized)
                await ChangeAsync(order, OrderStatus.Rejected, ExecutionReasons.Abandoned, "the previous run stopped before sending it; it never left", cancellationToken);
            else resumed++;
        }
        return resumed;
    }

    /// <summary>
    /// Settles what a previous run left SUBMITTED, before the startup reconciliation compares: each is queried up to
    /// <paramref name="attempts"/> times; one the channel has is applied, one it still does not have is REJECTED with
    /// EXE-ORDER-NOT-FOUND (the run that sent it is gone, so nothing else will). Never resent. Returns how many were settled.
    /// </summary>
    public async Task<int> SettleSubmittedAsync(int attempts, TimeSpan delay, CancellationToken cancellationToken)
    {
        var settled = 0;
        foreach (var order in live.Values.Where(o => o.Status == OrderStatus.Submitted).ToList())
        {
            using var held = await locks.AcquireAsync(order.Instrument, cancellationToken);
            for (var attempt = 1; attempt <= attempts && order.Status == OrderStatus.Submitted; attempt++)
            {
                ChannelOrder? found;
                try { found = await channel.QueryAsync(order.Instrument, order.Record.ClientOrderId, cancellationToken); }
                catch (ChannelUnavailableException) { found = null; if (attempt == attempts) break; await Task.Delay(delay, cancellationToken); continue; }
                if (found is not null) { await ApplyAsync(order, found, "startup query", cancellationToken); break; }
                if (attempt == attempts)
                    await ChangeAsync(order, OrderStatus.Rejected, ExecutionReasons.NotFound,
                        $"{channel.Name} has no order {order.Record.ClientOrderId} after {attempts} queries at startup", cancellationToken);
                else await Task.Delay(delay, cancellationToken);
            }
            if (order.Status != OrderStatus.Submitted) settled++;
        }
        return settled;
    }

    private async Task RebuildPositionsAsync(Dictionary<string, StoredOrder> orders, CancellationToken cancellationToken)
    {
        var fills = (await store.FillsSinceAsync(DateTimeOffset.MinValue, cancellationToken))
            .OrderBy(f => f.At).ThenBy(f => f.InstrumentKey, StringComparer.Ordinal).ThenBy(f => f.TradeId.Length).ThenBy(f => f.TradeId, StringComparer.Ordinal);
        foreach (var fill in fills)
        {
            if (universe.Find(fill.InstrumentKey) is not { } instrument || !orders.TryGetValue(fill.ClientOrderId, out var stored)) continue;
            var r = stored.Order;
            var wasFlat = positions.OpenQuantity(instrument) == 0;
            try
            {
                positions.Apply(instrument, fill.Side, fill.Quantity, fill.Price, IsQuoteAsset(instrument, fill.FeeAsset) ? fill.Fee : 0m, fill.TradeId, fill.At);
                if (wasFlat && !r.ReduceOnly) positions.Protect(instrument, r.StopLoss, r.TakeProfit);
            }
            catch (PositionException)
            {
                // Refused when it was first recorded too (an EXE-POSITION event says so): the position was left as it was then.
            }
        }
    }

    private async Task<RouteResult?> RecordedAsync(string clientOrderId, OrderIntent intent, CancellationToken cancellationToken)
    {
        if (RecordedHere(clientOrderId, intent) is { } here) return here;
        if (await store.GetOrderAsync(clientOrderId, cancellationToken) is { } stored) return Hit(intent, RouteResult.From(stored, replayed: true));
        return null;
    }

    /// <summary>The answer this process holds for the client order id: an order it follows, or one it saw end recently.</summary>
    private RouteResult? RecordedHere(string clientOrderId, OrderIntent intent)
    {
        if (live.TryGetValue(clientOrderId, out var order)) return Hit(intent, Result(order, replayed: true));
        if (ended.TryGetValue(clientOrderId, out var result)) return Hit(intent, result with { Replayed = true });
        return null;
    }

    private RouteResult Hit(OrderIntent intent, RouteResult result)
    {
        metrics.IdempotencyHit(Environment, intent.ConfigRev ?? "");
        return result;
    }

    private async Task<RouteResult> ReplayAsync(string clientOrderId, OrderIntent intent, CancellationToken cancellationToken)
        => await RecordedAsync(clientOrderId, intent, cancellationToken)
           ?? throw new InvalidOperationException($"{clientOrderId}: the store refused a new order but has none under its id");

    private async Task<RouteResult> RefuseAsync(OrderIntent intent, string clientOrderId, decimal quantity, string code, List<string> trail, string detail,
        DateTimeOffset now, long started, CancellationToken cancellationToken)
    {
        var record = RecordOf(intent, clientOrderId, quantity, now);
        if (!await store.TryAddOrderAsync(record, Event(clientOrderId, 0, OrderStatus.Initialized, now, null, string.Join("; ", trail), 0, null, null), cancellationToken))
            return await ReplayAsync(clientOrderId, intent, cancellationToken);
        var order = new LiveOrder(record, intent.Instrument, OrderStatus.Initialized, 1, 0);
        live[clientOrderId] = order;
        await ChangeAsync(order, OrderStatus.Rejected, code, detail, cancellationToken);
        await TryLogAsync(order, ExecutionPhase.Pre, "REFUSED", new Dictionary<string, string> { ["trail"] = string.Join("; ", trail), ["reason"] = code, ["detail"] = detail }, cancellationToken);
        return Finish(order, started);
    }

    private async Task ApplyOutcomeAsync(LiveOrder order, ChannelResult outcome, CancellationToken cancellationToken)
    {
        switch (outcome.Outcome)
        {
            case ChannelOutcome.Known:
                await TryLogAsync(order, ExecutionPhase.In, "CHANNEL_KNOWN", new Dictionary<string, string> { ["status"] = outcome.Order!.Status.Code(), ["exchange_order_id"] = outcome.Order.ExchangeOrderId }, cancellationToken);
                await ApplyAsync(order, outcome.Order, "placed", cancellationToken);
                break;
            case ChannelOutcome.Rejected:
                await TryLogAsync(order, ExecutionPhase.In, "CHANNEL_REJECTED", new Dictionary<string, string> { ["reason"] = outcome.Code ?? "", ["detail"] = outcome.Detail ?? "" }, cancellationToken);
                await ChangeAsync(order, OrderStatus.Rejected, outcome.Code ?? ChannelReasons.Rejected, outcome.Detail ?? "", cancellationToken);
                break;
            default:
                metrics.UnknownOutcome(Environment, order.Record.ConfigRev);
                await TryLogAsync(order, ExecutionPhase.In, "CHANNEL_UNKNOWN", new Dictionary<string, string> { ["reason"] = outcome.Code ?? "", ["detail"] = outcome.Detail ?? "" }, cancellationToken);
                break; // stays SUBMITTED: the in-flight check queries it
        }
    }

    private async Task QueryAsync(LiveOrder order, CancellationToken cancellationToken)
    {
        ChannelOrder? found;
        try
        {
            found = await channel.QueryAsync(order.Instrument, order.Record.ClientOrderId, cancellationToken);
        }
        catch (ChannelUnavailableException e)
        {
            if (++order.QueriesFailed >= options.MaxInFlightQueries && !order.MarkedStuck)
            {
                order.MarkedStuck = true;
                await AppendAsync(order, OrderStatus.Submitted, ExecutionReasons.InFlightStuck, $"{order.QueriesFailed} queries failed, last: {e.Code}", cancellationToken);
            }
            return;
        }
        await TryLogAsync(order, ExecutionPhase.In, "QUERIED", new Dictionary<string, string> { ["found"] = found is null ? "false" : found.Status.Code() }, cancellationToken);
        if (found is not null) { await ApplyAsync(order, found, "query", cancellationToken); return; }
        if (++order.QueriesNotFound >= options.MaxInFlightQueries)
            await ChangeAsync(order, OrderStatus.Rejected, ExecutionReasons.NotFound, $"{channel.Name} has no order {order.Record.ClientOrderId} after {order.QueriesNotFound} queries", cancellationToken);
    }

    /// <summary>The orders followed on <paramref name="instrument"/>; call under its lock for a view that holds still.</summary>
    internal IReadOnlyList<LiveOrder> LiveOn(Instrument instrument) => [.. live.Values.Where(o => ReferenceEquals(o.Instrument, instrument))];

    /// <summary>Applies what the channel says of an order followed on an instrument whose lock the caller holds (reconciliation's repair).</summary>
    internal Task ApplyHeldAsync(LiveOrder order, ChannelOrder observed, CancellationToken cancellationToken) =>
        live.ContainsKey(order.Record.ClientOrderId) ? ApplyAsync(order, observed, "reconciliation", cancellationToken) : Task.CompletedTask;

    /// <summary>Takes what the channel says about the order: new fills first (each once, by trade id), then the status.</summary>
    private async Task ApplyAsync(LiveOrder order, ChannelOrder observed, string source, CancellationToken cancellationToken)
    {
        order.ExchangeOrderId = observed.ExchangeOrderId;
        foreach (var fill in observed.Fills)
        {
            if (!order.Trades.Add(fill.TradeId)) continue;
            await RecordFillAsync(order, fill, cancellationToken);
        }
        if (observed.Status == order.Status && observed.ExecutedQuantity == order.Executed) return;
        var target = observed.Status;
        // An order seen PARTIALLY_FILLED again with more executed is a new partial fill; the same status otherwise is no change.
        if (target == order.Status && target != OrderStatus.PartiallyFilled) return;
        await ChangeAsync(order, target, null, $"{source}: {channel.Name} says {target.Code()}, executed {Text(observed.ExecutedQuantity)} of {Text(observed.Quantity)}",
            cancellationToken, (observed.ExecutedQuantity, observed.AveragePrice));
    }

    private async Task RecordFillAsync(LiveOrder order, ChannelFill fill, CancellationToken cancellationToken)
    {
        var r = order.Record;
        decimal? slippage = r.MidAtSend is { } mid && mid > 0
            ? Math.Round((r.Side == OrderSide.Buy ? fill.Price - mid : mid - fill.Price) / mid * 10_000m, 4)
            : null;
        var record = new FillRecord(r.ClientOrderId, r.IntentId, fill.TradeId, r.InstrumentKey, r.Side, fill.Quantity, fill.Price, fill.Fee, fill.FeeAsset,
            fill.IsMaker, fill.At, r.MidAtSend, r.BookTop3, slippage, r.ConfigRev);
        if (!await store.TryAddFillAsync(record, cancellationToken)) return; // recorded by an earlier run: its position change is in the snapshots
        metrics.Fill(Environment, r.ConfigRev, slippage);
        try
        {
            var wasFlat = positions.OpenQuantity(order.Instrument) == 0;
            var realizedBefore = positions.RealizedPnl(order.Instrument);
            var fee = IsQuoteAsset(order.Instrument, fill.FeeAsset) ? fill.Fee : 0m;
            var snapshot = positions.Apply(order.Instrument, r.Side, fill.Quantity, fill.Price, fee, fill.TradeId, fill.At);
            if (snapshot.RealizedPnl != realizedBefore) metrics.Trade(Environment, r.ConfigRev, snapshot.RealizedPnl - realizedBefore);
            if (wasFlat && !r.ReduceOnly) positions.Protect(order.Instrument, r.StopLoss, r.TakeProfit);
            await store.TryAddPositionAsync(snapshot, cancellationToken);
        }
        catch (PositionException e)
        {
            await AppendAsync(order, order.Status, ExecutionReasons.Position, e.Message, cancellationToken);
        }
    }

    /// <summary>Moves the order to <paramref name="target"/> through the state machine; a move it forbids is recorded as such, not applied.</summary>
    /// <param name="execution">What the channel says executed, taken only when the move is allowed.</param>
    private async Task ChangeAsync(LiveOrder order, OrderStatus target, string? reason, string detail, CancellationToken cancellationToken,
        (decimal Quantity, decimal? AveragePrice)? execution = null)
    {
        OrderStatus next;
        try
        {
            next = OrderStateMachine.Next(order.Status, EventFor(order.Status, target));
        }
        catch (InvalidOrderTransitionException e)
        {
            await AppendAsync(order, order.Status, ExecutionReasons.Transition, e.Message, cancellationToken);
            return;
        }
        await AppendAsync(order, next, reason, detail, cancellationToken, execution);
    }

    private async Task AppendAsync(LiveOrder order, OrderStatus status, string? reason, string detail, CancellationToken cancellationToken,
        (decimal Quantity, decimal? AveragePrice)? execution = null)
    {
        var executed = execution?.Quantity ?? order.Executed;
        var average = execution is { } x ? x.AveragePrice : order.AveragePrice;
        var e = Event(order.Record.ClientOrderId, order.NextSequence, status, time.GetUtcNow(), reason, detail, executed, average, order.ExchangeOrderId);
        if (!await store.TryAppendEventAsync(e, cancellationToken))
        {
            // Another writer (a host that owned this partition before) took the number: follow the record, not our memory.
            var stored = await store.GetOrderAsync(order.Record.ClientOrderId, cancellationToken);
            if (stored is null) throw new InvalidOperationException($"{order.Record.ClientOrderId}: event {order.NextSequence} refused for an order the store does not have");
            order.NextSequence = stored.Events.Count;
            order.Status = stored.Status;
            order.Executed = stored.Last.ExecutedQuantity;
            return;
        }
        var was = order.Status;
        order.NextSequence++;
        order.Status = status;
        order.Executed = executed;
        order.AveragePrice = average;
        if (reason is not null) order.Reason = reason;
        order.Detail = detail;
        // Counted by status: a mark on an order whose status stays (stuck, a refused transition) is no new submission.
        if (status != was) metrics.Status(Environment, order.Record.ConfigRev, status.Code(), reason);
        var result = Result(order, replayed: false);
        if (status.IsTerminal())
        {
            live.TryRemove(order.Record.ClientOrderId, out _);
            if (ended.TryAdd(order.Record.ClientOrderId, result)) endedOrder.Enqueue(order.Record.ClientOrderId);
            while (endedOrder.Count > EndedKept && endedOrder.TryDequeue(out var oldest)) ended.TryRemove(oldest, out _);
            if (order.Sent) metrics.Ended(Environment, order.Record.ConfigRev, order.Record.Quantity, order.Executed);
            if (order.Record.ReduceOnly && status != OrderStatus.Filled) positions.CloseFailed(order.Instrument);
            await TryLogAsync(order, ExecutionPhase.Post, status.Code(), new Dictionary<string, string>
            {
                ["status"] = status.Code(), ["reason"] = reason ?? "", ["executed"] = Text(order.Executed),
                ["average_price"] = order.AveragePrice is { } p ? Text(p) : "", ["detail"] = detail,
            }, cancellationToken);
        }
        await results.PublishAsync(result, cancellationToken);
    }

    private RouteResult Finish(LiveOrder order, long started)
    {
        metrics.Routed(Environment, order.Record.ConfigRev, Stopwatch.GetElapsedTime(started));
        return Result(order, replayed: false);
    }

    private RouteResult Result(LiveOrder order, bool replayed)
    {
        var r = order.Record;
        return new RouteResult(r.IntentId, r.ClientOrderId, r.InstrumentKey, order.Status, order.Reason, order.Detail, r.Quantity, order.Executed, order.AveragePrice,
            r.ConfigRev, r.Environment, r.Channel, replayed, time.GetUtcNow());
    }

    private RouteResult Unrecorded(OrderIntent intent, string code, string detail) => new(intent.IntentId ?? "", "", intent.Instrument?.Key ?? "",
        OrderStatus.Rejected, code, detail, intent.Quantity, 0, null, intent.ConfigRev ?? "", Environment, channel.Name, false, time.GetUtcNow());

    private Task LogAsync(LiveOrder order, ExecutionPhase phase, string step, IReadOnlyDictionary<string, string> facts, CancellationToken cancellationToken)
        => journal.RecordAsync(new ExecutionLog(phase, order.Record.IntentId, order.Record.ClientOrderId, order.NextSequence, step, order.Record.ConfigRev, facts), cancellationToken);

    /// <summary>In- and post-execution logs: the order has already happened, so a log that fails does not undo it (health shows the ledger down).</summary>
    private async Task TryLogAsync(LiveOrder order, ExecutionPhase phase, string step, IReadOnlyDictionary<string, string> facts, CancellationToken cancellationToken)
    {
        try { await LogAsync(order, phase, step, facts, cancellationToken); }
        catch (ExecutionJournalException) { }
    }

    private OrderRecord RecordOf(OrderIntent intent, string clientOrderId, decimal quantity, DateTimeOffset now, decimal? midAtSend = null, string bookTop3 = "") => new(
        intent.IntentId, clientOrderId, intent.Instrument.Key, intent.Side, intent.Type, quantity, intent.LimitPrice, intent.StopLoss, intent.TakeProfit,
        intent.ReduceOnly, intent.ConfigRev ?? "", Environment, channel.Name, intent.DecidedAt, now, midAtSend, bookTop3);

    private static OrderEventRecord Event(string clientOrderId, int sequence, OrderStatus status, DateTimeOffset at, string? reason, string detail,
        decimal executed, decimal? average, string? exchangeOrderId) => new(clientOrderId, sequence, status, at, reason, detail, executed, average, exchangeOrderId);

    /// <summary>The event that takes an order from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static OrderEventKind EventFor(OrderStatus from, OrderStatus to) => to switch
    {
        OrderStatus.Submitted => OrderEventKind.Submitted,
        OrderStatus.Accepted => OrderEventKind.Accepted,
        OrderStatus.PartiallyFilled => OrderEventKind.PartiallyFilled,
        OrderStatus.Filled => OrderEventKind.Filled,
        OrderStatus.PendingCancel => OrderEventKind.CancelRequested,
        OrderStatus.Canceled => OrderEventKind.Canceled,
        OrderStatus.Expired => OrderEventKind.Expired,
        OrderStatus.Rejected => OrderEventKind.Rejected,
        _ => throw new InvalidOrderTransitionException(from, OrderEventKind.Submitted),
    };

    /// <summary>Futures fees are in the margin asset; a spot fee counts in the cost only when charged in the quote asset (Binance may charge the base, or BNB).</summary>
    private static bool IsQuoteAsset(Instrument instrument, string asset) =>
        instrument.Market == MarketKind.Futures || asset == AssetPair.Of(instrument.Symbol).Quote;

    /// <summary><c>b100.1x2 b100x5 … a100.2x1 …</c>: the top three levels each side, as fills record them (seed 002 A.3 book_top3).</summary>
    private static string TopText(BookTop? top)
    {
        if (top is null) return "";
        var text = new System.Text.StringBuilder(160);
        void Side(char side, IReadOnlyList<Events.PriceLevel> levels)
        {
            for (var i = 0; i < Math.Min(3, levels.Count); i++)
            {
                if (text.Length > 0) text.Append(' ');
                text.Append(side).Append(levels[i].Price.ToString(CultureInfo.InvariantCulture)).Append('x').Append(levels[i].Quantity.ToString(CultureInfo.InvariantCulture));
            }
        }
        Side('b', top.Bids);
        Side('a', top.Asks);
        return text.ToString();
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
