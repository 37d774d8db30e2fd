namespace Tollgate.Governance.Gates;

/// <summary>
/// Content-addressed, write-once objects (the ledger's object store, which replay bundles share): where a release's
/// policy and rulebook snapshot are kept so that its risk decisions can be replayed.
/// </summary>
public interface IContentStore
{
    /// <summary>The object whose SHA-256 is <paramref name="sha256Hex"/>, or null.</summary>
    Task<byte[]?> ReadAsync(string sha256Hex, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="content"/> once; returns its SHA-256 (lowercase hex).</summary>
    Task<string> StoreAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken);
}
