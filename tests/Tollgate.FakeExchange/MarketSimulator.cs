using System.Globalization;
using System.Text;

namespace Tollgate.FakeExchange;

public enum FakeEventKind
{
    Depth,
    BookTicker,
    AggTrade,
    MarkPrice,
}

/// <summary>What happened to a published event on the wire (scripted faults).</summary>
public enum FakeDelivery
{
    Sent,
    /// <summary>Generated (the book moved) but sent to nobody: a scripted gap.</summary>
    Dropped,
    /// <summary>Sent twice.</summary>
    Duplicated,
}

/// <summary>
/// One event the simulator published. For depth, <see cref="FirstUpdateId"/>/<see cref="FinalUpdateId"/> are U/u and
/// <see cref="PreviousFinalUpdateId"/> is futures' pu; for bookTicker FinalUpdateId is u; for aggTrade it is the
/// aggregate trade id.
/// </summary>
public sealed record FakeEvent(long Sequence, FakeMarket Market, string Symbol, string Stream, FakeEventKind Kind,
    long FirstUpdateId, long FinalUpdateId, long? PreviousFinalUpdateId, string Data, FakeDelivery Delivery);

/// <summary>A full book at one update id, as the simulator's truth has it (bids high to low, asks low to high).</summary>
public sealed record FakeBook(long LastUpdateId, IReadOnlyList<(decimal Price, decimal Quantity)> Bids, IReadOnlyList<(decimal Price, decimal Quantity)> Asks);

/// <summary>
/// A deterministic market for one symbol: a seeded random walk of a book whose every level change takes the next update
/// id. Each tick publishes one depth diff, chained exactly as Binance chains them (spot: U = previous u + 1; futures: ids
/// skip and pu = previous u), a bookTicker with u, sometimes an aggTrade, and on futures a markPrice with funding. All
/// of it is kept, so a test can ask for the book at any update id and for every event published.
/// </summary>
public sealed class MarketSimulator
{
    private readonly object gate = new();
    private readonly Random random;
    private readonly FakeSymbol listing;
    private readonly TimeProvider clock;
    private readonly int levels;
    private readonly int markEvery;
    private readonly SortedDictionary<decimal, decimal> bids = new(Comparer<decimal>.Create((a, b) => b.CompareTo(a)));
    private readonly SortedDictionary<decimal, decimal> asks = new();
    private readonly List<(long Id, bool Bid, decimal Price, decimal Quantity)> changes = [];
    private readonly List<FakeEvent> events = [];
    private readonly FakeBook initial;
    private readonly string lower;
    private readonly int priceDecimals, quantityDecimals;
    private decimal mid;
    private long updateId, previousFinal, aggregateId, tradeId, ticks, sequence;
    private int dropDepth, duplicate;

    internal MarketSimulator(FakeMarket market, FakeSymbol listing, int seed, TimeProvider clock, int levels, int markEvery)
    {
        Market = market;
        this.listing = listing;
        this.clock = clock;
        this.levels = levels;
        this.markEvery = Math.Max(1, markEvery);
        random = new Random(seed ^ StableHash($"{market}:{listing.Symbol}"));
        lower = listing.Symbol.ToLowerInvariant();
        priceDecimals = market == FakeMarket.Spot ? 8 : Scale(listing.TickSize);
        quantityDecimals = market == FakeMarket.Spot ? 8 : Scale(listing.StepSize);
        mid = listing.StartPrice;
        updateId = 1_000_000 + random.Next(1_000_000);
        previousFinal = updateId;
        aggregateId = 5_000_000 + random.Next(1000);
        tradeId = 90_000_000 + random.Next(1000);
        for (var k = 1; k <= levels; k++)
        {
            bids[mid - k * listing.TickSize] = Quantity();
            asks[mid + k * listing.TickSize] = Quantity();
        }
        initial = Snapshot(int.MaxValue);
    }

    public FakeMarket Market { get; }
    public string Symbol => listing.Symbol;
    public FakeSymbol Listing => listing;

    public long CurrentUpdateId { get { lock (gate) return updateId; } }

    /// <summary>Every event published so far, in order.</summary>
    public IReadOnlyList<FakeEvent> Events { get { lock (gate) return [.. events]; } }

