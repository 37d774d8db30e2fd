using Tollgate.Markets.Books;
using Tollgate.Markets.Events;

namespace Tollgate.Markets.Tests.Support;

/// <summary>Everything observable of a book at one moment: both sides best first, the update id, and whether it is synced.</summary>
public sealed record BookImage(bool Synced, long LastUpdateId, PriceLevel[] Bids, PriceLevel[] Asks)
{
    public static BookImage Of(OrderBook book) => new(book.IsSynced, book.LastUpdateId, Side(book.Bids), Side(book.Asks));

    public static PriceLevel[] Side(BookSide side)
    {
        var levels = new PriceLevel[side.Count];
        side.CopyTop(levels, side.Count);
        return levels;
    }

    public static void AssertEqual(BookImage expected, BookImage actual)
    {
        Assert.Equal(expected.Synced, actual.Synced);
        Assert.Equal(expected.LastUpdateId, actual.LastUpdateId);
        Assert.Equal(expected.Bids, actual.Bids);
        Assert.Equal(expected.Asks, actual.Asks);
    }

    public override string ToString() => $"synced={Synced} id={LastUpdateId} bids=[{string.Join(" ", Bids.Select(l => $"{l.Price}x{l.Quantity}"))}] asks=[{string.Join(" ", Asks.Select(l => $"{l.Price}x{l.Quantity}"))}]";
}
