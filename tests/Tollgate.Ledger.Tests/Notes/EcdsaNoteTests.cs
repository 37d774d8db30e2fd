using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Tollgate.Ledger.Notes;

namespace Tollgate.Ledger.Tests.Notes;

/// <summary>Signing and verifying notes with ECDSA P-256 (signature type 0x02).</summary>
public sealed class EcdsaNoteTests
{
    private const string Text = "example.com/log\n42\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n";

    [Fact]
    public void A_signed_note_opens_with_the_signers_verifier_key()
    {
        using var signer = NewSigner("example.com/log");

        var note = signer.SignNote(Text);
        var verifier = EcdsaNoteVerifier.Parse(signer.VerifierKey);

        Assert.Equal(Text, verifier.Open(note));
        Assert.StartsWith(Text + "\n— example.com/log ", note);
        Assert.Equal((signer.KeyName, signer.KeyId), (verifier.KeyName, verifier.KeyId));
    }

    [Fact]
    public void The_key_id_is_the_first_four_bytes_of_sha256_over_the_spki()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = key.ExportSubjectPublicKeyInfo();
        using var signer = new EcdsaNoteSigner("k", key);

        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(spki)), signer.KeyId);
        Assert.Equal($"k+{signer.KeyId:x8}+{Convert.ToBase64String([0x02, .. spki])}", signer.VerifierKey);
    }

    [Fact]
    public void The_verifier_key_round_trips()
    {
        using var signer = NewSigner("example.com/log");

        var verifier = EcdsaNoteVerifier.Parse(signer.VerifierKey);

        Assert.Equal(signer.VerifierKey, verifier.VerifierKey);
        Assert.Equal(signer.VerifierKey, EcdsaNoteVerifier.Parse(verifier.VerifierKey).VerifierKey);
    }

    [Fact]
    public void An_uppercase_key_id_is_read_and_written_back_in_lowercase()
    {
        using var signer = NewSigner("k");
        var hex = $"{signer.KeyId:x8}";
        var upper = signer.VerifierKey.Replace($"+{hex}+", $"+{hex.ToUpperInvariant()}+");

        Assert.Equal(signer.VerifierKey, EcdsaNoteVerifier.Parse(upper).VerifierKey);
    }

    [Fact]
    public void A_signature_by_another_key_is_ignored()
    {
        using var signer = NewSigner("example.com/log");
        using var stranger = NewSigner("example.com/other");
        using var impostor = NewSigner("example.com/log"); // same name, so a different key ID
        var verifier = EcdsaNoteVerifier.Parse(signer.VerifierKey);

        AssertRejected(verifier, stranger.SignNote(Text), NoteReason.Unsigned);
        AssertRejected(verifier, impostor.SignNote(Text), NoteReason.Unsigned);

        var cosigned = new SignedNote(Text, [stranger.Sign(Text), impostor.Sign(Text), signer.Sign(Text)]).Format();
        Assert.Equal(Text, verifier.Open(cosigned));
    }

    [Fact]
    public void A_signature_with_our_id_but_another_name_is_ignored()
    {
        using var signer = NewSigner("example.com/log");
        var renamed = signer.Sign(Text) with { KeyName = "example.com/renamed" };

        AssertRejected(EcdsaNoteVerifier.Parse(signer.VerifierKey), new SignedNote(Text, [renamed]).Format(), NoteReason.Unsigned);
    }

    [Fact]
    public void A_failing_signature_by_our_key_rejects_the_note_even_beside_a_good_one()
    {
        using var signer = NewSigner("example.com/log");
        var good = signer.Sign(Text);
        var bad = signer.Sign("another text\n");

        AssertRejected(EcdsaNoteVerifier.Parse(signer.VerifierKey), new SignedNote(Text, [good, bad]).Format(), NoteReason.BadSignature);
        AssertRejected(EcdsaNoteVerifier.Parse(signer.VerifierKey), new SignedNote(Text, [bad, good]).Format(), NoteReason.BadSignature);
    }

    [Fact]
    public void Changing_any_byte_of_a_signed_note_never_passes()
    {
        using var signer = NewSigner("example.com/log");
        var verifier = EcdsaNoteVerifier.Parse(signer.VerifierKey);
        var note = Encoding.UTF8.GetBytes(signer.SignNote(Text));

        TamperCheck.EveryByte(note, tampered => verifier.Open(tampered));
    }

    [Fact]
    public void Verify_checks_name_id_text_and_signature()
    {
        using var signer = NewSigner("k");
        var verifier = EcdsaNoteVerifier.Parse(signer.VerifierKey);
        var signature = signer.Sign(Text);

        Assert.True(verifier.Verify(Text, signature));
        Assert.False(verifier.Verify(Text + "x\n", signature));
        Assert.False(verifier.Verify(Text, signature with { KeyName = "j" }));
        Assert.False(verifier.Verify(Text, signature with { KeyId = signature.KeyId ^ 1 }));
        Assert.False(verifier.Verify(Text, signature with { Signature = [.. signature.Signature[..^1], (byte)(signature.Signature[^1] ^ 1)] }));
        Assert.False(verifier.Verify(Text, signature with { Signature = [0x30, 0x00] }));
        Assert.False(verifier.Verify(Text, signature with { Signature = [.. signature.Signature, 0] }));
        Assert.False(verifier.Verify("lone \ud800\n", signature));
    }

    [Theory]
    [InlineData("no newline")]
    [InlineData("")]
    [InlineData("control\r\n")]
    public void Sign_refuses_text_that_is_no_note_text(string text)
    {
        using var signer = NewSigner("k");

        Assert.Throws<NoteFormatException>(() => signer.Sign(text));
    }

    [Fact]
    public void Sign_refuses_a_lone_surrogate()
    {
        using var signer = NewSigner("k");

        Assert.Equal(NoteReason.InvalidUnicode, Assert.Throws<NoteFormatException>(() => signer.Sign("lone \udc00\n")).Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a+b")]
    [InlineData("tab\t")]
    public void Signer_refuses_bad_key_names(string keyName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Equal(NoteReason.BadKeyName, Assert.Throws<NoteFormatException>(() => new EcdsaNoteSigner(keyName, key)).Reason);
    }

    [Fact]
    public void Signer_refuses_curves_other_than_p256()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Equal(NoteReason.UnsupportedKey, Assert.Throws<NoteFormatException>(() => new EcdsaNoteSigner("k", key)).Reason);
    }

    [Fact]
    public void Pkcs8_pem_round_trips_to_the_same_key()
    {
        using var signer = NewSigner("k");

        var pem = signer.ExportPkcs8Pem();
        using var reloaded = EcdsaNoteSigner.FromPkcs8Pem("k", pem);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem);
        Assert.Equal(signer.VerifierKey, reloaded.VerifierKey);
        Assert.Equal(Text, EcdsaNoteVerifier.Parse(signer.VerifierKey).Open(reloaded.SignNote(Text)));
    }

    [Fact]
    public void Pkcs8_pem_that_is_not_a_p256_private_key_is_refused_without_quoting_it()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        var cases = new (string Pem, string Reason)[]
        {
            ("not a pem", NoteReason.BadPrivateKey),
            (p256.ExportECPrivateKeyPem(), NoteReason.BadPrivateKey), // SEC 1 "EC PRIVATE KEY", not PKCS#8
            (p256.ExportSubjectPublicKeyInfoPem(), NoteReason.BadPrivateKey),
            (rsa.ExportPkcs8PrivateKeyPem(), NoteReason.BadPrivateKey),
            ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", NoteReason.BadPrivateKey),
            (p384.ExportPkcs8PrivateKeyPem(), NoteReason.UnsupportedKey),
        };

        foreach (var (pem, reason) in cases)
        {
            var error = Assert.Throws<NoteFormatException>(() => EcdsaNoteSigner.FromPkcs8Pem("k", pem));
            Assert.Equal(reason, error.Reason);
            Assert.DoesNotContain(PemBody(pem), error.ToString());
        }
    }

    [Fact]
    public void The_private_key_never_shows_in_text()
    {
        using var signer = NewSigner("k");
        var pem = signer.ExportPkcs8Pem();

        Assert.DoesNotContain(PemBody(pem), signer.ToString());
        Assert.DoesNotContain("PRIVATE", signer.ToString());
        Assert.Equal($"EcdsaNoteSigner {{ KeyName = k, KeyId = {signer.KeyId:x8} }}", signer.ToString());
    }

    private static EcdsaNoteSigner NewSigner(string keyName) => new(keyName, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    private static void AssertRejected(EcdsaNoteVerifier verifier, string note, string reason)
        => Assert.Equal(reason, Assert.Throws<NoteVerificationException>(() => verifier.Open(note)).Reason);

    private static string PemBody(string pem)
    {
        var lines = pem.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length > 2 ? lines[1] : pem;
    }
}
