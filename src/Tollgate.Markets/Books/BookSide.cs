using Tollgate.Markets.Events;

namespace Tollgate.Markets.Books;

/// <summary>
/// One side of a book as a sorted array with the best level at the end: most updates touch the top of the book, so
/// keeping it at the end makes inserts and removals there shift almost nothing. Bids are stored ascending, asks
/// descending. The array grows and never shrinks, so a book in steady state allocates nothing.
/// </summary>
public sealed class BookSide
{
    private PriceLevel[] levels = new PriceLevel[64];
    private int count;

    internal BookSide(bool isBid) => IsBid = isBid;

    public bool IsBid { get; }

    public int Count => count;

    /// <summary>Moves on every change of the side, so a value computed from it can be reused while it stays the same.</summary>
    internal long Version { get; private set; }

    /// <summary>The <paramref name="depth"/>-th best level (0 = best).</summary>
    public PriceLevel this[int depth]
    {
        get
        {
            if ((uint)depth >= (uint)count) throw new ArgumentOutOfRangeException(nameof(depth), depth, $"the side has {count} level(s)");
            return levels[count - 1 - depth];
        }
    }

    public bool IsEmpty => count == 0;

    /// <summary>The best level; only when not <see cref="IsEmpty"/>.</summary>
    public PriceLevel Best => levels[count - 1];

    /// <summary>Sets the absolute quantity at <paramref name="price"/>; 0 removes the level (a removal of an absent level is a no-op, as Binance documents).</summary>
    public void Set(decimal price, decimal quantity)
    {
        Version++;
        var index = Find(price);
        if (index >= 0)
        {
            if (quantity == 0)
            {
                count--;
                if (index < count) Array.Copy(levels, index + 1, levels, index, count - index);
            }
            else
            {
                levels[index] = new PriceLevel(price, quantity);
            }
            return;
        }
        if (quantity == 0) return;
        var insertAt = ~index;
        if (count == levels.Length) Array.Resize(ref levels, levels.Length * 2);
        if (insertAt < count) Array.Copy(levels, insertAt, levels, insertAt + 1, count - insertAt);
        levels[insertAt] = new PriceLevel(price, quantity);
        count++;
    }

    /// <summary>Replaces the side with <paramref name="snapshot"/> (any order; zero quantities skipped).</summary>
    internal void Load(ReadOnlySpan<PriceLevel> snapshot)
    {
        Version++;
        count = 0;
        foreach (var level in snapshot) Set(level.Price, level.Quantity);
    }

    internal void Clear()
    {
        Version++;
        count = 0;
    }

    /// <summary>Copies the best <paramref name="depth"/> levels into <paramref name="into"/>, best first; returns how many.</summary>
    public int CopyTop(Span<PriceLevel> into, int depth)
    {
        var n = Math.Min(Math.Min(depth, count), into.Length);
        for (var i = 0; i < n; i++) into[i] = levels[count - 1 - i];
        return n;
    }

    /// <summary>Total quantity of the best <paramref name="depth"/> levels.</summary>
    public decimal QuantityOfTop(int depth)
    {
        var total = 0m;
        for (int i = count - 1, seen = 0; i >= 0 && seen < depth; i--, seen++) total += levels[i].Quantity;
        return total;
    }

    /// <summary>Binary search in storage order (bids ascending, asks descending): the index, or the complement of where it belongs.</summary>
    private int Find(decimal price)
    {
        int low = 0, high = count - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var c = levels[mid].Price.CompareTo(price);
            if (!IsBid) c = -c;
            if (c == 0) return mid;
            if (c < 0) low = mid + 1;
            else high = mid - 1;
        }
        return ~low;
    }
}
