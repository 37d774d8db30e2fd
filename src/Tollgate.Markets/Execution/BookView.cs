using Tollgate.Markets.Events;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Execution;

/// <summary>The top of one instrument's synced book at one moment, best level first on each side.</summary>
public sealed record BookTop(Instrument Instrument, long UpdateId, DateTimeOffset At, IReadOnlyList<PriceLevel> Bids, IReadOnlyList<PriceLevel> Asks)
{
    public decimal? BestBid => Bids.Count > 0 ? Bids[0].Price : null;
    public decimal? BestAsk => Asks.Count > 0 ? Asks[0].Price : null;
    public decimal? Mid => BestBid is { } b && BestAsk is { } a ? (b + a) / 2 : null;
}

/// <summary>The live books of the market-data plane, as the order path reads them (risk's collar, Paper's fills, fill records' book_top3).</summary>
public interface IBookView
{
    /// <summary>The best <paramref name="depth"/> levels per side of a synced book; null when the book is not synced.</summary>
    BookTop? Top(Instrument instrument, int depth);
}
