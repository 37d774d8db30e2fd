using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.Bundles;

/// <summary>
/// Checks a bundle without trusting whoever sealed or stored it: the manifest's bytes against its name, its
/// canonical form and rules, the signature over its hash, every member's bytes against the manifest, and the
/// ledger evidence against a checkpoint signed by the ledger's key. Reads a ledger store or an exported folder.
/// </summary>
/// <remarks>
/// Verification reports every problem it finds rather than stopping at the first, so one run tells an auditor
/// all that is wrong. It stops early only when there is nothing left to check against (no manifest, or one that
/// does not parse).
/// </remarks>
public sealed class BundleVerifier(LedgerStore store, EcdsaNoteVerifier key)
{
    /// <summary>Verifies the bundle named <paramref name="manifestSha256"/> in the store.</summary>
    /// <param name="requireComplete">Whether a bundle that lacks roles needed for replay fails (<see cref="BundleReason.Incomplete"/>).</param>
    /// <exception cref="BundleException"><see cref="BundleReason.BadRequest"/>: the name is not 64 lowercase hex digits.</exception>
    public Task<BundleVerification> VerifyAsync(string manifestSha256, bool requireComplete, CancellationToken cancellationToken = default)
    {
        CheckName(manifestSha256);
        return RunAsync(new StoreBundleSource(store, manifestSha256), manifestSha256, key, requireComplete, cancellationToken);
    }

    /// <summary>
    /// Verifies a folder written by <see cref="BundleExporter"/>, with the same checks, plus that the folder holds no
    /// file the manifest does not account for (<see cref="BundleReason.StrayFile"/>).
    /// </summary>
    /// <param name="expectedManifestSha256">
    /// The bundle's name as the auditor knows it (from the ledger's "bundle" entry). A folder cannot name itself: without
    /// this, the signature is checked against the hash of whatever manifest.json holds.
    /// </param>
    public static async Task<BundleVerification> VerifyFolderAsync(
        string folder, EcdsaNoteVerifier key, bool requireComplete, string? expectedManifestSha256 = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (expectedManifestSha256 is not null) CheckName(expectedManifestSha256);
        var source = new FolderBundleSource(folder);
        var result = await RunAsync(source, expectedManifestSha256, key, requireComplete, cancellationToken);
        if (result.Manifest is not { } manifest) return result;

        var expected = new HashSet<string>(manifest.Members.Select(BundleFolderLayout.Member), StringComparer.Ordinal)
            { BundleFolderLayout.ManifestFile, BundleFolderLayout.SignatureFile };
        var stray = source.Files().Where(file => !expected.Contains(file)).Order(StringComparer.Ordinal)
            .Select(file => new BundleProblem(BundleReason.StrayFile, file, "the manifest does not list this file; an export holds nothing unaccounted for"))
            .ToList();
        return stray.Count == 0 ? result : result with { Ok = false, Problems = [.. result.Problems, .. stray] };
    }

    private static async Task<BundleVerification> RunAsync(
        BundleSource source, string? expectedSha256, EcdsaNoteVerifier key, bool requireComplete, CancellationToken cancellationToken)
    {
        var problems = new List<BundleProblem>();
        var bytes = await source.ReadManifestAsync(cancellationToken);
        if (bytes is null)
        {
            problems.Add(new BundleProblem(BundleReason.NotFound, source.ManifestLocation, "there is no manifest"));
            return new BundleVerification(false, problems, null);
        }

        var actual = BundleRules.Sha256Hex(bytes);
        if (expectedSha256 is not null && actual != expectedSha256)
            problems.Add(new BundleProblem(BundleReason.ManifestHashMismatch, source.ManifestLocation, $"the bytes hash to {actual}, not {expectedSha256}"));

        // The signature vouches for the name the bundle is known by (the ledger entry's manifest_sha256), so it is
        // checked against that name: a swapped manifest shows up as a hash mismatch beside a good signature.
        var name = expectedSha256 ?? actual;
        if (BundleSignature.Problem(await source.ReadSignatureAsync(cancellationToken), name, key) is { } signatureProblem)
            problems.Add(new BundleProblem(BundleReason.BadSignature, source.SignatureLocation, signatureProblem));

        BundleManifest manifest;
        try { manifest = BundleManifest.Parse(bytes); }
        catch (BundleException e)
        {
            problems.Add(new BundleProblem(e.Reason, source.ManifestLocation, e.Message));
            return new BundleVerification(false, problems, null);
        }

        var ledgerContent = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var member in manifest.Members)
        {
            var location = source.MemberLocation(member);
            var what = $"member {member.Role}/{member.Name}";
            if (await source.ReadMemberAsync(member, cancellationToken) is not { } read)
            {
                problems.Add(new BundleProblem(BundleReason.MemberMissing, location, $"{what} is not stored"));
                continue;
            }
            var (length, content) = read;
            // A different length implies a different hash; the size is the more telling of the two, so it alone is reported.
            if (length != member.Size || content is null)
                problems.Add(new BundleProblem(BundleReason.MemberSizeMismatch, location, $"{what} has {length} bytes, the manifest says {member.Size}"));
            else if (BundleRules.Sha256Hex(content) is var hash && hash != member.Sha256)
                problems.Add(new BundleProblem(BundleReason.MemberHashMismatch, location, $"{what} hashes to {hash}, the manifest says {member.Sha256}"));
            // Ledger members are checked on their own terms even when they fail their hash: the auditor learns whether
            // the bytes present still prove anything against the signed checkpoint.
            if (content is not null && BundleRoles.BuiltFromLedger.Contains(member.Role)) ledgerContent[member.Role] = content;
        }

        if (manifest.Ledger is { } reference
            && ledgerContent.TryGetValue(BundleRoles.LedgerEntries, out var entries)
            && ledgerContent.TryGetValue(BundleRoles.LedgerProofs, out var proofs)
            && ledgerContent.TryGetValue(BundleRoles.Checkpoint, out var checkpoint))
            BundleLedgerMembers.Check(reference, entries, proofs, checkpoint, key, problems);

        if (requireComplete && manifest.MissingRoles.Count > 0)
            problems.Add(new BundleProblem(BundleReason.Incomplete, source.ManifestLocation,
                $"the bundle lacks roles needed for replay: {string.Join(", ", manifest.MissingRoles)}"));

        return new BundleVerification(problems.Count == 0, problems, manifest);
    }

    private static void CheckName(string manifestSha256)
    {
        if (!BundleRules.IsSha256Hex(manifestSha256))
            throw new BundleException(BundleReason.BadRequest, "A bundle is named by its manifest's SHA-256: 64 lowercase hex digits.");
    }
}
