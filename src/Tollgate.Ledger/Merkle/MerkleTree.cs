namespace Tollgate.Ledger.Merkle;

/// <summary>
/// Append-only in-memory RFC 9162 Merkle tree of leaf hashes with cached hashes of every complete
/// aligned subtree, so roots, inclusion and consistency proofs for any size &lt;= <see cref="Size"/>
/// cost O(log n) hash lookups plus at most O(log n) hash computations.
/// </summary>
/// <remarks>
/// <para>
/// Storage: level L holds the hashes of the perfect subtrees over leaves [i·2^L, (i+1)·2^L) for every
/// i &lt; Size &gt;&gt; L, each level an append-only array in 1 MiB chunks, about 2 × 32 bytes per leaf in all.
/// Which subtrees a root or proof needs is planned separately, from sizes and indices only.
/// </para>
/// <para>
/// Concurrency: one writer at a time (<see cref="AppendLeafHash"/>, <see cref="AppendEntry"/>);
/// any number of concurrent readers. A stored hash is never modified after it is written, the
/// writer finishes every hash a new size needs before it publishes that size with a release write
/// (<see cref="Volatile.Write(ref long, long)"/>), and <see cref="Size"/> and every read method use an
/// acquire read, so a reader may ask for any size up to the <see cref="Size"/> it observed while
/// appends continue. Concurrent writers are not supported and must be serialised by the caller.
/// </para>
/// </remarks>
public sealed class MerkleTree
{
    private const int MaxLevels = 64;

    /// <summary>Below this many new nodes a level is hashed on one core: scheduling would cost more than it saves.</summary>
    private const int ParallelLevelNodes = 512;

    private readonly HashLevelStore?[] _levels = new HashLevelStore?[MaxLevels];
    private long _size;

    /// <summary>Creates an empty tree.</summary>
    public MerkleTree()
    {
        _levels[0] = new HashLevelStore();
    }

    /// <summary>Number of leaves published so far.</summary>
    public long Size => Volatile.Read(ref _size);

    /// <summary>Appends one 32-byte leaf hash (as from <see cref="Rfc9162Hasher.HashLeaf(ReadOnlySpan{byte})"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="leafHash"/> is not 32 bytes.</exception>
    public void AppendLeafHash(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != Rfc9162Hasher.HashSize)
        {
            throw new ArgumentException($"A leaf hash must be {Rfc9162Hasher.HashSize} bytes, got {leafHash.Length}.", nameof(leafHash));
        }

        var index = _size; // the writer's own field; no acquire needed
        if (index == long.MaxValue)
        {
            throw new InvalidOperationException("The tree is full.");
        }

        leafHash.CopyTo(_levels[0]!.AppendSlot());

        // Every completed perfect subtree gets its root cached: while the new node is a right
        // child, hash it with its left sibling into the level above.
        var position = index;
        var level = 0;
        while ((position & 1) == 1)
        {
            var store = _levels[level]!;
            var parentStore = _levels[level + 1] ??= new HashLevelStore();
            Rfc9162Hasher.HashChildren(store.Get(position - 1), store.Get(position), parentStore.AppendSlot());
            position >>= 1;
            level++;
        }

