using System.Text;
using Tollgate.Ledger.Bundles;
using Tollgate.Ledger.Checkpoints;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Reading;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Writing;

namespace Tollgate.Ledger.Tests.Bundles;

/// <summary>Bundles carrying ledger entries from a real <see cref="LedgerWriter"/>, and forged ledger evidence.</summary>
public class BundleLedgerTests
{
    [Fact]
    public async Task A_bundle_with_ledger_entries_is_complete_and_verifies()
    {
        await using var kit = new BundleTestKit();
        var ledger = await kit.LedgerAsync(7);

        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(indexes: [5, 0, 3]), ledger);
        var result = await kit.Verifier.VerifyAsync(bundle.ManifestSha256, requireComplete: true);

        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Empty(bundle.Manifest.MissingRoles);
        Assert.Equal(7, bundle.Manifest.Ledger!.TreeSize);
        Assert.Equal([0L, 3, 5], bundle.Manifest.Ledger.Indexes);
        Assert.Equal(12, bundle.Manifest.Members.Count);
    }

    [Fact]
    public async Task The_entries_member_holds_the_exact_ledger_bytes_and_the_proofs_lead_to_the_checkpoint()
    {
        await using var kit = new BundleTestKit();
        var ledger = await kit.LedgerAsync(5);
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(indexes: [1, 4]), ledger);

        var entries = await kit.MemberBytesAsync(bundle, BundleRoles.LedgerEntries);
        var expected = new List<byte>();
        foreach (var index in new long[] { 1, 4 }) expected.AddRange([.. await ledger.ReadEntryAsync(index), (byte)'\n']);
        Assert.Equal(expected.ToArray(), entries);

        var proofs = BundleLedgerProofs.Parse(await kit.MemberBytesAsync(bundle, BundleRoles.LedgerProofs));
        Assert.Equal(5, proofs.TreeSize);
        Assert.Equal(ledger.RootHash(5), proofs.RootHash);
        Assert.Equal([1L, 4], proofs.Entries.Select(entry => entry.Index));
        Assert.Equal(ledger.LeafHash(4), proofs.Entries[1].LeafHash);

        var checkpoint = Encoding.UTF8.GetString(await kit.MemberBytesAsync(bundle, BundleRoles.Checkpoint));
        Assert.Equal(ledger.CheckpointNote, checkpoint);
        Assert.Equal(proofs.RootHash, Checkpoint.ParseNoteText(kit.Key.Open(checkpoint)).RootHash);
    }

    [Fact]
    public async Task The_bundle_entry_can_be_appended_to_the_ledger()
    {
        await using var kit = new BundleTestKit();
        var ledger = await kit.LedgerAsync(3);
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(indexes: [2]), ledger);

        var receipt = await ledger.AppendAsync(bundle.ToLedgerEntry("tester", "corr-1", BundleTestKit.Time));

        Assert.Equal(3, receipt.Index);
        Assert.Equal(3, ledger.Find($"bundle:{bundle.ManifestSha256}"));
        // A bundle about the ledger that now records it, sealed again over the larger tree, still verifies.
        var later = await kit.Writer.CreateAsync(BundleTestKit.Request(indexes: [2, 3], eventRef: "deploy-42-with-seal"), ledger);
        Assert.True((await kit.Verifier.VerifyAsync(later.ManifestSha256, true)).Ok);
    }

    [Fact]
    public async Task A_snapshot_of_storage_serves_as_the_ledger()
    {
        await using var kit = new BundleTestKit();
        await kit.LedgerAsync(4);
        var snapshot = await LedgerSnapshot.LoadAsync(kit.Store);

        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(indexes: [0, 3]), snapshot);

        Assert.True((await kit.Verifier.VerifyAsync(bundle.ManifestSha256, true)).Ok);
    }

    [Fact]
    public async Task A_ledger_signed_by_another_key_is_refused()
    {
        await using var kit = new BundleTestKit();
        var ledger = await kit.LedgerAsync(2);
        using var other = BundleTestKit.NewSigner();
        var before = await kit.ObjectCountAsync();

        var error = await Assert.ThrowsAsync<BundleException>(() => new BundleWriter(kit.Store, other).CreateAsync(BundleTestKit.Request(indexes: [0]), ledger));

        Assert.Equal(BundleReason.CheckpointInvalid, error.Reason);
        Assert.Equal(before, await kit.ObjectCountAsync());
    }

    [Fact]
    public async Task A_verifier_with_another_key_rejects_the_signature_and_the_checkpoint()
    {
        await using var kit = new BundleTestKit();
        var ledger = await kit.LedgerAsync(2);
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(indexes: [1]), ledger);
        using var other = BundleTestKit.NewSigner();

        var result = await new BundleVerifier(kit.Store, EcdsaNoteVerifier.Parse(other.VerifierKey)).VerifyAsync(bundle.ManifestSha256, true);

        Assert.Equal([BundleReason.BadSignature, BundleReason.CheckpointInvalid], result.Problems.Select(problem => problem.Reason));
    }

    // Forgeries: a manifest that honestly hashes doctored ledger evidence and is signed with the right key. The
    // signature then says nothing about the ledger; only the proofs and the checkpoint can catch it.

    [Fact]
    public async Task A_signed_bundle_with_a_changed_entry_fails_its_proof()
    {
        var (kit, ledger, bundle) = await SealedWithLedgerAsync();
        await using var _ = kit;
        var inputs = await InputsAsync(kit, bundle);
        var entries = Encoding.UTF8.GetString(inputs[BundleRoles.LedgerEntries].Content.Span).Replace("\"check\":\"x\"", "\"check\":\"y\"", StringComparison.Ordinal);
        inputs[BundleRoles.LedgerEntries] = inputs[BundleRoles.LedgerEntries] with { Content = Encoding.UTF8.GetBytes(entries) };

        var forged = await kit.Writer.SealAsync(BundleTestKit.Request(indexes: [1, 2]), bundle.Manifest.Ledger, [.. inputs.Values], CancellationToken.None);
        var result = await kit.Verifier.VerifyAsync(forged.ManifestSha256, true);

        Assert.Equal([BundleReason.LedgerProofInvalid, BundleReason.LedgerProofInvalid], result.Problems.Select(problem => problem.Reason));
        Assert.Contains("hashes to leaf", result.Problems[0].Detail);
    }

    [Fact]
    public async Task A_signed_bundle_with_a_wrong_inclusion_proof_fails()
    {
        var (kit, ledger, bundle) = await SealedWithLedgerAsync();
        await using var _ = kit;
        var inputs = await InputsAsync(kit, bundle);
        var proofs = BundleLedgerProofs.Parse(inputs[BundleRoles.LedgerProofs].Content.Span);
        var path = proofs.Entries[0].InclusionProof.Select(hash => hash.ToArray()).ToList();
        path[0][0] ^= 0x80;
        var wrong = proofs with { Entries = [proofs.Entries[0] with { InclusionProof = path }, .. proofs.Entries.Skip(1)] };
        inputs[BundleRoles.LedgerProofs] = inputs[BundleRoles.LedgerProofs] with { Content = wrong.ToBytes() };

        var forged = await kit.Writer.SealAsync(BundleTestKit.Request(indexes: [1, 2]), bundle.Manifest.Ledger, [.. inputs.Values], CancellationToken.None);
        var result = await kit.Verifier.VerifyAsync(forged.ManifestSha256, true);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(BundleReason.LedgerProofInvalid, problem.Reason);
        Assert.Equal("ledger-entries.jsonl line 1 (entry 1)", problem.Subject);
        Assert.Contains(MerkleProofReasons.RootMismatch, problem.Detail);
    }

    [Fact]
    public async Task A_signed_bundle_whose_proofs_lead_to_another_root_fails_the_checkpoint()
    {
        var (kit, ledger, bundle) = await SealedWithLedgerAsync();
        await using var _ = kit;
        // A consistent story for a smaller tree (the proofs verify against their own root) under the newest checkpoint.
        var inputs = await InputsAsync(kit, bundle);
        var size = 3L;
        var proofs = new BundleLedgerProofs(size, ledger.RootHash(size),
            [.. new long[] { 1, 2 }.Select(index => new BundleLedgerProof(index, ledger.LeafHash(index), ledger.InclusionProof(index, size)))]);
        inputs[BundleRoles.LedgerProofs] = inputs[BundleRoles.LedgerProofs] with { Content = proofs.ToBytes() };

        var forged = await kit.Writer.SealAsync(BundleTestKit.Request(indexes: [1, 2]), new BundleLedgerRef([1, 2], size), [.. inputs.Values], CancellationToken.None);
        var result = await kit.Verifier.VerifyAsync(forged.ManifestSha256, true);

        Assert.Equal([BundleReason.CheckpointInvalid, BundleReason.CheckpointInvalid], result.Problems.Select(problem => problem.Reason));
        Assert.Contains(result.Problems, problem => problem.Detail.Contains("signs size 5"));
        Assert.Contains(result.Problems, problem => problem.Detail.Contains("signs root"));
    }

    [Fact]
    public async Task A_signed_bundle_with_a_checkpoint_by_another_key_fails()
    {
        var (kit, ledger, bundle) = await SealedWithLedgerAsync();
        await using var _ = kit;
        var inputs = await InputsAsync(kit, bundle);
        using var stranger = BundleTestKit.NewSigner();
        var text = kit.Key.Open(Encoding.UTF8.GetString(inputs[BundleRoles.Checkpoint].Content.Span));
        inputs[BundleRoles.Checkpoint] = inputs[BundleRoles.Checkpoint] with { Content = Encoding.UTF8.GetBytes(stranger.SignNote(text)) };

        var forged = await kit.Writer.SealAsync(BundleTestKit.Request(indexes: [1, 2]), bundle.Manifest.Ledger, [.. inputs.Values], CancellationToken.None);
        var result = await kit.Verifier.VerifyAsync(forged.ManifestSha256, true);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(BundleReason.CheckpointInvalid, problem.Reason);
        Assert.Equal("checkpoint.note", problem.Subject);
    }

    [Fact]
    public async Task A_tampered_proofs_object_is_reported_as_hash_mismatch_and_as_unreadable_proofs()
    {
        var (kit, ledger, bundle) = await SealedWithLedgerAsync();
        await using var _ = kit;
        var member = bundle.Manifest.Members.Single(m => m.Role == BundleRoles.LedgerProofs);
        kit.Store.Tamper(LedgerLayout.Object(member.Sha256), bytes => { var copy = bytes.ToArray(); copy[0] = (byte)'['; return copy; });

        var result = await kit.Verifier.VerifyAsync(bundle.ManifestSha256, true);

        Assert.Equal([BundleReason.MemberHashMismatch, BundleReason.LedgerProofInvalid], result.Problems.Select(problem => problem.Reason));
    }

    private static async Task<(BundleTestKit, LedgerWriter, SealedBundle)> SealedWithLedgerAsync()
    {
        var kit = new BundleTestKit();
        var ledger = await kit.LedgerAsync(5);
        var bundle = await kit.Writer.CreateAsync(BundleTestKit.Request(indexes: [1, 2]), ledger);
        Assert.True((await kit.Verifier.VerifyAsync(bundle.ManifestSha256, true)).Ok);
        return (kit, ledger, bundle);
    }

    /// <summary>The bundle's members read back from the store, keyed by role (each role has one member in these bundles).</summary>
    private static async Task<Dictionary<string, BundleMemberInput>> InputsAsync(BundleTestKit kit, SealedBundle bundle)
    {
        var inputs = new Dictionary<string, BundleMemberInput>();
        foreach (var member in bundle.Manifest.Members)
        {
            var bytes = await kit.Store.ReadObjectAsync(LedgerLayout.Object(member.Sha256), CancellationToken.None);
            inputs[member.Role] = new BundleMemberInput(member.Role, member.Name, member.MediaType, bytes!);
        }
        return inputs;
    }
}
