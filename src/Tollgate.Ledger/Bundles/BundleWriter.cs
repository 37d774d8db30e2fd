using System.Text;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Reading;
using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.Bundles;

/// <summary>
/// Seals replay bundles: stores every member once under its SHA-256, then the canonical manifest under its SHA-256,
/// then a signed note naming that hash. All write-once, so sealing the same bundle again changes nothing and returns
/// the same name, and a crash part-way leaves only unreferenced objects that the next attempt reuses.
/// </summary>
/// <remarks>The caller records the seal in the ledger with <see cref="SealedBundle.ToLedgerEntry"/>.</remarks>
public sealed class BundleWriter
{
    private readonly LedgerStore store;
    private readonly EcdsaNoteSigner signer;
    private readonly EcdsaNoteVerifier key;

    public BundleWriter(LedgerStore store, EcdsaNoteSigner signer)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(signer);
        this.store = store;
        this.signer = signer;
        // Used to check, before sealing, that the ledger evidence verifies as a verifier with this key will check it.
        key = EcdsaNoteVerifier.Parse(signer.VerifierKey);
    }

    /// <summary>Seals <paramref name="request"/>, taking its ledger entries, proofs and checkpoint from <paramref name="ledger"/>.</summary>
    /// <param name="ledger">The ledger the indexes refer to; may be null when the request has no ledger indexes.</param>
    /// <exception cref="BundleException">
    /// A refused request (<see cref="BundleReason.BadRequest"/>, <see cref="BundleReason.UnknownRole"/>,
    /// <see cref="BundleReason.DuplicateMember"/>, <see cref="BundleReason.TooLarge"/>, or
    /// <see cref="BundleReason.CheckpointInvalid"/> for a ledger whose checkpoint does not verify): nothing was written.
    /// <see cref="BundleReason.StoreCorrupt"/>: storage holds an object of this bundle under its name with other bytes.
    /// </exception>
    public async Task<SealedBundle> CreateAsync(BundleRequest request, ILedgerReader? ledger, CancellationToken cancellationToken = default)
    {
        var indexes = BundleRequestRules.Check(request);
        var members = new List<BundleMemberInput>(request.Members);
        BundleLedgerRef? reference = null;
        if (indexes.Count > 0)
        {
            if (ledger is null) throw new BundleException(BundleReason.BadRequest, "LedgerIndexes were given without a ledger to read them from.");
            (reference, var ledgerMembers) = await BundleLedgerMembers.BuildAsync(ledger, indexes, key, cancellationToken);
            members.AddRange(ledgerMembers);
        }
        return await SealAsync(request, reference, members, cancellationToken);
    }

    /// <summary>Writes an already checked set of members; internal so tests can seal doctored ledger evidence.</summary>
    internal async Task<SealedBundle> SealAsync(
        BundleRequest request, BundleLedgerRef? reference, IReadOnlyList<BundleMemberInput> inputs, CancellationToken cancellationToken)
    {
        var hashes = inputs.Select(input => BundleRules.Sha256Hex(input.Content.Span)).ToList();
        var members = inputs.Select((input, i) => new BundleMember(input.Role, input.Name, input.MediaType, hashes[i], input.Content.Length));
        // Built (and so checked) before the first write: a manifest that could not be sealed leaves no objects behind.
        var manifest = BundleManifest.Create(request.CreatedAt, request.CreatedBy, request.Environment, request.EventRef, reference, members);

        var stored = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (stored.Add(hashes[i])) await StoreOnceAsync(LedgerLayout.Object(hashes[i]), inputs[i].Content, hashes[i], cancellationToken);
        }
        await StoreOnceAsync(LedgerLayout.BundleManifest(manifest.Sha256), manifest.Bytes, manifest.Sha256, cancellationToken);
        return new SealedBundle(manifest.Sha256, manifest, await SignAsync(manifest.Sha256, cancellationToken));
    }

    /// <summary>
    /// Creates the object, or checks the one already there: a content-addressed name whose bytes hash to something
    /// else is corruption, and a bundle must never point at it as if it were the member.
    /// </summary>
    private async Task StoreOnceAsync(string name, ReadOnlyMemory<byte> content, string sha256, CancellationToken cancellationToken)
    {
        if (await store.TryCreateObjectAsync(name, content, cancellationToken)) return;
        var existing = await store.ReadObjectAsync(name, cancellationToken);
        if (existing is null)
            throw new BundleException(BundleReason.StoreCorrupt, $"'{name}' exists but cannot be read.");
        if (BundleRules.Sha256Hex(existing) != sha256)
            throw new BundleException(BundleReason.StoreCorrupt, $"'{name}' is stored with bytes that do not hash to its name; refusing to seal a bundle that refers to it.");
    }

    /// <summary>
    /// Signs the manifest's hash, or returns the signature already stored: ECDSA signatures differ on every call, and the
    /// first one written is the bundle's for good.
    /// </summary>
    private async Task<string> SignAsync(string manifestSha256, CancellationToken cancellationToken)
    {
        var name = LedgerLayout.BundleSignature(manifestSha256);
        var note = signer.SignNote(BundleSignature.NoteText(signer.KeyName, manifestSha256));
        if (await store.TryCreateObjectAsync(name, Encoding.UTF8.GetBytes(note), cancellationToken)) return note;
        var existing = await store.ReadObjectAsync(name, cancellationToken);
        if (BundleSignature.Problem(existing, manifestSha256, key) is { } problem)
            throw new BundleException(BundleReason.StoreCorrupt, $"'{name}' is stored but is not a good signature by {signer.KeyName}: {problem}.");
        return Encoding.UTF8.GetString(existing!);
    }
}
