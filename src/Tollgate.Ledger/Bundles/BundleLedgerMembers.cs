using System.Text;
using Tollgate.Ledger.Checkpoints;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Reading;

namespace Tollgate.Ledger.Bundles;

/// <summary>
/// The three members a bundle takes from the ledger, and how they are checked without it.
/// </summary>
/// <remarks>
/// <para><c>ledger-entries.jsonl</c> holds each entry's exact bytes as the ledger's segment holds them, each followed
/// by <c>\n</c>, in the order of the manifest's <c>ledger.indexes</c>. Line k's leaf hash is
/// SHA-256(0x00 ‖ line k without its newline), so a verifier recomputes every leaf from the bytes themselves.
/// Wrapping each entry (<c>{"index":N,"entry":{…}}</c>) was rejected: the entry would then be re-serialised, and the
/// verifier would have to trust that re-serialising gives back the hashed bytes. Canonical JSON never holds a raw
/// newline, so the split is unambiguous; the indexes live in <c>ledger-proofs.json</c> and the manifest.</para>
/// <para><c>ledger-proofs.json</c> is <see cref="BundleLedgerProofs"/>; <c>checkpoint.note</c> is the ledger's signed
/// checkpoint note at the proofs' tree size, so the root they lead to is one the ledger's key signed.</para>
/// </remarks>
public static class BundleLedgerMembers
{
    public const string EntriesName = "ledger-entries.jsonl";
    public const string ProofsName = "ledger-proofs.json";
    public const string CheckpointName = "checkpoint.note";
    public const string EntriesMediaType = "application/jsonl";
    public const string ProofsMediaType = "application/json";
    public const string CheckpointMediaType = "text/plain; charset=utf-8";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Role and fixed name of each ledger member.</summary>
    public static readonly IReadOnlyList<(string Role, string Name)> Names =
        [(BundleRoles.LedgerEntries, EntriesName), (BundleRoles.LedgerProofs, ProofsName), (BundleRoles.Checkpoint, CheckpointName)];

    /// <summary>
    /// Reads the entries and their proofs at the size of the ledger's current checkpoint note, and checks the result
    /// as a verifier would before anything is sealed, so a bundle never carries ledger evidence that does not verify.
    /// </summary>
    /// <param name="indexes">Ascending, without repeats, non-empty.</param>
    /// <exception cref="BundleException">
    /// <see cref="BundleReason.BadRequest"/> when the ledger has no checkpoint or an index is beyond it;
    /// <see cref="BundleReason.CheckpointInvalid"/> when the checkpoint does not verify with <paramref name="key"/> or does
    /// not match the ledger's tree; <see cref="BundleReason.StoreCorrupt"/> when a stored entry does not hash to its leaf;
    /// <see cref="BundleReason.TooLarge"/>.
    /// </exception>
    internal static async Task<(BundleLedgerRef Ledger, IReadOnlyList<BundleMemberInput> Members)> BuildAsync(
        ILedgerReader ledger, IReadOnlyList<long> indexes, EcdsaNoteVerifier key, CancellationToken cancellationToken)
    {
        // The size comes from the note itself, not CheckpointSize: a live writer may publish a newer checkpoint between
        // the two reads, and the proofs must be for exactly the tree the note signs.
        var note = ledger.CheckpointNote
            ?? throw new BundleException(BundleReason.BadRequest, "The ledger has no signed checkpoint yet, so no entry can be proved.");
        Checkpoint checkpoint;
        try { checkpoint = Checkpoint.ParseNoteText(key.Open(note)); }
        catch (Exception e) when (e is NoteVerificationException or NoteFormatException or CheckpointFormatException)
        {
            throw new BundleException(BundleReason.CheckpointInvalid, $"The ledger's checkpoint does not verify with {key.KeyName}: {e.Message}");
        }
        var size = checkpoint.Size;
        if (indexes[^1] >= size)
            throw new BundleException(BundleReason.BadRequest, $"Ledger index {indexes[^1]} is beyond the checkpoint, which covers {size} entries.");
        var root = ledger.RootHash(size);
        if (!root.AsSpan().SequenceEqual(checkpoint.RootHash))
            throw new BundleException(BundleReason.CheckpointInvalid, $"The ledger's tree at size {size} does not have the root its checkpoint signs.");

        using var entries = new MemoryStream();
        var proofs = new List<BundleLedgerProof>();
        foreach (var index in indexes)
        {
            var bytes = await ledger.ReadEntryAsync(index, cancellationToken);
            var leaf = Rfc9162Hasher.HashLeaf(bytes);
            if (bytes.AsSpan().IndexOf((byte)'\n') >= 0 || !leaf.AsSpan().SequenceEqual(ledger.LeafHash(index)))
                throw new BundleException(BundleReason.StoreCorrupt, $"Ledger entry {index} as stored does not hash to the leaf the ledger's tree holds.");
            if (entries.Length + bytes.Length + 1 > BundleLimits.MaxMemberBytes)
                throw new BundleException(BundleReason.TooLarge, $"The ledger entries would exceed {BundleLimits.MaxMemberBytes} bytes; seal fewer.");
            entries.Write(bytes);
            entries.WriteByte((byte)'\n');
            proofs.Add(new BundleLedgerProof(index, leaf, ledger.InclusionProof(index, size)));
        }

        var reference = new BundleLedgerRef(indexes, size);
        var members = new BundleMemberInput[]
        {
            new(BundleRoles.LedgerEntries, EntriesName, EntriesMediaType, entries.ToArray()),
            new(BundleRoles.LedgerProofs, ProofsName, ProofsMediaType, new BundleLedgerProofs(size, root, proofs).ToBytes()),
            new(BundleRoles.Checkpoint, CheckpointName, CheckpointMediaType, Encoding.UTF8.GetBytes(note)),
        };
        var problems = new List<BundleProblem>();
        Check(reference, members[0].Content.Span, members[1].Content.Span, members[2].Content.Span, key, problems);
        if (problems.Count > 0) throw new BundleException(problems[0].Reason, $"The ledger evidence would not verify: {problems[0]}");
        return (reference, members);
    }

