using Tollgate.Markets.Events;

namespace Tollgate.Markets.Books;

/// <summary>
/// Deltas held while a book waits for its snapshot (Binance's "buffer the events you receive from the stream"). The
/// levels live in one flat array reused across resyncs, so buffering allocates only while it grows past its largest
/// size so far. Holds at most <see cref="Capacity"/> deltas; past that the oldest are dropped, which only means the
/// snapshot must be newer than the first one kept.
/// </summary>
internal sealed class PendingDeltas
{
    internal readonly record struct Entry(long First, long Final, long? PreviousFinal, DateTimeOffset ExchangeTime, DateTimeOffset IngestTime, int Offset, int BidCount, int AskCount);

    public const int Capacity = 4096;
    private Entry[] entries = new Entry[16];
    private PriceLevel[] levels = new PriceLevel[256];
    private int start, count, levelCount;

    public int Count => count;

    /// <summary>Levels the buffer's array can hold (for tests of what it keeps).</summary>
    internal int LevelStorage => levels.Length;

    /// <summary>How many deltas were dropped for room since the last <see cref="Clear"/>.</summary>
    public long Overflowed { get; private set; }

    public Entry this[int i] => entries[start + i];

    public ReadOnlySpan<PriceLevel> Bids(in Entry e) => levels.AsSpan(e.Offset, e.BidCount);
    public ReadOnlySpan<PriceLevel> Asks(in Entry e) => levels.AsSpan(e.Offset + e.BidCount, e.AskCount);

    public void Add(in BookDelta delta)
    {
        if (count == Capacity) { start++; count--; Overflowed++; }
        if (start + count == entries.Length) Compact();
        ReclaimLevels();
        var needed = levelCount + delta.Bids.Length + delta.Asks.Length;
        if (needed > levels.Length) Array.Resize(ref levels, Math.Max(needed, levels.Length * 2));
        delta.Bids.CopyTo(levels.AsSpan(levelCount));
        delta.Asks.CopyTo(levels.AsSpan(levelCount + delta.Bids.Length));
        entries[start + count++] = new Entry(delta.FirstUpdateId, delta.FinalUpdateId, delta.PreviousFinalUpdateId,
            delta.ExchangeTime, delta.IngestTime, levelCount, delta.Bids.Length, delta.Asks.Length);
        levelCount = needed;
    }

    /// <summary>Forgets the first <paramref name="n"/> deltas.</summary>
    public void DropFirst(int n)
    {
        start += n;
        count -= n;
        if (count == 0) Clear();
    }

    public void Clear()
    {
        start = count = levelCount = 0;
        Overflowed = 0;
    }

    // Levels of dropped deltas sit before the first live one: once they are most of the array, move the live ones down,
    // so a book that never gets its snapshot holds at most Capacity deltas' levels, not every level it ever buffered.
    private void ReclaimLevels()
    {
        if (count == 0) return;
        var dead = entries[start].Offset;
        if (dead == 0 || dead < levelCount / 2) return;
        Array.Copy(levels, dead, levels, 0, levelCount - dead);
        levelCount -= dead;
        for (var i = start; i < start + count; i++) entries[i] = entries[i] with { Offset = entries[i].Offset - dead };
    }

    // Room at the end of the entry array: move the live entries to the front, or grow when they fill it.
    private void Compact()
    {
        if (start > 0)
        {
            Array.Copy(entries, start, entries, 0, count);
            start = 0;
        }
        if (count == entries.Length) Array.Resize(ref entries, entries.Length * 2);
    }
}
