using Tollgate.Markets.Events;

namespace Tollgate.Markets.Tests.Books;

/// <summary>One depth event of the exchange's true stream: the final quantity of every level changed in [U, u].</summary>
public sealed record TrueDelta(int Index, long First, long Final, long? PreviousFinal, (decimal Price, decimal Qty)[] Bids, (decimal Price, decimal Qty)[] Asks);

/// <summary>
/// A random "true" order book evolution, the reference the property tests rebuild books from: an initial book,
/// then single level updates with rising ids (contiguous on spot; with jumps on futures, whose ids are not
/// contiguous), grouped into depth events of one to five updates, chained spot-style (U = previous u + 1) and, on
/// futures, by pu = previous u. <see cref="At"/> is the book after every update with an id at or below a given one.
/// </summary>
public sealed class TrueBookStream
{
    private readonly long[] ids;
    private readonly (PriceLevel[] Bids, PriceLevel[] Asks)[] states;

    public TrueBookStream(Random random, bool futures, int deltaCount)
    {
        Futures = futures;
        var bids = new SortedDictionary<decimal, decimal>();
        var asks = new SortedDictionary<decimal, decimal>();
        for (var k = 0; k < 20; k++)
        {
            if (random.NextDouble() < 0.6) bids[BidPrice(k)] = Quantity(random);
            if (random.NextDouble() < 0.6) asks[AskPrice(k)] = Quantity(random);
        }
        var id = 1_000L + random.Next(1_000_000);
        InitialId = id;
        var idList = new List<long> { id };
        var stateList = new List<(PriceLevel[], PriceLevel[])> { Image(bids, asks) };
        var deltas = new List<TrueDelta>();
        var previousFinal = id;
        for (var d = 0; d < deltaCount; d++)
        {
            var changedBids = new Dictionary<decimal, decimal>();
            var changedAsks = new Dictionary<decimal, decimal>();
            var updates = random.Next(1, 6);
            var first = id + (futures ? random.Next(1, 4) : 1);
            for (var j = 0; j < updates; j++)
            {
                id = j == 0 ? first : id + (futures ? random.Next(1, 3) : 1);
                var bid = random.Next(2) == 0;
                var k = random.Next(20);
                var qty = random.NextDouble() < 0.3 ? 0m : Quantity(random);
                var (side, changed, price) = bid ? (bids, changedBids, BidPrice(k)) : (asks, changedAsks, AskPrice(k));
                if (qty == 0) side.Remove(price); else side[price] = qty;
                changed[price] = qty;
                idList.Add(id);
                stateList.Add(Image(bids, asks));
            }
            deltas.Add(new TrueDelta(d, first, id, futures ? previousFinal : null,
                [.. changedBids.Select(kv => (kv.Key, kv.Value))], [.. changedAsks.Select(kv => (kv.Key, kv.Value))]));
            previousFinal = id;
        }
        ids = [.. idList];
        states = [.. stateList];
        Deltas = deltas;
    }

    public bool Futures { get; }

    /// <summary>The id of the book before the first update (a snapshot may be taken there).</summary>
    public long InitialId { get; }

    public IReadOnlyList<TrueDelta> Deltas { get; }

    /// <summary>The initial id and every update id, ascending: the ids a snapshot can carry.</summary>
    public IReadOnlyList<long> UpdateIds => ids;

    /// <summary>Bids and asks, best first, after every update with an id at or below <paramref name="id"/>.</summary>
    public (PriceLevel[] Bids, PriceLevel[] Asks) At(long id)
    {
        var i = Array.BinarySearch(ids, id);
        if (i < 0) i = ~i - 1;
        if (i < 0) throw new ArgumentOutOfRangeException(nameof(id), id, $"before the stream's initial id {InitialId}");
        return states[i];
    }

    private static decimal BidPrice(int k) => 100m - k * 0.5m;
    private static decimal AskPrice(int k) => 100.5m + k * 0.5m;
    private static decimal Quantity(Random random) => random.Next(1, 10_000) / 1000m;

    private static (PriceLevel[], PriceLevel[]) Image(SortedDictionary<decimal, decimal> bids, SortedDictionary<decimal, decimal> asks)
        => ([.. bids.Reverse().Select(kv => new PriceLevel(kv.Key, kv.Value))], [.. asks.Select(kv => new PriceLevel(kv.Key, kv.Value))]);
}
