using System.Text;
using Tollgate.Ledger.Checkpoints;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Writing;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Writing;

/// <summary>What a receipt promises can be checked by anyone holding the verifier key.</summary>
public class ProofTests
{
    [Fact]
    public async Task Every_receipt_proves_inclusion_under_its_checkpoint_and_the_latest_one()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, null, Signer());
        var entries = NumberedEntries(300);
        var receipts = new List<AppendReceipt>();
        for (var wave = 0; wave < 300; wave += 25)
            receipts.AddRange(await Task.WhenAll(entries.Skip(wave).Take(25).Select(entry => Task.Run(() => writer.AppendAsync(entry)))));

        var verifier = EcdsaNoteVerifier.Parse(writer.VerifierKey);
        var latest = Checkpoint.ParseNoteText(verifier.Open(writer.Latest.Note));
        Assert.Equal(Origin, latest.Origin);
        Assert.Equal(writer.Latest.Size, latest.Size);
        Assert.Equal(writer.Latest.RootHash, latest.RootHash);
        Assert.Equal(300, latest.Size);
        var signed = new Dictionary<long, Checkpoint>();

        foreach (var (receipt, entry) in receipts.Zip(entries))
        {
            var leaf = Convert.FromHexString(receipt.LeafHash);
            Assert.Equal(Rfc9162Hasher.HashLeaf(entry.Bytes), leaf);
            if (!signed.TryGetValue(receipt.TreeSize, out var checkpoint))
                signed[receipt.TreeSize] = checkpoint = await ReadCheckpointAsync(store, receipt.TreeSize, writer.VerifierKey);
            Assert.Equal(writer.RootHash(receipt.TreeSize), checkpoint.RootHash);

            MerkleProofs.VerifyInclusion(receipt.Index, receipt.TreeSize, leaf, writer.InclusionProof(receipt.Index, receipt.TreeSize), checkpoint.RootHash);
            MerkleProofs.VerifyInclusion(receipt.Index, latest.Size, leaf, writer.InclusionProof(receipt.Index, latest.Size), latest.RootHash);
        }
    }

    [Fact]
    public async Task A_proof_does_not_verify_for_another_entry_or_root()
    {
        await using var writer = await OpenAsync(new InMemoryLedgerStore(), null, Signer());
        var receipts = await writer.AppendAllAsync(NumberedEntries(20));
        var root = writer.RootHash(20);
        var proof = writer.InclusionProof(7, 20);

        Assert.ThrowsAny<MerkleProofException>(() => MerkleProofs.VerifyInclusion(7, 20, writer.LeafHash(8), proof, root));
        Assert.ThrowsAny<MerkleProofException>(() => MerkleProofs.VerifyInclusion(7, 20, writer.LeafHash(7), proof, writer.RootHash(19)));
        MerkleProofs.VerifyInclusion(7, 20, Convert.FromHexString(receipts[7].LeafHash), proof, root);
    }

    [Fact]
    public async Task Every_pair_of_checkpoints_is_consistent()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, null, Signer());
        var entries = NumberedEntries(120);
        for (var wave = 0; wave < 120; wave += 7)
            await Task.WhenAll(entries.Skip(wave).Take(7).Select(entry => Task.Run(() => writer.AppendAsync(entry))));

        var sizes = (await CheckpointSizesAsync(store)).Where(size => size > 0).ToList();
        var checkpoints = new List<Checkpoint>();
        foreach (var size in sizes) checkpoints.Add(await ReadCheckpointAsync(store, size, writer.VerifierKey));
        Assert.True(checkpoints.Count >= 120 / 7, $"only {checkpoints.Count} checkpoints");

        foreach (var older in checkpoints)
        {
            foreach (var newer in checkpoints.Where(checkpoint => checkpoint.Size > older.Size))
            {
                var proof = writer.ConsistencyProof(older.Size, newer.Size);
                MerkleProofs.VerifyConsistency(older.Size, newer.Size, proof, older.RootHash, newer.RootHash);
            }
        }
        var (a, b) = (checkpoints[2], checkpoints[^1]);
        Assert.ThrowsAny<MerkleProofException>(() =>
            MerkleProofs.VerifyConsistency(a.Size, b.Size, writer.ConsistencyProof(a.Size, b.Size), checkpoints[1].RootHash, b.RootHash));
    }

    [Fact]
    public async Task Checkpoints_are_signed_notes_of_the_ledger_origin_stored_under_their_size()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, null, Signer());
        await writer.AppendAllAsync(NumberedEntries(5));

        var note = Encoding.UTF8.GetString((await store.ReadObjectAsync(LedgerLayout.Checkpoint(5), default))!);
        var checkpoint = Checkpoint.ParseNoteText(EcdsaNoteVerifier.Parse(writer.VerifierKey).Open(note));

        Assert.Equal(Origin, checkpoint.Origin);
        Assert.Equal(5, checkpoint.Size);
        Assert.Equal(writer.RootHash(5), checkpoint.RootHash);
        Assert.StartsWith(Origin + "\n5\n", note);
        Assert.ThrowsAny<Exception>(() => EcdsaNoteVerifier.Parse(Signer().VerifierKey).Open(note));
    }
}
