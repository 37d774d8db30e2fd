using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.Writing;

/// <summary>
/// What a writer knows of the stored ledger: the Merkle tree of every entry, where each entry's line is,
/// and which keys exist. Built by reading the segments and extended by each committed block, the same way,
/// so a writer's view after a crash is exactly what storage holds. Not thread-safe: the writer locks.
/// </summary>
internal sealed class LedgerState
{
    private readonly List<SegmentInfo> segments = [];
    private readonly Dictionary<UInt128, long> keys = [];
    private long[] offsets = new long[1024];

    public MerkleTree Tree { get; } = new();
    public long Size => Tree.Size;
    public IReadOnlyList<SegmentInfo> Segments => segments;
    public SegmentInfo? Current => segments.Count == 0 ? null : segments[^1];

    public static UInt128 KeyHash(string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return BinaryPrimitives.ReadUInt128BigEndian(hash);
    }

    public long? Find(UInt128 keyHash) => keys.TryGetValue(keyHash, out var index) ? index : null;

    public void AddSegment(SegmentInfo segment)
    {
        if (segment.FirstIndex != Size)
            throw new LedgerException(LedgerReason.Corrupt, $"Segment {LedgerLayout.Segment(segment.FirstIndex)} should start at index {Size}; the ledger has a gap or an overlap.");
        segments.Add(segment with { Length = 0, BlockCount = 0 });
    }

    /// <summary>
    /// Takes in a block of lines appended to the current segment at <paramref name="offset"/>.
    /// Returns the index rows of its entries.
    /// </summary>
    public List<IndexedEntry> Apply(ReadOnlySpan<byte> block, long offset, int blocksAdded)
    {
        var segment = Current ?? throw new LedgerException(LedgerReason.Corrupt, "An entry block without a segment.");
        if (offset != segment.Length)
            throw new LedgerException(LedgerReason.Corrupt, $"Block at byte {offset} of {LedgerLayout.Segment(segment.FirstIndex)}, expected {segment.Length}.");
        if (block.Length > 0 && block[^1] != (byte)'\n')
            throw new LedgerException(LedgerReason.Corrupt, $"{LedgerLayout.Segment(segment.FirstIndex)} does not end with a whole line at byte {offset + block.Length}.");
        var added = new List<IndexedEntry>();
        Span<byte> leaf = stackalloc byte[Rfc9162Hasher.HashSize];
        var position = 0;
        while (position < block.Length)
        {
            var length = block[position..].IndexOf((byte)'\n');
            var line = block.Slice(position, length);
            var index = Size;
            if (!EntryEnvelope.TryRead(line, out var envelope))
                throw new LedgerException(LedgerReason.Corrupt, $"Entry {index} in {LedgerLayout.Segment(segment.FirstIndex)} is not a readable entry.");
            Rfc9162Hasher.HashLeaf(line, leaf);
            Tree.AppendLeafHash(leaf);
            keys.TryAdd(KeyHash(envelope.Key), index);
            EnsureCapacity(index + 1);
            offsets[index] = offset + position;
            added.Add(new IndexedEntry(index, envelope.Key, envelope.Kind, envelope.CorrelationId, envelope.Time,
                Convert.ToHexStringLower(leaf), segment.FirstIndex, offset + position, length));
            position += length + 1;
        }
        segments[^1] = segment with { Length = offset + block.Length, BlockCount = segment.BlockCount + blocksAdded };
        return added;
    }

    /// <summary>Where entry <paramref name="index"/>'s line is: segment, byte offset, length without the newline.</summary>
    public (long Segment, long Offset, int Length) Locate(long index)
    {
        if (index < 0 || index >= Size) throw new ArgumentOutOfRangeException(nameof(index));
        var position = BinarySearchSegment(index);
        var segment = segments[position];
        var lastInSegment = position == segments.Count - 1 ? Size - 1 : segments[position + 1].FirstIndex - 1;
        var end = index == lastInSegment ? segment.Length : offsets[index + 1];
        return (segment.FirstIndex, offsets[index], (int)(end - offsets[index] - 1));
    }

    private int BinarySearchSegment(long index)
    {
        int low = 0, high = segments.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (segments[middle].FirstIndex <= index) low = middle; else high = middle - 1;
        }
        return low;
    }

    private void EnsureCapacity(long count)
    {
        if (count <= offsets.Length) return;
        Array.Resize(ref offsets, (int)Math.Max(count, offsets.Length * 2L));
    }
}
