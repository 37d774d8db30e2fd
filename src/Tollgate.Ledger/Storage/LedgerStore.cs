namespace Tollgate.Ledger.Storage;

/// <summary>
/// Where a ledger's bytes live. Two kinds of object, both never overwritten: <b>segments</b>, which only
/// grow by whole blocks appended at the position the writer expects (an Azure append blob with an
/// append-position condition), and <b>write-once objects</b> (checkpoints, the verifier key, bundle
/// members and manifests; created with If-None-Match: *). Implementations: Blob storage
/// (Tollgate.Ledger.AzureStorage), a folder (exports, offline verification) and memory (tests).
/// </summary>
public abstract class LedgerStore
{
    /// <summary>Appends a segment may take before the writer starts the next one.</summary>
    public virtual int MaxBlocksPerSegment => int.MaxValue;

    /// <summary>The largest block one append may carry.</summary>
    public virtual int MaxBlockBytes => 4 * 1024 * 1024;

    /// <summary>Every segment, ordered by first index.</summary>
    public abstract Task<IReadOnlyList<SegmentInfo>> ListSegmentsAsync(CancellationToken cancellationToken);

    /// <exception cref="LedgerWriteConflictException">The segment exists.</exception>
    public abstract Task CreateSegmentAsync(long firstIndex, CancellationToken cancellationToken);

    /// <summary>Appends <paramref name="block"/> if the segment is exactly <paramref name="expectedLength"/> bytes long.</summary>
    /// <exception cref="LedgerWriteConflictException">The segment has another length; nothing was appended.</exception>
    public abstract Task<SegmentInfo> AppendBlockAsync(long firstIndex, long expectedLength, ReadOnlyMemory<byte> block, CancellationToken cancellationToken);

    /// <summary>Reads <paramref name="count"/> bytes of a segment from <paramref name="offset"/> (to its end when null).</summary>
    public abstract Task<byte[]> ReadSegmentAsync(long firstIndex, long offset, long? count, CancellationToken cancellationToken);

    /// <summary>Creates a write-once object; false (and nothing written) if it exists.</summary>
    public abstract Task<bool> TryCreateObjectAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    public abstract Task<byte[]?> ReadObjectAsync(string name, CancellationToken cancellationToken);

    /// <summary>Names of the write-once objects under <paramref name="prefix"/>, in ordinal order.</summary>
    public abstract Task<IReadOnlyList<string>> ListObjectsAsync(string prefix, CancellationToken cancellationToken);
}
