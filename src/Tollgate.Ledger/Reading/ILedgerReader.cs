namespace Tollgate.Ledger.Reading;

/// <summary>What reading and proving needs of a ledger, from a live writer or a snapshot of storage.</summary>
public interface ILedgerReader
{
    /// <summary>The size of the newest signed checkpoint.</summary>
    long CheckpointSize { get; }

    /// <summary>That checkpoint's signed note, or null when none is published.</summary>
    string? CheckpointNote { get; }

    long? Find(string key);
    byte[] LeafHash(long index);
    byte[] RootHash(long size);
    IReadOnlyList<byte[]> InclusionProof(long index, long size);
    IReadOnlyList<byte[]> ConsistencyProof(long size1, long size2);
    Task<byte[]> ReadEntryAsync(long index, CancellationToken cancellationToken = default);
}
