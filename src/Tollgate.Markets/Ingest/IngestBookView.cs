using Tollgate.Markets.Events;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Risk;

namespace Tollgate.Markets.Ingest;

/// <summary>
/// The order path's view of the ingest handler's books: the top of a synced book (risk's collar, Paper's fills,
/// fills' book_top3), and the health execution follows per instrument: GREEN with a synced book, RED without one
/// (seed 002 E: no new positions on a book Tollgate cannot see). Read under the partition's lock, so a book is
/// never read half-updated.
/// </summary>
public sealed class IngestBookView(MarketIngestHandler handler) : IBookView, IHealthView
{
    public BookTop? Top(Instrument instrument, int depth) => handler.Inspect(instrument, pipeline =>
    {
        var book = pipeline.Book;
        if (!book.IsSynced || book.Bids.IsEmpty || book.Asks.IsEmpty) return null;
        var bids = new PriceLevel[Math.Min(depth, book.Bids.Count)];
        var asks = new PriceLevel[Math.Min(depth, book.Asks.Count)];
        book.Bids.CopyTop(bids, depth);
        book.Asks.CopyTop(asks, depth);
        return new BookTop(instrument, book.LastUpdateId, book.UpdatedAt, bids, asks);
    });

    public HealthLevel HealthOf(Instrument instrument) =>
        handler.Inspect(instrument, pipeline => pipeline.Book.IsSynced) ? HealthLevel.Green : HealthLevel.Red;
}
