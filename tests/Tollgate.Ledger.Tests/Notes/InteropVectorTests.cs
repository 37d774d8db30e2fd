using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Tollgate.Ledger.Checkpoints;
using Tollgate.Ledger.Notes;

namespace Tollgate.Ledger.Tests.Notes;

/// <summary>Real ECDSA notes from Sigstore's Rekor and the Pixel 6 log, with their published keys (Vectors/notes/SOURCE.md).</summary>
public sealed class InteropVectorTests
{
    [Theory]
    [InlineData("formats-rekor.vkey", "formats-rekor-798034.note", "Rekor\n798034\nf+7CoKgXKE/tNys9TTXcr/ad6U/K3xvznmzew9y6SP0=\n")]
    [InlineData("formats-pixel6.vkey", "formats-pixel6-10.note", "DEFAULT\n10\nbsWRucJU5xJPHb5eBdOm6+DM+VelCZBuvtI3sHERJ9Y=\n")]
    public void Transparency_dev_vectors_verify(string verifierKeyFile, string noteFile, string expectedText)
    {
        var verifierKey = NoteVectorFiles.Text(verifierKeyFile);

        var verifier = EcdsaNoteVerifier.Parse(verifierKey);

        Assert.Equal(expectedText, verifier.Open(NoteVectorFiles.Text(noteFile)));
        Assert.Equal(verifierKey, verifier.VerifierKey);
    }

    [Fact]
    public void Transparency_dev_key_hashes_match_ours()
    {
        Assert.Equal(0xc0d23d6au, EcdsaNoteVerifier.Parse(NoteVectorFiles.Text("formats-rekor.vkey")).KeyId);
        Assert.Equal(0x91c16e30u, EcdsaNoteVerifier.Parse(NoteVectorFiles.Text("formats-pixel6.vkey")).KeyId);
    }

    [Theory]
    [InlineData("rekor.sigstore.dev", "sigstore-rekor-production.spki.b64", "sigstore-rekor-production-21428036.note", 0xc0d23d6au)]
    [InlineData("rekor.sigstage.dev", "sigstore-rekor-staging.spki.b64", "sigstore-rekor-staging-23003647.note", 0xd32f30a3u)]
    public void Rekor_checkpoints_verify_under_our_key_id(string keyName, string spkiFile, string noteFile, uint expectedKeyId)
    {
        var spki = Convert.FromBase64String(NoteVectorFiles.Text(spkiFile));
        var keyId = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(spki));
        var note = NoteVectorFiles.Text(noteFile);

        var verifier = EcdsaNoteVerifier.Parse($"{keyName}+{keyId:x8}+{Convert.ToBase64String([0x02, .. spki])}");
        var text = verifier.Open(note);

        Assert.Equal(expectedKeyId, verifier.KeyId);
        Assert.Equal(SignedNote.Parse(note).Signatures.Single().KeyId, verifier.KeyId); // the ID Rekor put in its signature line
        Assert.Equal(note, new SignedNote(text, SignedNote.Parse(note).Signatures).Format());
    }

    [Fact]
    public void The_production_rekor_key_is_the_same_in_both_sources()
    {
        var spki = Convert.FromBase64String(NoteVectorFiles.Text("sigstore-rekor-production.spki.b64"));
        var material = NoteVectorFiles.Text("formats-rekor.vkey").Split('+', 3)[2];

        Assert.Equal(Convert.ToBase64String([0x02, .. spki]), material);
        // Rekor's log ID is the whole SHA-256 of this SPKI; the note key ID is its first four bytes.
        Assert.Equal("c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d", Convert.ToHexStringLower(SHA256.HashData(spki)));
    }

    [Fact]
    public void A_rekor_checkpoint_parses_with_its_timestamp_extension()
    {
        var verifier = EcdsaNoteVerifier.Parse(NoteVectorFiles.Text("formats-rekor.vkey"));

        var checkpoint = Checkpoint.ParseNoteText(verifier.Open(NoteVectorFiles.Text("sigstore-rekor-production-21428036.note")));

        Assert.Equal("rekor.sigstore.dev - 2605736670972794746", checkpoint.Origin);
        Assert.Equal(21428036, checkpoint.Size);
        Assert.Equal(Convert.FromBase64String("rxnoKyFZlJ7/R6bMh/d3lcqwKqAy5CL1LcNBJP17kgQ="), checkpoint.RootHash);
        Assert.Equal(["Timestamp: 1688058656037355364"], checkpoint.Extensions);
    }

    [Fact]
    public void A_rekor_checkpoint_does_not_verify_under_the_pixel_key()
    {
        var pixel = EcdsaNoteVerifier.Parse(NoteVectorFiles.Text("formats-pixel6.vkey"));

        var error = Assert.Throws<NoteVerificationException>(() => pixel.Open(NoteVectorFiles.Text("formats-rekor-798034.note")));

        Assert.Equal(NoteReason.Unsigned, error.Reason);
    }

    [Fact]
    public void Changing_any_byte_of_a_real_rekor_checkpoint_never_passes()
    {
        var verifier = EcdsaNoteVerifier.Parse(NoteVectorFiles.Text("formats-rekor.vkey"));
        var note = Encoding.UTF8.GetBytes(NoteVectorFiles.Text("sigstore-rekor-production-21428036.note"));

        TamperCheck.EveryByte(note, tampered => Checkpoint.ParseNoteText(verifier.Open(tampered)));
    }

    [Theory]
    [InlineData("rekor.sigstore.dev+12344556", NoteReason.BadVerifierKey)]
    [InlineData("rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!", NoteReason.BadVerifierKey)]
    [InlineData("rekor.sigstore.dev+12345678+AwEB", NoteReason.UnsupportedKey)]
    [InlineData("rekor.sigstore.dev+NOT_A_NUMBER+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=", NoteReason.BadVerifierKey)]
    [InlineData("rekor.sigstore.dev+00000000+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=", NoteReason.KeyIdMismatch)]
    [InlineData("rekor.sigstore.dev+c0d23d6+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=", NoteReason.BadVerifierKey)]
    [InlineData("+c0d23d6a+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=", NoteReason.BadVerifierKey)]
    [InlineData("rekor sigstore+c0d23d6a+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=", NoteReason.BadVerifierKey)]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", NoteReason.UnsupportedKey)]
    public void Malformed_verifier_keys_are_refused(string verifierKey, string reason)
        => Assert.Equal(reason, Assert.Throws<NoteFormatException>(() => EcdsaNoteVerifier.Parse(verifierKey)).Reason);

    [Fact]
    public void Verifier_keys_for_other_curves_or_algorithms_are_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);

        foreach (var spki in new[] { p384.ExportSubjectPublicKeyInfo(), rsa.ExportSubjectPublicKeyInfo() })
        {
            var keyId = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(spki));
            var error = Assert.Throws<NoteFormatException>(() => EcdsaNoteVerifier.Parse($"k+{keyId:x8}+{Convert.ToBase64String([0x02, .. spki])}"));
            Assert.Equal(NoteReason.UnsupportedKey, error.Reason);
        }
    }
}
