using System.Text;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Writing;

namespace Tollgate.Ledger.Reading;

/// <summary>
/// A read-only view of a stored ledger, built by reading every segment: what the CLI uses to prove inclusion
/// and consistency straight from storage or an exported folder, without asking (or trusting) a host.
/// </summary>
public sealed class LedgerSnapshot : ILedgerReader
{
    private readonly LedgerStore store;
    private readonly LedgerState state;

    private LedgerSnapshot(LedgerStore store, LedgerState state, long checkpointSize, string? checkpointNote)
    {
        this.store = store;
        this.state = state;
        CheckpointSize = checkpointSize;
        CheckpointNote = checkpointNote;
    }

    /// <summary>Entries stored (including any a writer has not checkpointed yet).</summary>
    public long Size => state.Size;

    /// <summary>The size of the newest published checkpoint that the stored entries reach.</summary>
    public long CheckpointSize { get; }

    /// <summary>That checkpoint's signed note (not verified here: <see cref="Verification.LedgerVerifier"/> does that).</summary>
    public string? CheckpointNote { get; }

    public static async Task<LedgerSnapshot> LoadAsync(LedgerStore store, CancellationToken cancellationToken = default)
    {
        var state = new LedgerState();
        foreach (var segment in await store.ListSegmentsAsync(cancellationToken))
        {
            state.AddSegment(segment);
            state.Apply(await store.ReadSegmentAsync(segment.FirstIndex, 0, segment.Length, cancellationToken), 0, segment.BlockCount);
        }
        var sizes = (await store.ListObjectsAsync(LedgerLayout.CheckpointPrefix, cancellationToken))
            .Select(name => LedgerLayout.TryParseCheckpoint(name, out var size) ? size : -1)
            .Where(size => size >= 0 && size <= state.Size);
        var latest = sizes.DefaultIfEmpty(-1).Max();
        var note = latest < 0 ? null : await store.ReadObjectAsync(LedgerLayout.Checkpoint(latest), cancellationToken);
        return new LedgerSnapshot(store, state, Math.Max(0, latest), note is null ? null : Encoding.UTF8.GetString(note));
    }

    public long? Find(string key) => state.Find(LedgerState.KeyHash(key));

    public byte[] LeafHash(long index)
    {
        CheckIndex(index, Size);
        return state.Tree.LeafHash(index);
    }

    public byte[] RootHash(long size)
    {
        CheckSize(size);
        return state.Tree.RootHash(size);
    }

    public IReadOnlyList<byte[]> InclusionProof(long index, long size)
    {
        CheckSize(size);
        CheckIndex(index, size);
        return state.Tree.InclusionProof(index, size);
    }

    public IReadOnlyList<byte[]> ConsistencyProof(long size1, long size2)
    {
        CheckSize(size2);
        if (size1 < 0 || size1 > size2) throw new LedgerException(LedgerReason.BadRange, $"A consistency proof needs 0 <= size1 <= size2; got {size1} and {size2}.");
        return state.Tree.ConsistencyProof(size1, size2);
    }

    public Task<byte[]> ReadEntryAsync(long index, CancellationToken cancellationToken = default)
    {
        CheckIndex(index, Size);
        var (segment, offset, length) = state.Locate(index);
        return store.ReadSegmentAsync(segment, offset, length, cancellationToken);
    }

    private static void CheckIndex(long index, long size)
    {
        if (index < 0 || index >= size) throw new LedgerException(LedgerReason.BadRange, $"No entry {index}: the tree has {size} entries.");
    }

    private void CheckSize(long size)
    {
        if (size < 0 || size > Size) throw new LedgerException(LedgerReason.BadRange, $"Tree size {size} is beyond the {Size} stored entries.");
    }
}