    /// <summary>
    /// Checks the ledger members against the manifest's reference and each other: every line's leaf recomputed from its
    /// bytes, every inclusion proof against the proofs' root, and that root against the checkpoint note signed by <paramref name="key"/>.
    /// </summary>
    internal static void Check(
        BundleLedgerRef reference, ReadOnlySpan<byte> entries, ReadOnlySpan<byte> proofsBytes, ReadOnlySpan<byte> checkpointBytes,
        EcdsaNoteVerifier key, List<BundleProblem> problems)
    {
        BundleLedgerProofs? proofs = null;
        try { proofs = BundleLedgerProofs.Parse(proofsBytes); }
        catch (BundleException e) { problems.Add(new BundleProblem(e.Reason, ProofsName, e.Message)); }

        CheckCheckpoint(reference, proofs, checkpointBytes, key, problems);
        if (proofs is null) return;

        if (proofs.TreeSize != reference.TreeSize)
            problems.Add(new BundleProblem(BundleReason.LedgerProofInvalid, ProofsName, $"tree_size {proofs.TreeSize} is not the manifest's {reference.TreeSize}"));
        if (!proofs.Entries.Select(entry => entry.Index).SequenceEqual(reference.Indexes))
            problems.Add(new BundleProblem(BundleReason.LedgerProofInvalid, ProofsName, "its indexes are not the manifest's ledger.indexes, in order"));

        var lines = new List<Range>();
        var position = 0;
        while (position < entries.Length)
        {
            var length = entries[position..].IndexOf((byte)'\n');
            if (length < 0)
            {
                problems.Add(new BundleProblem(BundleReason.LedgerProofInvalid, EntriesName, $"the last line (byte {position} on) has no final newline"));
                break;
            }
            lines.Add(new Range(position, position + length));
            position += length + 1;
        }
        if (lines.Count != proofs.Entries.Count)
            problems.Add(new BundleProblem(BundleReason.LedgerProofInvalid, EntriesName, $"{lines.Count} lines, but {proofs.Entries.Count} proofs"));

        for (var k = 0; k < Math.Min(lines.Count, proofs.Entries.Count); k++)
        {
            var proof = proofs.Entries[k];
            var subject = $"{EntriesName} line {k + 1} (entry {proof.Index})";
            var leaf = Rfc9162Hasher.HashLeaf(entries[lines[k]]);
            if (!leaf.AsSpan().SequenceEqual(proof.LeafHash))
            {
                problems.Add(new BundleProblem(BundleReason.LedgerProofInvalid, subject,
                    $"the line hashes to leaf {Convert.ToHexStringLower(leaf)}, but the proof is for {Convert.ToHexStringLower(proof.LeafHash)}"));
                continue;
            }
            try { MerkleProofs.VerifyInclusion(proof.Index, proofs.TreeSize, leaf, proof.InclusionProof, proofs.RootHash); }
            catch (MerkleProofException e)
            {
                problems.Add(new BundleProblem(BundleReason.LedgerProofInvalid, subject, $"the inclusion proof does not verify: {e.Message}"));
            }
        }
    }

    private static void CheckCheckpoint(
        BundleLedgerRef reference, BundleLedgerProofs? proofs, ReadOnlySpan<byte> bytes, EcdsaNoteVerifier key, List<BundleProblem> problems)
    {
        Checkpoint checkpoint;
        try { checkpoint = Checkpoint.ParseNoteText(key.Open(StrictUtf8.GetString(bytes))); }
        catch (Exception e) when (e is NoteVerificationException or NoteFormatException or CheckpointFormatException or DecoderFallbackException)
        {
            problems.Add(new BundleProblem(BundleReason.CheckpointInvalid, CheckpointName, $"the note does not verify with {key.KeyName}: {e.Message}"));
            return;
        }
        // The ledger's checkpoints name the log by the signing key's name (LedgerOptions.Origin); another origin is another log.
        if (checkpoint.Origin != key.KeyName)
            problems.Add(new BundleProblem(BundleReason.CheckpointInvalid, CheckpointName, $"origin '{checkpoint.Origin}' is not the ledger's '{key.KeyName}'"));
        if (checkpoint.Size != reference.TreeSize)
            problems.Add(new BundleProblem(BundleReason.CheckpointInvalid, CheckpointName, $"signs size {checkpoint.Size}, but the proofs are for {reference.TreeSize}"));
        if (proofs is not null && !checkpoint.RootHash.AsSpan().SequenceEqual(proofs.RootHash))
            problems.Add(new BundleProblem(BundleReason.CheckpointInvalid, CheckpointName,
                $"signs root {Convert.ToHexStringLower(checkpoint.RootHash)}, but the proofs lead to {Convert.ToHexStringLower(proofs.RootHash)}"));
    }
}
