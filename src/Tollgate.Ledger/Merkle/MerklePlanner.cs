using System.Diagnostics;
using System.Numerics;

namespace Tollgate.Ledger.Merkle;

/// <summary>
/// A node of the complete binary tree over the leaves: level 0 is the leaves, and node
/// (level, index) is the root of the perfect, aligned subtree over leaves
/// [index * 2^level, (index + 1) * 2^level).
/// </summary>
internal readonly record struct NodeId(int Level, long Index)
{
    public long Begin => Index << Level;

    public long End => (Index + 1) << Level;
}

/// <summary>
/// A range [Begin, End) of leaves whose Merkle Tree Hash MTH(D[Begin:End]) is one element of a
/// proof. Every range the planner emits is a subtree of the RFC 9162 recursion: either perfect
/// (one stored node) or on the right border of a tree (several stored nodes folded right to left).
/// </summary>
internal readonly record struct LeafRange(long Begin, long End)
{
    public long Count => End - Begin;
}

/// <summary>
/// Pure arithmetic over tree sizes and indices: which subtrees make up a root, an inclusion
/// proof or a consistency proof. It never sees a hash; <see cref="MerkleTree"/> fetches and folds
/// the hashes. Straight transcriptions of RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and
/// §2.1.4.1 (PROOF/SUBPROOF), unrolled into loops.
/// </summary>
internal static class MerklePlanner
{
    /// <summary>Upper bound of every plan's length (a tree has at most 2^63 - 1 leaves).</summary>
    public const int MaxPlanLength = 64;

    /// <summary>k = the largest power of two strictly smaller than n (RFC 9162 §2.1.1). Requires n &gt;= 2.</summary>
    public static long SplitPoint(long n)
    {
        Debug.Assert(n >= 2);
        return 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));
    }

    /// <summary>
    /// Writes the perfect aligned subtrees covering [begin, end), left to right, and returns how many.
    /// For a range of the RFC recursion they are the binary decomposition of end - begin, largest
    /// first, and MTH(D[begin:end]) = H(n0, H(n1, ... H(n_{c-2}, n_{c-1}))).
    /// </summary>
    public static int RangeNodes(long begin, long end, Span<NodeId> destination)
    {
        Debug.Assert(0 <= begin && begin < end);
        var count = 0;
        while (begin < end)
        {
            var alignment = begin == 0 ? 62 : BitOperations.TrailingZeroCount(begin);
            var fits = 63 - BitOperations.LeadingZeroCount((ulong)(end - begin));
            var level = Math.Min(alignment, fits);
            destination[count++] = new NodeId(level, begin >> level);
            begin += 1L << level;
        }

        return count;
    }

    /// <summary>
    /// PATH(index, D[size]) as leaf ranges, ordered as the RFC's recursion emits them (leaf to root).
    /// Requires 0 &lt;= index &lt; size.
    /// </summary>
    public static int Inclusion(long index, long size, Span<LeafRange> destination)
    {
        Debug.Assert(0 <= index && index < size);
        var count = 0;
        long lo = 0, hi = size;
        while (hi - lo > 1)
        {
            var k = SplitPoint(hi - lo);
            if (index < lo + k)
            {
                // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])
                destination[count++] = new LeafRange(lo + k, hi);
                hi = lo + k;
            }
            else
            {
                // PATH(m, D[n]) = PATH(m - k, D[k:n]) : MTH(D[0:k])
                destination[count++] = new LeafRange(lo, lo + k);
                lo += k;
            }
        }

        destination[..count].Reverse();
        return count;
    }

    /// <summary>Number of hashes in PATH(index, D[size]). Requires 0 &lt;= index &lt; size.</summary>
    public static int InclusionLength(long index, long size)
    {
        Span<LeafRange> plan = stackalloc LeafRange[MaxPlanLength];
        return Inclusion(index, size, plan);
    }

    /// <summary>
    /// PROOF(size1, D[size2]) = SUBPROOF(size1, D[size2], true) as leaf ranges, in the RFC's order.
    /// Requires 0 &lt; size1 &lt;= size2 (an equal pair yields the empty proof).
    /// </summary>
    public static int Consistency(long size1, long size2, Span<LeafRange> destination)
    {
        Debug.Assert(0 < size1 && size1 <= size2);
        var count = 0;
        long lo = 0, hi = size2;
        var haveRoot1 = true;
        while (size1 != hi)
        {
            var k = SplitPoint(hi - lo);
            if (size1 <= lo + k)
            {
                // SUBPROOF(m, D[n], b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
                destination[count++] = new LeafRange(lo + k, hi);
                hi = lo + k;
            }
            else
            {
                // SUBPROOF(m, D[n], b) = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
                destination[count++] = new LeafRange(lo, lo + k);
                lo += k;
                haveRoot1 = false;
            }
        }

        // SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}
        if (!haveRoot1)
        {
            destination[count++] = new LeafRange(lo, hi);
        }

        destination[..count].Reverse();
        return count;
    }

    /// <summary>Number of hashes in PROOF(size1, D[size2]). Requires 0 &lt; size1 &lt;= size2.</summary>
    public static int ConsistencyLength(long size1, long size2)
    {
        Span<LeafRange> plan = stackalloc LeafRange[MaxPlanLength];
        return Consistency(size1, size2, plan);
    }
}
