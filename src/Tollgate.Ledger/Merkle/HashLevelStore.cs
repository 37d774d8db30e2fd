namespace Tollgate.Ledger.Merkle;

/// <summary>
/// Append-only array of 32-byte hashes kept in large contiguous chunks (1 MiB = 32,768 hashes
/// each), so a level costs 32 bytes per hash plus one array header per chunk, not one object per node.
/// </summary>
/// <remarks>
/// One writer appends; readers may concurrently read any index the writer had finished before
/// it published (with a release write) a tree size that the reader observed (with an acquire read).
/// Data is never moved in place: when the first chunk grows, or the chunk directory grows, a new
/// array is filled completely and only then published with <see cref="Volatile.Write{T}(ref T, T)"/>;
/// a reader holding the old array still finds every hash it is allowed to read there.
/// </remarks>
internal sealed class HashLevelStore
{
    internal const int ChunkShift = 15;
    internal const int ChunkHashes = 1 << ChunkShift;
    private const int HashShift = 5; // 32 bytes per hash
    private const int ChunkBytes = ChunkHashes << HashShift;
    private const int InitialFirstChunkBytes = 64 << HashShift;

    private byte[][] _chunks = new byte[4][];
    private long _count;

    /// <summary>Hashes appended so far. Writer only; readers bound themselves by the published tree size.</summary>
    public long Count => _count;

    /// <summary>Reserves the next slot and returns it for the writer to fill before publishing.</summary>
    public Span<byte> AppendSlot()
    {
        var index = _count;
        var chunkIndex = (int)(index >> ChunkShift);
        var offset = (int)(index & (ChunkHashes - 1)) << HashShift;
        var chunk = EnsureChunk(chunkIndex, offset + Rfc9162Hasher.HashSize);
        _count = index + 1;
        return chunk.AsSpan(offset, Rfc9162Hasher.HashSize);
    }

    /// <summary>Appends hashes (concatenated, 32 bytes each), as many <see cref="AppendSlot"/> calls would.</summary>
    public void Append(ReadOnlySpan<byte> hashes)
    {
        while (!hashes.IsEmpty)
        {
            var index = _count;
            var offset = (int)(index & (ChunkHashes - 1)) << HashShift;
            var length = Math.Min(hashes.Length, ChunkBytes - offset);
            var chunk = EnsureChunk((int)(index >> ChunkShift), offset + length);
            hashes[..length].CopyTo(chunk.AsSpan(offset));
            _count = index + (length >> HashShift);
            hashes = hashes[length..];
        }
    }

    /// <summary>The hash at <paramref name="index"/>; the caller guarantees it was published.</summary>
    public ReadOnlySpan<byte> Get(long index)
    {
        var directory = Volatile.Read(ref _chunks);
        var chunk = Volatile.Read(ref directory[(int)(index >> ChunkShift)]);
        return new ReadOnlySpan<byte>(chunk, (int)(index & (ChunkHashes - 1)) << HashShift, Rfc9162Hasher.HashSize);
    }

    private byte[] EnsureChunk(int chunkIndex, int requiredBytes)
    {
        var directory = _chunks;
        if (chunkIndex >= directory.Length)
        {
            var grown = new byte[directory.Length * 2][];
            Array.Copy(directory, grown, directory.Length);
            Volatile.Write(ref _chunks, grown);
            directory = grown;
        }

        var chunk = directory[chunkIndex];
        if (chunk is null)
        {
            // Only the first chunk starts small (so that small trees stay small); once it is full,
            // every later chunk is allocated at its final size.
            chunk = new byte[chunkIndex == 0 ? GrownLength(InitialFirstChunkBytes, requiredBytes) : ChunkBytes];
            Volatile.Write(ref directory[chunkIndex], chunk);
        }
        else if (chunk.Length < requiredBytes)
        {
            var grown = new byte[GrownLength(chunk.Length * 2, requiredBytes)];
            Buffer.BlockCopy(chunk, 0, grown, 0, chunk.Length);
            Volatile.Write(ref directory[chunkIndex], grown);
            chunk = grown;
        }

        return chunk;
    }

    /// <summary>The first power-of-two multiple of <paramref name="length"/> that holds <paramref name="requiredBytes"/>, at most a chunk.</summary>
    private static int GrownLength(int length, int requiredBytes)
    {
        while (length < requiredBytes) length *= 2;
        return Math.Min(ChunkBytes, length);
    }
}
