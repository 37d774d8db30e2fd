using Tollgate.Markets.Events;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Paper;

/// <summary>
/// Orders simulated against the live books of the market-data plane, behind the same contract (and so the same
/// router, risk and kill switch) as the exchange.
/// <list type="bullet">
/// <item>A taker (a market order, or the crossing part of a limit order) walks the opposite side from the best level,
/// up to <see cref="PaperSettings.Depth"/> levels, taking at most <see cref="PaperSettings.MaxParticipation"/> of each
/// level's quantity (down to the step); each level taken is one fill at the level price moved
/// <see cref="PaperSettings.SlippageBps"/> against the taker and put on the tick against the taker (a limit order's
/// fills are capped at its limit). Taker fee in the quote asset.</item>
/// <item>What a market order cannot fill in the walk is EXPIRED, the executed part kept; a limit order (GTC) rests
/// what is left, ACCEPTED or PARTIALLY_FILLED.</item>
/// <item>Resting orders fill in <see cref="OnBook"/> at their limit, as makers, when the opposite best price reaches
/// or crosses the limit: from at most MaxParticipation of the quantity at the touch, shared in price-time priority,
/// once per book update.</item>
/// </list>
/// Paper fills do not deplete the live book: every order and every update sees the liquidity as displayed.
/// Spot orders must be covered by the free balance (resting orders hold theirs back); futures have no margin model:
/// the wallet takes fees and realized PnL. A refused order (no book, malformed, balance, reduce-only) is not kept,
/// so a later placement of its client order id is tried afresh, as an exchange would. Client order ids are
/// scoped to their instrument, as on Binance.
/// One lock for the whole channel: spot instruments share their quote balances, so per-instrument locks would need
/// an account lock besides, and paper is not on a path where the contention matters. The book is read inside the
/// lock, so the book state an order saw and the account it changed are one step.
/// Deterministic: order and trade ids count per instrument, times come from the <see cref="TimeProvider"/>.
/// The state lives in memory; after a restart <see cref="RestoreAsync"/> rebuilds it from the execution store
/// before any order is placed, so the venue agrees with what the router recorded.
/// </summary>
public sealed partial class PaperChannel : IOrderChannel
{
    private readonly IBookView books;
    private readonly PaperSettings settings;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly PaperAccount account;
    private readonly Dictionary<string, PaperOrderBook> orderBooks = new(StringComparer.Ordinal);

    public PaperChannel(IBookView books, PaperSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(books);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        settings.Validate();
        this.books = books;
        this.settings = settings;
        this.time = time;
        account = new PaperAccount(settings);
    }

    public string Name => "paper";

