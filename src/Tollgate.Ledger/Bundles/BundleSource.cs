using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.Bundles;

/// <summary>Where a verifier reads a bundle's bytes from: a ledger store or an exported folder. The checks are the same.</summary>
internal abstract class BundleSource
{
    public abstract string ManifestLocation { get; }
    public abstract string SignatureLocation { get; }
    public abstract string MemberLocation(BundleMember member);
    public abstract Task<byte[]?> ReadManifestAsync(CancellationToken cancellationToken);
    public abstract Task<byte[]?> ReadSignatureAsync(CancellationToken cancellationToken);

    /// <summary>The member's length and bytes, or null when absent. The bytes are null when the length already differs.</summary>
    public abstract Task<(long Length, byte[]? Content)?> ReadMemberAsync(BundleMember member, CancellationToken cancellationToken);
}

/// <summary>A bundle in a ledger store: members are the content-addressed objects.</summary>
internal sealed class StoreBundleSource(LedgerStore store, string manifestSha256) : BundleSource
{
    public override string ManifestLocation => LedgerLayout.BundleManifest(manifestSha256);
    public override string SignatureLocation => LedgerLayout.BundleSignature(manifestSha256);
    public override string MemberLocation(BundleMember member) => LedgerLayout.Object(member.Sha256);

    public override Task<byte[]?> ReadManifestAsync(CancellationToken cancellationToken) => store.ReadObjectAsync(ManifestLocation, cancellationToken);
    public override Task<byte[]?> ReadSignatureAsync(CancellationToken cancellationToken) => store.ReadObjectAsync(SignatureLocation, cancellationToken);
    public override async Task<(long Length, byte[]? Content)?> ReadMemberAsync(BundleMember member, CancellationToken cancellationToken) =>
        await store.ReadObjectAsync(MemberLocation(member), cancellationToken) is { } bytes ? (bytes.Length, bytes) : null;
}

/// <summary>An exported bundle folder (<see cref="BundleFolderLayout"/>).</summary>
internal sealed class FolderBundleSource(string root) : BundleSource
{
    public string Root { get; } = Path.GetFullPath(root);

    public override string ManifestLocation => BundleFolderLayout.ManifestFile;
    public override string SignatureLocation => BundleFolderLayout.SignatureFile;
    public override string MemberLocation(BundleMember member) => BundleFolderLayout.Member(member);

    public override Task<byte[]?> ReadManifestAsync(CancellationToken cancellationToken) => ReadAsync(ManifestLocation, cancellationToken);
    public override Task<byte[]?> ReadSignatureAsync(CancellationToken cancellationToken) => ReadAsync(SignatureLocation, cancellationToken);

    public override async Task<(long Length, byte[]? Content)?> ReadMemberAsync(BundleMember member, CancellationToken cancellationToken)
    {
        var path = PathOf(MemberLocation(member));
        if (!File.Exists(path)) return null;
        // A planted file of the wrong size is reported from its length alone, without reading it into memory.
        var length = new FileInfo(path).Length;
        if (length != member.Size) return (length, null);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        return (bytes.Length, bytes);
    }

    /// <summary>Every file under the folder, relative with '/' separators, for the check that nothing is unaccounted for.</summary>
    public IEnumerable<string> Files() =>
        Directory.Exists(Root)
            ? Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'))
            : [];

    private async Task<byte[]?> ReadAsync(string relative, CancellationToken cancellationToken)
    {
        var path = PathOf(relative);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    public string PathOf(string relative)
    {
        var path = Path.GetFullPath(Path.Combine(Root, relative));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new BundleException(BundleReason.BadRequest, $"'{relative}' is outside the bundle folder.");
        return path;
    }
}
