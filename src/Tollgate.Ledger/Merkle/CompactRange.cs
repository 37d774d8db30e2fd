namespace Tollgate.Ledger.Merkle;

/// <summary>
/// Streaming RFC 9162 root in O(log n) memory: append leaf hashes in order and ask for the root
/// at the current size. Keeps only the roots of the perfect subtrees that make up the tree
/// (one per set bit of <see cref="Size"/>, at most 63 hashes in one 2 KiB buffer).
/// Append is O(1) amortised (one hash on average); <see cref="RootHash"/> is O(log n).
/// </summary>
/// <remarks>Not thread-safe: for one verifier streaming a ledger.</remarks>
public sealed class CompactRange
{
    private const int MaxNodes = 64;

    // Roots of the perfect subtrees of the binary decomposition of Size, largest (leftmost) first.
    private readonly byte[] _nodes = new byte[MaxNodes * Rfc9162Hasher.HashSize];
    private int _count;
    private long _size;

    /// <summary>Number of leaves appended.</summary>
    public long Size => _size;

    /// <summary>Appends the next 32-byte leaf hash.</summary>
    /// <exception cref="ArgumentException"><paramref name="leafHash"/> is not 32 bytes.</exception>
    public void Append(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != Rfc9162Hasher.HashSize)
        {
            throw new ArgumentException($"A leaf hash must be {Rfc9162Hasher.HashSize} bytes, got {leafHash.Length}.", nameof(leafHash));
        }

        if (_size == long.MaxValue)
        {
            throw new InvalidOperationException("The range is full.");
        }

        leafHash.CopyTo(Node(_count));
        _count++;

        // The new leaf completes one perfect subtree per trailing one bit of the old size.
        for (var position = _size; (position & 1) == 1; position >>= 1)
        {
            var left = Node(_count - 2);
            Rfc9162Hasher.HashChildren(left, Node(_count - 1), left);
            _count--;
        }

        _size++;
    }

    /// <summary>MTH of the leaves appended so far; the empty root when none.</summary>
    public byte[] RootHash()
    {
        if (_count == 0)
        {
            return Rfc9162Hasher.EmptyRoot;
        }

        var root = Node(_count - 1).ToArray();
        for (var i = _count - 2; i >= 0; i--)
        {
            Rfc9162Hasher.HashChildren(Node(i), root, root);
        }

        return root;
    }

    private Span<byte> Node(int i) => _nodes.AsSpan(i * Rfc9162Hasher.HashSize, Rfc9162Hasher.HashSize);
}