    public Task<ChannelResult> PlaceAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate) return Task.FromResult(Place(request));
    }

    public Task<ChannelOrder?> QueryAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate) return Task.FromResult(Existing(instrument)?.Find(clientOrderId)?.Snapshot());
    }

    public Task<ChannelResult> CancelAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var book = Existing(instrument);
            if (book?.Find(clientOrderId) is not { } order)
                return Task.FromResult(ChannelResult.Rejected(ChannelReasons.Rejected, $"{instrument.Key}: unknown order {clientOrderId}"));
            if (!order.Status.IsTerminal()) End(book, order, OrderStatus.Canceled);
            return Task.FromResult(ChannelResult.Known(order.Snapshot()));
        }
    }

    public Task<IReadOnlyList<ChannelOrder>> OpenOrdersAsync(Instrument instrument, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
            return Task.FromResult<IReadOnlyList<ChannelOrder>>(Existing(instrument)?.Open.Select(o => o.Snapshot()).ToArray() ?? []);
    }

    public Task<IReadOnlyList<ChannelFill>> FillsAsync(Instrument instrument, DateTimeOffset since, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate) return Task.FromResult(Existing(instrument)?.FillsSince(since) ?? []);
    }

    public Task<IReadOnlyList<ChannelHolding>> HoldingsAsync(MarketKind market, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate) return Task.FromResult(account.Holdings(market));
    }

    /// <summary>
    /// Fills the resting orders of <paramref name="instrument"/> that its book now reaches; the host calls it when
    /// that book changes. Returns the orders that changed (filled, or reduce-only orders expired because nothing is
    /// left to reduce), buys first, each side in price-time priority; nothing while the book is not synced.
    /// </summary>
    public IReadOnlyList<ChannelOrder> OnBook(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        lock (gate)
        {
            if (Existing(instrument) is not { HasResting: true } book || books.Top(instrument, 1) is not { } top) return [];
            var changed = new List<ChannelOrder>();
            MatchResting(book, OrderSide.Buy, top.Asks, top.UpdateId, changed);
            MatchResting(book, OrderSide.Sell, top.Bids, top.UpdateId, changed);
            return changed;
        }
    }

    private ChannelResult Place(OrderRequest request)
    {
        var instrument = request.Instrument;
        var book = BookOf(instrument);
        if (book.Find(request.ClientOrderId) is { } known) return ChannelResult.Known(known.Snapshot());
        if (Malformed(request) is { } malformed) return Refuse(malformed);
        if (!AssetPair.TryParse(instrument.Symbol, out var assets)) return Refuse($"{instrument.Key}: no known quote asset in the symbol");
        if (ReduceOnlyRefusal(request) is { } reduceOnly) return Refuse(reduceOnly);
        if (books.Top(instrument, settings.Depth) is not { } top)
            return ChannelResult.Rejected(ChannelReasons.NoBook, $"{instrument.Key}: the book is not synced");

        var fees = settings.Fees(instrument.Market);
        var limit = request.Type == OrderType.Limit ? request.LimitPrice : null;
        var takes = TakerWalk.Walk(instrument, top, request.Side, request.Quantity, limit, settings);
        var rest = limit is null ? 0 : request.Quantity - takes.Sum(t => t.Quantity);
        var restLock = rest > 0 && instrument.Market == MarketKind.Spot ? RestingLock(request.Side, rest, limit!.Value, fees.MakerBps) : 0;
        if (instrument.Market == MarketKind.Spot && Unaffordable(request, assets, takes, restLock, fees.TakerBps) is { } unaffordable)
            return Refuse(unaffordable);

        var now = time.GetUtcNow();
        var order = new PaperOrder(request, book.NextOrderNumber(), top.UpdateId, now);
        foreach (var take in takes) Execute(book, order, assets, take.Quantity, take.Price, fees.TakerBps, isMaker: false, now);
        if (order.Remaining == 0) order.Status = OrderStatus.Filled;
        else if (limit is null) order.Status = OrderStatus.Expired; // Binance's end for a market order the book could not fill
        else
        {
            order.Status = order.Executed > 0 ? OrderStatus.PartiallyFilled : OrderStatus.Accepted;
            if (restLock > 0)
            {
                order.LockedAsset = request.Side == OrderSide.Buy ? assets.Quote : assets.Base;
                order.Locked = restLock;
                account.Lock(order.LockedAsset, restLock);
            }
        }
        book.Add(order);
        return ChannelResult.Known(order.Snapshot());
    }

    private void MatchResting(PaperOrderBook book, OrderSide side, IReadOnlyList<PriceLevel> opposite, long updateId, List<ChannelOrder> changed)
    {
        if (opposite.Count == 0) return;
        var touch = opposite[0];
        var budget = touch.Quantity * settings.MaxParticipation;
        var fees = settings.Fees(book.Instrument.Market);
        AssetPair.TryParse(book.Instrument.Symbol, out var assets); // placement refused symbols it cannot split
        foreach (var order in book.InPriority(side))
        {
            var limit = order.Request.LimitPrice!.Value;
            if (side == OrderSide.Buy ? touch.Price > limit : touch.Price < limit) break; // priority order: no later order is reached either
            if (order.SeenUpdateId >= updateId) continue;
            var quantity = Math.Min(order.Remaining, PaperMath.FloorToStep(budget, book.Instrument.StepSize));
            if (order.Request.ReduceOnly && book.Instrument.Market == MarketKind.Futures)
            {
                var reducible = Reducible(order.Request);
                if (reducible <= 0)
                {
                    End(book, order, OrderStatus.Expired); // as Binance expires reduce-only orders once the position is gone
                    changed.Add(order.Snapshot());
                    continue;
                }
                quantity = Math.Min(quantity, reducible);
            }
            if (quantity <= 0) continue;
            order.SeenUpdateId = updateId;
            budget -= quantity;
            var now = time.GetUtcNow();
            Execute(book, order, assets, quantity, limit, fees.MakerBps, isMaker: true, now);
            if (order.Remaining == 0) End(book, order, OrderStatus.Filled);
            else order.Status = OrderStatus.PartiallyFilled;
            changed.Add(order.Snapshot());
        }
    }

    private void Execute(PaperOrderBook book, PaperOrder order, AssetPair assets, decimal quantity, decimal price, decimal feeBps, bool isMaker, DateTimeOffset at)
    {
        var request = order.Request;
        var fee = PaperMath.Fee(quantity, price, feeBps);
        var fill = new ChannelFill(book.NextTradeId(), quantity, price, fee, assets.Quote, isMaker, at);
        if (request.Instrument.Market == MarketKind.Spot)
        {
            if (order.Locked > 0 && order.LockedAsset is { } asset)
            {
                // A buy's lock is limit × (1 + maker fee) per unit, which is what a maker fill at the limit costs.
                var release = Math.Min(order.Locked, request.Side == OrderSide.Buy ? quantity * price + fee : quantity);
                order.Locked -= release;
                account.Unlock(asset, release);
            }
            account.SpotFill(assets, request.Side, quantity, price, fee);
        }
        else account.FuturesFill(request.Instrument, assets.Quote, request.Side, quantity, price, fee);
        order.Record(fill);
        book.Recorded(fill);
    }

    private void End(PaperOrderBook book, PaperOrder order, OrderStatus status)
    {
        order.Status = status;
        order.UpdatedAt = time.GetUtcNow();
        if (order.Locked > 0 && order.LockedAsset is { } asset) account.Unlock(asset, order.Locked);
        order.Locked = 0;
        book.Ended(order);
    }

    private static decimal RestingLock(OrderSide side, decimal rest, decimal limit, decimal makerBps) =>
        side == OrderSide.Buy ? rest * limit + PaperMath.Fee(rest, limit, makerBps) : rest;

    /// <summary>Spot: a sell needs all its quantity free; a buy needs what its taker fills cost, fees included, plus what its rest holds back.</summary>
    private string? Unaffordable(OrderRequest request, AssetPair assets, List<Take> takes, decimal restLock, decimal takerBps)
    {
        if (request.Side == OrderSide.Sell)
        {
            var free = account.Free(assets.Base);
            return request.Quantity > free ? $"insufficient balance: selling {request.Quantity} {assets.Base} with {free} free" : null;
        }
        var cost = takes.Sum(t => t.Quantity * t.Price + PaperMath.Fee(t.Quantity, t.Price, takerBps)) + restLock;
        var freeQuote = account.Free(assets.Quote);
        return cost > freeQuote ? $"insufficient balance: the buy needs {cost} {assets.Quote} with {freeQuote} free" : null;
    }

    private string? ReduceOnlyRefusal(OrderRequest request)
    {
        if (!request.ReduceOnly) return null;
        if (request.Instrument.Market == MarketKind.Spot)
            return request.Side == OrderSide.Buy ? $"{request.Instrument.Key}: a reduce-only buy can only grow a spot holding" : null;
        var reducible = Reducible(request);
        return request.Quantity > reducible
            ? $"{request.Instrument.Key}: reduce-only {request.Side} of {request.Quantity} would open or grow the position {account.Position(request.Instrument)}"
            : null;
    }

    /// <summary>How much of the futures position <paramref name="request"/>'s side closes; 0 when it would open or grow it.</summary>
    private decimal Reducible(OrderRequest request)
    {
        var position = account.Position(request.Instrument);
        return request.Side == OrderSide.Sell ? Math.Max(position, 0) : Math.Max(-position, 0);
    }

    private static string? Malformed(OrderRequest request)
    {
        var instrument = request.Instrument;
        if (string.IsNullOrEmpty(request.ClientOrderId)) return "no client order id";
        if (request.Quantity <= 0 || !instrument.IsOnStep(request.Quantity)) return $"{instrument.Key}: quantity {request.Quantity} is not a positive whole number of steps of {instrument.StepSize}";
        return request.Type switch
        {
            OrderType.Market when request.LimitPrice is not null => "a market order has no limit price",
            OrderType.Limit when request.LimitPrice is not { } p || p <= 0 || !instrument.IsOnTick(p) => $"{instrument.Key}: limit price {request.LimitPrice} is not a positive whole number of ticks of {instrument.TickSize}",
            _ => null,
        };
    }

    private static ChannelResult Refuse(string detail) => ChannelResult.Rejected(ChannelReasons.Rejected, detail);

    private PaperOrderBook? Existing(Instrument instrument) => orderBooks.GetValueOrDefault(instrument.Key);

    private PaperOrderBook BookOf(Instrument instrument)
    {
        if (!orderBooks.TryGetValue(instrument.Key, out var book)) orderBooks[instrument.Key] = book = new PaperOrderBook(instrument);
        return book;
    }
}
