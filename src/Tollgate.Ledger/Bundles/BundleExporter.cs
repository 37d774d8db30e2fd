using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.Bundles;

/// <summary>
/// Copies one bundle out of a ledger store into a folder (<see cref="BundleFolderLayout"/>) for an auditor or a
/// replay run, byte for byte: the exporter does not judge what it copies, so a bundle damaged in storage shows the
/// same problems when its folder is verified offline.
/// </summary>
public static class BundleExporter
{
    /// <exception cref="BundleException">
    /// <see cref="BundleReason.ExportTargetNotEmpty"/> (the folder exists and holds something), <see cref="BundleReason.NotFound"/>
    /// (no manifest), <see cref="BundleReason.ManifestInvalid"/> (the members cannot be known), <see cref="BundleReason.BadRequest"/>
    /// (not a bundle name). In each case nothing is written.
    /// </exception>
    public static async Task<BundleExportSummary> ExportAsync(LedgerStore store, string manifestSha256, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!BundleRules.IsSha256Hex(manifestSha256))
            throw new BundleException(BundleReason.BadRequest, "A bundle is named by its manifest's SHA-256: 64 lowercase hex digits.");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new BundleException(BundleReason.ExportTargetNotEmpty, $"'{folder}' is not empty; export into a new folder so nothing is mixed or overwritten.");

        var bytes = await store.ReadObjectAsync(LedgerLayout.BundleManifest(manifestSha256), cancellationToken)
            ?? throw new BundleException(BundleReason.NotFound, $"No bundle {manifestSha256} in the store.");
        var manifest = BundleManifest.Parse(bytes);
        var target = new FolderBundleSource(folder);
        Directory.CreateDirectory(target.Root);

        await WriteAsync(target, BundleFolderLayout.ManifestFile, bytes, cancellationToken);
        var signature = await store.ReadObjectAsync(LedgerLayout.BundleSignature(manifestSha256), cancellationToken);
        if (signature is not null) await WriteAsync(target, BundleFolderLayout.SignatureFile, signature, cancellationToken);

        var written = 0;
        var missing = new List<string>();
        foreach (var member in manifest.Members)
        {
            var relative = BundleFolderLayout.Member(member);
            var content = await store.ReadObjectAsync(LedgerLayout.Object(member.Sha256), cancellationToken);
            if (content is null)
            {
                missing.Add(relative);
                continue;
            }
            await WriteAsync(target, relative, content, cancellationToken);
            written++;
        }
        return new BundleExportSummary(manifestSha256, written, missing, signature is not null);
    }

    private static async Task WriteAsync(FolderBundleSource target, string relative, byte[] content, CancellationToken cancellationToken)
    {
        var path = target.PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        await file.WriteAsync(content, cancellationToken);
    }
}
