using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Books;

/// <summary>A local copy of an exchange order book at <see cref="LastUpdateId"/>. Only <see cref="BookSynchronizer"/> changes it.</summary>
public sealed class OrderBook(Instrument instrument)
{
    public Instrument Instrument { get; } = instrument;
    public BookSide Bids { get; } = new(isBid: true);
    public BookSide Asks { get; } = new(isBid: false);

    /// <summary>The update id the book reflects (<c>lastUpdateId</c> of the snapshot, then <c>u</c> of each applied delta).</summary>
    public long LastUpdateId { get; internal set; }

    /// <summary>When the last change reached Tollgate.</summary>
    public DateTimeOffset UpdatedAt { get; internal set; }

    public bool IsSynced { get; internal set; }

    internal void Clear()
    {
        Bids.Clear();
        Asks.Clear();
        IsSynced = false;
    }
}