        Volatile.Write(ref _size, index + 1);
    }

    /// <summary>
    /// Appends many 32-byte leaf hashes (concatenated) at once, with the same result as appending them one by one.
    /// The new interior nodes of each level depend only on the level below, so a level with many of them is hashed
    /// on every core: this is what lets a verifier build the tree as fast as it hashes the leaves.
    /// </summary>
    /// <exception cref="ArgumentException">The length of <paramref name="leafHashes"/> is not a multiple of 32.</exception>
    public void AppendLeafHashes(ReadOnlySpan<byte> leafHashes)
    {
        if (leafHashes.Length % Rfc9162Hasher.HashSize != 0)
        {
            throw new ArgumentException($"Leaf hashes come in {Rfc9162Hasher.HashSize}-byte units, got {leafHashes.Length} bytes.", nameof(leafHashes));
        }

        var start = _size;
        var end = start + (leafHashes.Length / Rfc9162Hasher.HashSize);
        if (end - start < ParallelLevelNodes)
        {
            for (var offset = 0; offset < leafHashes.Length; offset += Rfc9162Hasher.HashSize)
            {
                AppendLeafHash(leafHashes.Slice(offset, Rfc9162Hasher.HashSize));
            }

            return;
        }

        _levels[0]!.Append(leafHashes);
        // Level L holds one hash per complete aligned subtree of 2^L leaves: [start >> L, end >> L) are new.
        for (var level = 1; level < MaxLevels && (start >> level) < (end >> level); level++)
        {
            var children = _levels[level - 1]!;
            var first = start >> level;
            var parents = new byte[((end >> level) - first) * Rfc9162Hasher.HashSize];
            var count = parents.Length / Rfc9162Hasher.HashSize;
            var workers = count >= ParallelLevelNodes ? Environment.ProcessorCount : 1;
            Parallel.For(0, workers, worker =>
            {
                for (var i = count * worker / workers; i < count * (worker + 1) / workers; i++)
                {
                    var parent = first + i;
                    Rfc9162Hasher.HashChildren(children.Get(2 * parent), children.Get((2 * parent) + 1),
                        parents.AsSpan(i * Rfc9162Hasher.HashSize, Rfc9162Hasher.HashSize));
                }
            });
            (_levels[level] ??= new HashLevelStore()).Append(parents);
        }

        Volatile.Write(ref _size, end);
    }

    /// <summary>Hashes <paramref name="entry"/> as a leaf, appends it, and returns its index.</summary>
    public long AppendEntry(ReadOnlySpan<byte> entry)
    {
        Span<byte> leafHash = stackalloc byte[Rfc9162Hasher.HashSize];
        Rfc9162Hasher.HashLeaf(entry, leafHash);
        var index = _size;
        AppendLeafHash(leafHash);
        return index;
    }

    /// <summary>The leaf hash at <paramref name="index"/> (a copy).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not below <see cref="Size"/>.</exception>
    public byte[] LeafHash(long index)
    {
        var size = Size;
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The leaf index must be in [0, {size}).");
        }

        return _levels[0]!.Get(index).ToArray();
    }

    /// <summary>MTH of the whole tree as it is now.</summary>
    public byte[] RootHash() => RootHash(Size);

    /// <summary>MTH(D[0:size]) for any 0 &lt;= size &lt;= <see cref="Size"/>; the empty root for 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative or above <see cref="Size"/>.</exception>
    public byte[] RootHash(long size)
    {
        CheckSize(size, nameof(size));
        if (size == 0)
        {
            return Rfc9162Hasher.EmptyRoot;
        }

        var result = new byte[Rfc9162Hasher.HashSize];
        RangeHash(new LeafRange(0, size), result);
        return result;
    }

    /// <summary>
    /// PATH(index, D[size]) of RFC 9162 §2.1.3.1: the audit path of leaf <paramref name="index"/>
    /// in the tree of <paramref name="size"/> leaves, ordered from the leaf's sibling up to the root's child.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative or above <see cref="Size"/>, or <paramref name="index"/> is not in [0, size).</exception>
    public IReadOnlyList<byte[]> InclusionProof(long index, long size)
    {
        CheckSize(size, nameof(size));
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The leaf index must be in [0, {size}).");
        }

        Span<LeafRange> plan = stackalloc LeafRange[MerklePlanner.MaxPlanLength];
        var count = MerklePlanner.Inclusion(index, size, plan);
        return Materialise(plan[..count]);
    }

    /// <summary>
    /// PROOF(size1, D[size2]) of RFC 9162 §2.1.4.1. Empty when <paramref name="size1"/> equals
    /// <paramref name="size2"/> (including 0 and 0).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="size2"/> is negative or above <see cref="Size"/>; <paramref name="size1"/> is negative or
    /// above <paramref name="size2"/>; or <paramref name="size1"/> is 0 while <paramref name="size2"/> is not
    /// (the RFC defines consistency only for 0 &lt; size1, and <see cref="MerkleProofs.VerifyConsistency"/> rejects it).
    /// </exception>
    public IReadOnlyList<byte[]> ConsistencyProof(long size1, long size2)
    {
        CheckSize(size2, nameof(size2));
        if (size1 < 0 || size1 > size2)
        {
            throw new ArgumentOutOfRangeException(nameof(size1), size1, $"size1 must be in [0, size2 = {size2}].");
        }

        if (size1 == size2)
        {
            return Array.Empty<byte[]>();
        }

        if (size1 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size1), size1, "A consistency proof from the empty tree is undefined (RFC 9162 §2.1.4.1 requires 0 < size1).");
        }

        Span<LeafRange> plan = stackalloc LeafRange[MerklePlanner.MaxPlanLength];
        var count = MerklePlanner.Consistency(size1, size2, plan);
        return Materialise(plan[..count]);
    }

    /// <summary>The cached hash of node (level, index); the node must be complete at the published size.</summary>
    internal byte[] NodeHash(int level, long index)
    {
        var size = Size;
        if (level < 0 || level >= MaxLevels || index < 0 || (index + 1) > (size >> level))
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Node ({level}, {index}) is not complete at size {size}.");
        }

        return _levels[level]!.Get(index).ToArray();
    }

    private void CheckSize(long size, string parameterName)
    {
        var published = Size;
        if (size < 0 || size > published)
        {
            throw new ArgumentOutOfRangeException(parameterName, size, $"The tree size must be in [0, {published}].");
        }
    }

    private byte[][] Materialise(ReadOnlySpan<LeafRange> plan)
    {
        var proof = new byte[plan.Length][];
        for (var i = 0; i < plan.Length; i++)
        {
            var hash = new byte[Rfc9162Hasher.HashSize];
            RangeHash(plan[i], hash);
            proof[i] = hash;
        }

        return proof;
    }

    /// <summary>MTH(D[range]) from the cached perfect subtrees that cover the range, folded right to left.</summary>
    private void RangeHash(LeafRange range, Span<byte> destination)
    {
        Span<NodeId> nodes = stackalloc NodeId[MerklePlanner.MaxPlanLength];
        var count = MerklePlanner.RangeNodes(range.Begin, range.End, nodes);
        var last = nodes[count - 1];
        _levels[last.Level]!.Get(last.Index).CopyTo(destination);
        for (var i = count - 2; i >= 0; i--)
        {
            var node = nodes[i];
            Rfc9162Hasher.HashChildren(_levels[node.Level]!.Get(node.Index), destination[..Rfc9162Hasher.HashSize], destination);
        }
    }
}
