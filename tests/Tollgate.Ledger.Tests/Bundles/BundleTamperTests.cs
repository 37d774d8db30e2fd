using System.Text;
using Tollgate.Ledger.Bundles;
using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.Tests.Bundles;

/// <summary>Every verification reason, each produced by the change to storage that should cause it.</summary>
public class BundleTamperTests
{
    private static async Task<(BundleTestKit Kit, SealedBundle Bundle)> SealedAsync(int ledgerEntries = 0)
    {
        var kit = new BundleTestKit();
        var ledger = ledgerEntries > 0 ? await kit.LedgerAsync(ledgerEntries) : null;
        var indexes = ledgerEntries > 0 ? Enumerable.Range(0, ledgerEntries).Select(i => (long)i).Where(i => i % 2 == 1).ToList() : [];
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(indexes: indexes), ledger);
        Assert.True((await kit.Verifier.VerifyAsync(bundle.ManifestSha256, requireComplete: ledgerEntries > 0)).Ok);
        return (kit, bundle);
    }

    private static string[] Reasons(BundleVerification result) => [.. result.Problems.Select(problem => problem.Reason).Distinct()];

    [Fact]
    public async Task A_missing_manifest_is_not_found()
    {
        var (kit, bundle) = await SealedAsync();
        await using var _ = kit;
        kit.Store.Delete(LedgerLayout.BundleManifest(bundle.ManifestSha256));

        var result = await kit.Verifier.VerifyAsync(bundle.ManifestSha256, false);

        Assert.False(result.Ok);
        Assert.Equal([BundleReason.NotFound], Reasons(result));
        Assert.Null(result.Manifest);
    }

    [Fact]
    public async Task A_flipped_manifest_byte_is_a_hash_mismatch()
    {
        var (kit, bundle) = await SealedAsync();
        await using var _ = kit;
        // "tester" -> "testes": still a valid manifest, just not the one the name and signature vouch for.
        var at = Encoding.UTF8.GetString(bundle.Manifest.Bytes).IndexOf("\"tester\"", StringComparison.Ordinal) + 6;
        kit.Store.Tamper(LedgerLayout.BundleManifest(bundle.ManifestSha256), bytes => { var copy = bytes.ToArray(); copy[at] = (byte)'s'; return copy; });

        var result = await kit.Verifier.VerifyAsync(bundle.ManifestSha256, false);

        Assert.Equal([BundleReason.ManifestHashMismatch], Reasons(result));
        Assert.Equal("testes", result.Manifest!.CreatedBy);
    }

    [Fact]
    public async Task A_non_canonical_manifest_is_invalid()
    {
        var (kit, bundle) = await SealedAsync();
        await using var _ = kit;
        kit.Store.Tamper(LedgerLayout.BundleManifest(bundle.ManifestSha256), bytes => [.. bytes, (byte)'\n']);

        var result = await kit.Verifier.VerifyAsync(bundle.ManifestSha256, false);

        Assert.Equal([BundleReason.ManifestHashMismatch, BundleReason.ManifestInvalid], Reasons(result));
        Assert.Null(result.Manifest);
    }

    [Fact]
    public async Task A_flipped_signature_byte_is_a_bad_signature()
    {
        var (kit, bundle) = await SealedAsync();
        await using var _ = kit;
        // Flip a byte inside the base64 signature (the line after the blank line), keeping it valid base64.
        var note = bundle.SignatureNote;
        var at = note.LastIndexOf(' ') + 20;
        var flipped = note[..at] + (note[at] == 'A' ? 'B' : 'A') + note[(at + 1)..];
        kit.Store.Tamper(LedgerLayout.BundleSignature(bundle.ManifestSha256), _ => Encoding.UTF8.GetBytes(flipped));

        var result = await kit.Verifier.VerifyAsync(bundle.ManifestSha256, false);

        Assert.Equal([BundleReason.BadSignature], Reasons(result));
    }

    [Fact]
    public async Task A_missing_signature_is_a_bad_signature()
    {
        var (kit, bundle) = await SealedAsync();
        await using var _ = kit;
        kit.Store.Delete(LedgerLayout.BundleSignature(bundle.ManifestSha256));

        Assert.Equal([BundleReason.BadSignature], Reasons(await kit.Verifier.VerifyAsync(bundle.ManifestSha256, false)));
    }

    [Fact]
    public async Task Another_bundles_signature_is_a_bad_signature()
    {
        var (kit, bundle) = await SealedAsync();
        await using var _ = kit;
        var other = await kit.Writer.CreateAsync(BundleTestKit.Request(eventRef: "deploy-99"), null);
        kit.Store.Tamper(LedgerLayout.BundleSignature(bundle.ManifestSha256), _ => Encoding.UTF8.GetBytes(other.SignatureNote));

        var result = await kit.Verifier.VerifyAsync(bundle.ManifestSha256, false);

        Assert.Equal([BundleReason.BadSignature], Reasons(result));
        Assert.Contains("signed text is not", result.Problems[0].Detail);
    }

    [Fact]
    public async Task A_bundle_signed_by_another_key_is_a_bad_signature()
    {
        await using var kit = new BundleTestKit();
        using var stranger = BundleTestKit.NewSigner();
        var bundle = await new BundleWriter(kit.Store, stranger).CreateAsync(BundleTestKit.Request(), null);

        var result = await kit.Verifier.VerifyAsync(bundle.ManifestSha256, false);

        Assert.Equal([BundleReason.BadSignature], Reasons(result));
    }

    [Fact]
    public async Task A_deleted_member_is_missing()
    {
        var (kit, bundle) = await SealedAsync();
        await using var _ = kit;
        var member = bundle.Manifest.Members.Single(m => m.Role == BundleRoles.Fills);
        kit.Store.Delete(LedgerLayout.Object(member.Sha256));

        var result = await kit.Verifier.VerifyAsync(bundle.ManifestSha256, false);

        Assert.Equal([BundleReason.MemberMissing], Reasons(result));
        Assert.Equal(LedgerLayout.Object(member.Sha256), result.Problems[0].Subject);
    }

    [Fact]
    public async Task A_flipped_member_byte_is_a_hash_mismatch()
    {
        var (kit, bundle) = await SealedAsync();
        await using var _ = kit;
        var member = bundle.Manifest.Members.Single(m => m.Role == BundleRoles.Orders);
        kit.Store.Tamper(LedgerLayout.Object(member.Sha256), bytes => { var copy = bytes.ToArray(); copy[3] ^= 1; return copy; });

        Assert.Equal([BundleReason.MemberHashMismatch], Reasons(await kit.Verifier.VerifyAsync(bundle.ManifestSha256, false)));
    }

    [Fact]
    public async Task A_member_of_another_length_is_a_size_mismatch()
    {
        var (kit, bundle) = await SealedAsync();
        await using var _ = kit;
        var member = bundle.Manifest.Members.Single(m => m.Role == BundleRoles.Orders);
        kit.Store.Tamper(LedgerLayout.Object(member.Sha256), bytes => bytes[..^1]);

        Assert.Equal([BundleReason.MemberSizeMismatch], Reasons(await kit.Verifier.VerifyAsync(bundle.ManifestSha256, false)));
    }

    [Fact]
    public async Task A_changed_ledger_entry_line_fails_its_hash_and_its_proof()
    {
        var (kit, bundle) = await SealedAsync(ledgerEntries: 6);
        await using var _ = kit;
        var member = bundle.Manifest.Members.Single(m => m.Role == BundleRoles.LedgerEntries);
        kit.Store.Tamper(LedgerLayout.Object(member.Sha256), bytes =>
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\"passed\":true", "\"passed\":fals", StringComparison.Ordinal)));

        var result = await kit.Verifier.VerifyAsync(bundle.ManifestSha256, true);

        Assert.Equal([BundleReason.MemberHashMismatch, BundleReason.LedgerProofInvalid], Reasons(result));
        Assert.Equal(3, result.Problems.Count(problem => problem.Reason == BundleReason.LedgerProofInvalid)); // entries 1, 3 and 5
        Assert.Contains(result.Problems, problem => problem.Subject == "ledger-entries.jsonl line 2 (entry 3)");
    }

    [Fact]
    public async Task An_incomplete_bundle_fails_only_when_completeness_is_required()
    {
        var (kit, bundle) = await SealedAsync();
        await using var _ = kit;

        Assert.True((await kit.Verifier.VerifyAsync(bundle.ManifestSha256, requireComplete: false)).Ok);
        var result = await kit.Verifier.VerifyAsync(bundle.ManifestSha256, requireComplete: true);

        Assert.Equal([BundleReason.Incomplete], Reasons(result));
        Assert.Contains("ledger_entries", result.Problems[0].Detail);
    }

    [Fact]
    public async Task A_name_that_is_not_a_hash_is_refused()
    {
        await using var kit = new BundleTestKit();
        var error = await Assert.ThrowsAsync<BundleException>(() => kit.Verifier.VerifyAsync("../verifier-key.txt", false));
        Assert.Equal(BundleReason.BadRequest, error.Reason);
    }
}