    /// <summary>The book after every change with an id up to <paramref name="lastUpdateId"/>.</summary>
    public FakeBook BookAt(long lastUpdateId)
    {
        lock (gate)
        {
            if (lastUpdateId < initial.LastUpdateId) throw new ArgumentOutOfRangeException(nameof(lastUpdateId), lastUpdateId, $"the simulation starts at {initial.LastUpdateId}.");
            var b = new SortedDictionary<decimal, decimal>(bids.Comparer);
            var a = new SortedDictionary<decimal, decimal>();
            foreach (var (p, q) in initial.Bids) b[p] = q;
            foreach (var (p, q) in initial.Asks) a[p] = q;
            foreach (var change in changes)
            {
                if (change.Id > lastUpdateId) break;
                var side = change.Bid ? b : a;
                if (change.Quantity == 0) side.Remove(change.Price); else side[change.Price] = change.Quantity;
            }
            return new FakeBook(lastUpdateId, [.. b.Select(kv => (kv.Key, kv.Value))], [.. a.Select(kv => (kv.Key, kv.Value))]);
        }
    }

    internal void DropNextDepth(int count) { lock (gate) dropDepth += count; }
    internal void DuplicateNext(int count) { lock (gate) duplicate += count; }

    /// <summary>The REST depth body at the current update id, in Binance's format, with at most <paramref name="limit"/> levels a side.</summary>
    public string DepthBody(int limit)
    {
        lock (gate)
        {
            var book = Snapshot(limit);
            var text = new StringBuilder().Append("{\"lastUpdateId\":").Append(book.LastUpdateId);
            if (Market == FakeMarket.Futures)
            {
                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                text.Append(",\"E\":").Append(now).Append(",\"T\":").Append(now);
            }
            text.Append(",\"bids\":");
            Levels(text, book.Bids);
            text.Append(",\"asks\":");
            Levels(text, book.Asks);
            return text.Append('}').ToString();
        }
    }

    private FakeBook Snapshot(int limit) =>
        new(updateId, [.. bids.Take(limit).Select(kv => (kv.Key, kv.Value))], [.. asks.Take(limit).Select(kv => (kv.Key, kv.Value))]);

