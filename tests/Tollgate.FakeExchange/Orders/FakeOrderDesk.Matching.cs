using System.Globalization;
using System.Text.Json;

namespace Tollgate.FakeExchange;

/// <summary>How orders execute: on arrival against the book, and while they rest each time the simulated book moves.</summary>
public sealed partial class FakeOrderDesk
{
    /// <summary>The simulator's book at one moment, best level first on each side.</summary>
    internal sealed record Levels(IReadOnlyList<(decimal Price, decimal Quantity)> Bids, IReadOnlyList<(decimal Price, decimal Quantity)> Asks)
    {
        public decimal Mid => Bids.Count > 0 && Asks.Count > 0 ? (Bids[0].Price + Asks[0].Price) / 2
            : Bids.Count > 0 ? Bids[0].Price : Asks.Count > 0 ? Asks[0].Price : 0;
    }

    /// <summary>Called after each simulator step: resting orders the book moved through fill, triggered stops execute.</summary>
    internal void OnBookMoved(MarketSimulator simulator)
    {
        lock (gate)
        {
            if (!open.TryGetValue((simulator.Market, simulator.Symbol), out var resting) || resting.Count == 0) return;
            var book = Book(simulator);
            foreach (var order in resting.ToList())
            {
                if (!order.IsOpen) continue; // expired this pass, by its OCO sibling
                if (order.Type == "STOP_LOSS") TriggerStop(order, book);
                else FillResting(order, book);
            }
        }
    }

