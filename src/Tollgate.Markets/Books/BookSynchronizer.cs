using Tollgate.Markets.Events;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Books;

/// <summary>What became of one depth delta.</summary>
public enum DeltaOutcome : byte
{
    /// <summary>Applied to a synced book.</summary>
    Applied,
    /// <summary>Held until the snapshot comes.</summary>
    Buffered,
    /// <summary>Older than the book (already in it, or a duplicate): ignored, as Binance documents.</summary>
    Stale,
    /// <summary>An update was missed: the book was dropped and a snapshot is needed. The delta is buffered.</summary>
    Gap,
}

/// <summary>What became of one depth snapshot.</summary>
public enum SnapshotOutcome : byte
{
    /// <summary>The book is built from it and every buffered delta after it.</summary>
    Synced,
    /// <summary>Older than the first buffered delta: another snapshot is needed.</summary>
    TooOld,
    /// <summary>The buffered deltas after it have a gap: another snapshot is needed.</summary>
    GapAfter,
    /// <summary>The book is synced already; a snapshot adds nothing.</summary>
    Ignored,
}

/// <summary>
/// Keeps one <see cref="OrderBook"/> exactly as Binance documents ("How to manage a local order book correctly"):
/// deltas are buffered until a snapshot, those the snapshot covers are dropped, the first one applied must straddle
/// the snapshot's <c>lastUpdateId</c>, and each later one must chain: spot by <c>U</c> = previous <c>u</c> + 1,
/// futures by <c>pu</c> = previous <c>u</c>. Anything else is a gap: the book is dropped until a new snapshot.
/// Quantities are absolute; 0 removes the level.
/// </summary>
public sealed class BookSynchronizer(Instrument instrument)
{
    private readonly PendingDeltas pending = new();
    private bool awaitingFirst;

    public OrderBook Book { get; } = new(instrument);

    private bool IsFutures => Book.Instrument.Market == MarketKind.Futures;

    /// <summary>Deltas waiting for a snapshot.</summary>
    public int Buffered => pending.Count;

    /// <summary>The <c>u</c> the book expected to continue from when the last gap was seen.</summary>
    public long LastGapExpected { get; private set; }

    public DeltaOutcome OnDelta(in BookDelta delta)
    {
        if (!Book.IsSynced)
        {
            pending.Add(delta);
            return DeltaOutcome.Buffered;
        }
        var outcome = ApplyIfChained(delta);
        if (outcome == DeltaOutcome.Gap)
        {
            Book.Clear();
            pending.Add(delta);
        }
        return outcome;
    }

    public SnapshotOutcome OnSnapshot(in BookSnapshot snapshot)
    {
        if (Book.IsSynced) return SnapshotOutcome.Ignored;
        Book.Bids.Load(snapshot.Bids);
        Book.Asks.Load(snapshot.Asks);
        Book.LastUpdateId = snapshot.LastUpdateId;
        Book.UpdatedAt = snapshot.IngestTime;
        Book.IsSynced = true;
        awaitingFirst = true;

        // Replay the buffer through the live rules. A gap at the first delta the snapshot does not cover means the
        // snapshot is older than the stream (fetch another); a gap later means the buffer itself missed an update.
        var anyApplied = false;
        for (var i = 0; i < pending.Count; i++)
        {
            var e = pending[i];
            var delta = new BookDelta(Book.Instrument, e.First, e.Final, e.PreviousFinal, e.ExchangeTime, e.IngestTime, pending.Bids(e), pending.Asks(e));
            var outcome = ApplyIfChained(delta);
            if (outcome == DeltaOutcome.Gap)
            {
                Book.Clear();
                pending.DropFirst(i);
                return anyApplied ? SnapshotOutcome.GapAfter : SnapshotOutcome.TooOld;
            }
            anyApplied |= outcome == DeltaOutcome.Applied;
        }
        pending.Clear();
        return SnapshotOutcome.Synced;
    }

    /// <summary>Drops the book and its buffer (the ingest partition moved, or the instrument was reset).</summary>
    public void Reset()
    {
        Book.Clear();
        pending.Clear();
        awaitingFirst = false;
    }

    /// <summary>Applies a delta to the synced book if it continues it; a gap leaves the book as it was for the caller to drop.</summary>
    private DeltaOutcome ApplyIfChained(in BookDelta delta)
    {
        var last = Book.LastUpdateId;
        bool chains;
        if (awaitingFirst)
        {
            // The first delta after a snapshot must straddle it: spot U <= id+1 <= u, futures U <= id <= u. A futures
            // delta whose pu is the snapshot's id continues it exactly too (its U is past id when the snapshot was
            // taken between two events, since futures update ids are not contiguous).
            var edge = IsFutures ? last : last + 1;
            if (delta.FinalUpdateId < edge) return DeltaOutcome.Stale;
            chains = delta.FirstUpdateId <= edge || (IsFutures && delta.PreviousFinalUpdateId == last);
        }
        else
        {
            if (delta.FinalUpdateId <= last) return DeltaOutcome.Stale;
            chains = IsFutures ? delta.PreviousFinalUpdateId == last : delta.FirstUpdateId <= last + 1;
        }
        if (!chains)
        {
            LastGapExpected = last;
            awaitingFirst = false;
            return DeltaOutcome.Gap;
        }
        Apply(delta);
        awaitingFirst = false;
        return DeltaOutcome.Applied;
    }

    private void Apply(in BookDelta delta)
    {
        foreach (var level in delta.Bids) Book.Bids.Set(level.Price, level.Quantity);
        foreach (var level in delta.Asks) Book.Asks.Set(level.Price, level.Quantity);
        Book.LastUpdateId = delta.FinalUpdateId;
        Book.UpdatedAt = delta.IngestTime;
    }
}