    /// <summary>Moves the market one tick; returns what to send, each with how many copies (0 for a dropped event).</summary>
    internal List<(FakeEvent Event, int Copies)> Tick()
    {
        lock (gate)
        {
            ticks++;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var output = new List<(FakeEvent, int)>();
            var tick = listing.TickSize;
            var levelChanges = new List<(long Id, bool Bid, decimal Price, decimal Quantity)>();

            void Change(bool bid, decimal price, decimal quantity)
            {
                updateId += Market == FakeMarket.Futures ? 1 + random.Next(3) : 1;
                var side = bid ? bids : asks;
                if (quantity == 0) side.Remove(price); else side[price] = quantity;
                var change = (updateId, bid, price, quantity);
                changes.Add(change);
                levelChanges.Add(change);
            }

            mid += random.Next(-2, 3) * tick;
            foreach (var price in bids.Keys.Where(p => p >= mid).ToList()) Change(true, price, 0);
            foreach (var price in asks.Keys.Where(p => p <= mid).ToList()) Change(false, price, 0);
            var count = 1 + random.Next(4);
            for (var i = 0; i < count; i++)
            {
                var bid = random.Next(2) == 0;
                var offset = 1 + random.Next(levels);
                var price = bid ? mid - offset * tick : mid + offset * tick;
                Change(bid, price, random.Next(5) == 0 ? 0 : Quantity());
            }
            if (bids.Count == 0) Change(true, mid - tick, Quantity());
            if (asks.Count == 0) Change(false, mid + tick, Quantity());

            var first = levelChanges[0].Id;
            var last = levelChanges[^1].Id;
            var depth = new StringBuilder("{\"e\":\"depthUpdate\",\"E\":").Append(now);
            if (Market == FakeMarket.Futures) depth.Append(",\"T\":").Append(now);
            depth.Append(",\"s\":\"").Append(Symbol).Append("\",\"U\":").Append(first).Append(",\"u\":").Append(last);
            if (Market == FakeMarket.Futures) depth.Append(",\"pu\":").Append(previousFinal);
            depth.Append(",\"b\":");
            Levels(depth, levelChanges.Where(c => c.Bid).Select(c => (c.Price, c.Quantity)));
            depth.Append(",\"a\":");
            Levels(depth, levelChanges.Where(c => !c.Bid).Select(c => (c.Price, c.Quantity)));
            depth.Append('}');
            var dropped = dropDepth > 0;
            if (dropped) dropDepth--;
            output.Add(Publish($"{lower}@depth@100ms", FakeEventKind.Depth, first, last, Market == FakeMarket.Futures ? previousFinal : null, depth.ToString(), dropped));
            previousFinal = last;

            var (bestBid, bidQty) = bids.First();
            var (bestAsk, askQty) = asks.First();
            var ticker = new StringBuilder("{");
            if (Market == FakeMarket.Futures) ticker.Append("\"e\":\"bookTicker\",\"u\":").Append(last).Append(",\"E\":").Append(now).Append(",\"T\":").Append(now);
            else ticker.Append("\"u\":").Append(last);
            ticker.Append(",\"s\":\"").Append(Symbol).Append("\",\"b\":\"").Append(Price(bestBid)).Append("\",\"B\":\"").Append(Qty(bidQty))
                .Append("\",\"a\":\"").Append(Price(bestAsk)).Append("\",\"A\":\"").Append(Qty(askQty)).Append("\"}");
            output.Add(Publish($"{lower}@bookTicker", FakeEventKind.BookTicker, last, last, null, ticker.ToString(), false));

            if (random.Next(10) < 6)
            {
                var buyerMaker = random.Next(2) == 0;
                var trades = 1 + random.Next(3);
                var firstTrade = tradeId + 1;
                tradeId += trades;
                aggregateId++;
                var trade = new StringBuilder("{\"e\":\"aggTrade\",\"E\":").Append(now).Append(",\"s\":\"").Append(Symbol)
                    .Append("\",\"a\":").Append(aggregateId).Append(",\"p\":\"").Append(Price(buyerMaker ? bestBid : bestAsk))
                    .Append("\",\"q\":\"").Append(Qty(Quantity())).Append("\",\"f\":").Append(firstTrade).Append(",\"l\":").Append(tradeId)
                    .Append(",\"T\":").Append(now).Append(",\"m\":").Append(buyerMaker ? "true" : "false");
                if (Market == FakeMarket.Spot) trade.Append(",\"M\":true");
                trade.Append('}');
                output.Add(Publish($"{lower}@aggTrade", FakeEventKind.AggTrade, aggregateId, aggregateId, null, trade.ToString(), false));
            }

            if (Market == FakeMarket.Futures && ticks % markEvery == 0)
            {
                var mark = (bestBid + bestAsk) / 2;
                var index = mark - tick;
                var nextFunding = (now / 28_800_000 + 1) * 28_800_000;
                var rate = (random.Next(-50, 51) / 1_000_000m).ToString("0.00000000", CultureInfo.InvariantCulture);
                var markJson = $"{{\"e\":\"markPriceUpdate\",\"E\":{now},\"s\":\"{Symbol}\",\"p\":\"{mark:0.00000000}\",\"i\":\"{index:0.00000000}\",\"P\":\"{mark:0.00000000}\",\"r\":\"{rate}\",\"T\":{nextFunding}}}";
                output.Add(Publish($"{lower}@markPrice@1s", FakeEventKind.MarkPrice, ticks, ticks, null, markJson, false));
            }
            return output;
        }
    }

    private (FakeEvent, int) Publish(string stream, FakeEventKind kind, long first, long last, long? previous, string data, bool dropped)
    {
        var copies = dropped ? 0 : 1;
        if (!dropped && duplicate > 0)
        {
            duplicate--;
            copies = 2;
        }
        var delivery = copies switch { 0 => FakeDelivery.Dropped, 2 => FakeDelivery.Duplicated, _ => FakeDelivery.Sent };
        var e = new FakeEvent(++sequence, Market, Symbol, stream, kind, first, last, previous, data, delivery);
        events.Add(e);
        return (e, copies);
    }

    private decimal Quantity() => listing.StepSize * (1 + random.Next(5000));

    private string Price(decimal value) => value.ToString("F" + priceDecimals, CultureInfo.InvariantCulture);
    private string Qty(decimal value) => value.ToString("F" + quantityDecimals, CultureInfo.InvariantCulture);

    private void Levels(StringBuilder text, IEnumerable<(decimal Price, decimal Quantity)> levels)
    {
        text.Append('[');
        var first = true;
        foreach (var (price, quantity) in levels)
        {
            if (!first) text.Append(',');
            first = false;
            text.Append("[\"").Append(Price(price)).Append("\",\"").Append(Qty(quantity)).Append("\"]");
        }
        text.Append(']');
    }

    private static int Scale(decimal value) => (decimal.GetBits(value)[3] >> 16) & 0xFF;

    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return (int)hash;
    }
}