    // The current book as the depth endpoint would answer it: the one truth both market data and orders read.
    private static Levels Book(MarketSimulator simulator)
    {
        using var document = JsonDocument.Parse(simulator.DepthBody(5000));
        return new(Side(document.RootElement.GetProperty("bids")), Side(document.RootElement.GetProperty("asks")));

        static List<(decimal, decimal)> Side(JsonElement levels) => [.. levels.EnumerateArray().Select(l => (Parse(l[0]), Parse(l[1])))];
        static decimal Parse(JsonElement e) => decimal.Parse(e.GetString()!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A new order: takes what crosses (walking levels, at their prices), then rests (GTC limit) or expires (market,
    /// IOC, FOK) the rest. <paramref name="fraction"/> (a scripted partial fill) caps what it takes. Spot funds are
    /// checked first: a refusal changes nothing.
    /// </summary>
    private FakeReply? Execute(FakeOrder order, Levels book, decimal? fraction)
    {
        var listing = simulators[(order.Market, order.Symbol)].Listing;
        var cap = order.Quantity;
        if (fraction is { } f) cap = Math.Floor(order.Quantity * Math.Clamp(f, 0, 1) / listing.StepSize) * listing.StepSize;
        if (order.ReduceOnly) cap = Math.Min(cap, ReducibleBy(order));
        var takes = Walk(order.Buy ? book.Asks : book.Bids, cap, price => order.Type == "MARKET" || (order.Buy ? price <= order.Price : price >= order.Price));
        var taken = takes.Sum(t => t.Quantity);
        if (order.TimeInForce == "FOK" && taken < order.Quantity) (takes, taken) = ([], 0);
        var rests = order.Type == "LIMIT" && order.TimeInForce == "GTC" ? order.Quantity - taken : 0;

        FakeLock? hold = null;
        if (order.Market == FakeMarket.Spot)
        {
            var (baseAsset, quote) = Assets(order.Symbol);
            if (order.Buy)
            {
                var need = takes.Sum(t => Cost(t.Price * t.Quantity)) + Cost(rests * order.Price);
                if (Free(quote) < need) return Insufficient();
                if (rests > 0) hold = new FakeLock(quote, Cost(rests * order.Price));
            }
            else
            {
                if (Free(baseAsset) < order.Quantity) return Insufficient();
                if (rests > 0) hold = new FakeLock(baseAsset, rests);
            }
        }
        Accept(order);
        foreach (var (price, quantity) in takes) Fill(order, price, quantity, maker: false);
        if (hold is not null)
        {
            Lock(hold);
            order.Lock = hold;
        }
        order.Status = taken == order.Quantity ? "FILLED" : rests > 0 ? (taken > 0 ? "PARTIALLY_FILLED" : "NEW") : "EXPIRED";
        if (order.IsOpen) Rest(order);
        else Finish(order);
        return null;
    }

    private void FillResting(FakeOrder order, Levels book)
    {
        var levels = order.Buy ? book.Asks : book.Bids;
        var take = Math.Min(order.Remaining, levels.TakeWhile(l => order.Buy ? l.Price <= order.Price : l.Price >= order.Price).Sum(l => l.Quantity));
        if (order.ReduceOnly)
        {
            var reducible = ReducibleBy(order);
            if (reducible == 0)
            {
                // The position it was to reduce is gone: Binance expires a reduce-only order then.
                order.Status = "EXPIRED";
                order.UpdatedAt = Now();
                Finish(order);
                return;
            }
            take = Math.Min(take, reducible);
        }
        if (take <= 0) return;
        // A resting order is the maker: it trades at its own price, whatever level crossed it.
        Fill(order, order.Price, take, maker: true);
        order.Status = order.Remaining == 0 ? "FILLED" : "PARTIALLY_FILLED";
        if (order.List is not null) ExpireSiblings(order);
        if (!order.IsOpen) Finish(order);
    }

    /// <summary>STOP_LOSS: a SELL triggers when the best bid falls to the stop, a BUY when the best ask rises to it, then executes at market.</summary>
    private void TriggerStop(FakeOrder order, Levels book)
    {
        var triggered = order.Buy ? book.Asks.Count > 0 && book.Asks[0].Price >= order.StopPrice : book.Bids.Count > 0 && book.Bids[0].Price <= order.StopPrice;
        if (!triggered) return;
        foreach (var (price, quantity) in Walk(order.Buy ? book.Asks : book.Bids, order.Remaining, _ => true)) Fill(order, price, quantity, maker: false);
        order.Status = order.Remaining == 0 ? "FILLED" : "EXPIRED";
        order.UpdatedAt = Now();
        if (order.List is not null) ExpireSiblings(order);
        Finish(order);
    }

    private static List<(decimal Price, decimal Quantity)> Walk(IReadOnlyList<(decimal Price, decimal Quantity)> levels, decimal cap, Func<decimal, bool> crosses)
    {
        var takes = new List<(decimal, decimal)>();
        var left = cap;
        foreach (var (price, quantity) in levels)
        {
            if (left <= 0 || !crosses(price)) break;
            var take = Math.Min(left, quantity);
            takes.Add((price, take));
            left -= take;
        }
        return takes;
    }

    /// <summary>One execution: funds or position, the commission (quote asset), the order's totals and the fill record.</summary>
    private void Fill(FakeOrder order, decimal price, decimal quantity, bool maker)
    {
        var now = Now();
        var spot = order.Market == FakeMarket.Spot;
        var notional = price * quantity;
        var fee = Math.Round(notional * (spot ? options.SpotCommissionRate : options.FuturesCommissionRate), 8, MidpointRounding.AwayFromZero);
        var (baseAsset, quote) = Assets(order.Symbol);
        decimal realized = 0;
        if (spot)
        {
            if (order.Buy)
            {
                Spend(order, quote, notional + fee);
                Credit(baseAsset, quantity);
            }
            else
            {
                Spend(order, baseAsset, quantity);
                Credit(quote, notional - fee);
            }
        }
        else
        {
            realized = MovePosition(order.Symbol, order.Buy ? quantity : -quantity, price);
            futuresWallet += realized - fee;
        }
        var key = (order.Market, order.Symbol);
        var tradeId = tradeIds[key] = tradeIds.GetValueOrDefault(key, spot ? 3_000_000 : 8_000_000) + 1;
        order.Executed += quantity;
        order.CumulativeQuote += notional;
        order.UpdatedAt = now;
        fills.Add(new FakeFill(order.Market, order.Symbol, tradeId, order.OrderId, order.ClientOrderId, order.Side, price, quantity, fee, quote, maker, realized, now));
    }

    /// <summary>One-way mode: adding keeps a weighted entry; reducing realizes PnL at the entry; crossing zero starts a new entry at the price.</summary>
    private decimal MovePosition(string symbol, decimal signed, decimal price)
    {
        var (amount, entry) = positions.GetValueOrDefault(symbol);
        var next = amount + signed;
        decimal realized = 0;
        if (amount == 0 || Math.Sign(amount) == Math.Sign(signed))
            entry = Math.Round((Math.Abs(amount) * entry + Math.Abs(signed) * price) / Math.Abs(next), 8);
        else
        {
            realized = (price - entry) * Math.Min(Math.Abs(amount), Math.Abs(signed)) * Math.Sign(amount);
            if (next == 0) entry = 0;
            else if (Math.Sign(next) != Math.Sign(amount)) entry = price;
        }
        positions[symbol] = (next, entry);
        return realized;
    }

    /// <summary>How much of a reduce-only order the futures position lets execute: what is open on the other side.</summary>
    private decimal ReducibleBy(FakeOrder order)
    {
        var amount = positions.GetValueOrDefault(order.Symbol).Amount;
        return order.Buy ? Math.Max(0, -amount) : Math.Max(0, amount);
    }

    private void Accept(FakeOrder order)
    {
        orders.Add(order);
        byOrderId[(order.Market, order.OrderId)] = order;
        var key = (order.Market, order.Symbol, order.ClientOrderId);
        if (!byClientId.TryGetValue(key, out var same)) byClientId[key] = same = [];
        same.Add(order);
        Increment(accepted, order.ClientOrderId);
    }

    private void Rest(FakeOrder order)
    {
        var key = (order.Market, order.Symbol);
        if (!open.TryGetValue(key, out var resting)) open[key] = resting = [];
        resting.Add(order);
    }

    /// <summary>An order that reached a terminal status: off the book, and its funds released (an OCO's once both legs are done).</summary>
    private void Finish(FakeOrder order)
    {
        if (open.TryGetValue((order.Market, order.Symbol), out var resting)) resting.Remove(order);
        if (order.List is not { } list)
        {
            Release(order.Lock);
            return;
        }
        if (list.Legs.Any(l => l.IsOpen)) return;
        list.Done = true;
        list.At = Now();
        Release(order.Lock);
    }

    /// <summary>One-cancels-the-other: once a leg executes, Binance expires the other.</summary>
    private void ExpireSiblings(FakeOrder leg)
    {
        foreach (var other in leg.List!.Legs)
            if (!ReferenceEquals(other, leg) && other.IsOpen)
            {
                other.Status = "EXPIRED";
                other.UpdatedAt = Now();
                Finish(other);
            }
    }

    // ---- spot funds ----

    private decimal Cost(decimal notional) => notional + Math.Round(notional * options.SpotCommissionRate, 8, MidpointRounding.AwayFromZero);

    private decimal Free(string asset) => balances.GetValueOrDefault(asset).Free;

    private void Credit(string asset, decimal amount)
    {
        var (free, locked) = balances.GetValueOrDefault(asset);
        balances[asset] = (free + amount, locked);
    }

    /// <summary>Takes <paramref name="amount"/> from what the order holds locked first, the rest from free funds.</summary>
    private void Spend(FakeOrder order, string asset, decimal amount)
    {
        var (free, locked) = balances.GetValueOrDefault(asset);
        var fromLock = order.Lock is { } held && held.Asset == asset ? Math.Min(held.Amount, amount) : 0;
        if (fromLock > 0) order.Lock!.Amount -= fromLock;
        balances[asset] = (free - (amount - fromLock), locked - fromLock);
    }

    private void Lock(FakeLock hold)
    {
        var (free, locked) = balances.GetValueOrDefault(hold.Asset);
        balances[hold.Asset] = (free - hold.Amount, locked + hold.Amount);
    }

    private void Release(FakeLock? hold)
    {
        if (hold is not { Amount: > 0 }) return;
        var (free, locked) = balances.GetValueOrDefault(hold.Asset);
        balances[hold.Asset] = (free + hold.Amount, locked - hold.Amount);
        hold.Amount = 0;
    }

    private static FakeReply Insufficient() => Bad(-2010, "Account has insufficient balance for requested action.");

    /// <summary>Base and quote asset, as exchangeInfo names them (USDT pairs, else BTC pairs).</summary>
    private static (string Base, string Quote) Assets(string symbol)
    {
        var quote = symbol.EndsWith("USDT", StringComparison.Ordinal) ? "USDT" : "BTC";
        return (symbol[..^quote.Length], quote);
    }
}
