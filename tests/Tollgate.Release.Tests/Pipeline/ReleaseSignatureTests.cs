using System.Security.Cryptography;
using System.Text;
using Tollgate.Governance.Secrets;
using Tollgate.Ledger.Notes;
using Tollgate.Release.Pipeline;

namespace Tollgate.Release.Tests.Pipeline;

public sealed class ReleaseSignatureTests
{
    // One key pair for the class: P-256 generation is fast, but there is no reason to repeat it per test.
    private static readonly ReleaseKeyPair Key = ReleaseSigningKey.Create();
    private static readonly ReleaseKeyPair OtherKey = ReleaseSigningKey.Create();

    private static readonly byte[] Manifest = PipelineData.Utf8(
        "3f2a0c6f1f1e4f0bd9b3a0f8e1c2d3b4a5968778695a4b3c2d1e0f9e8d7c6b5a  VERSION\n" +
        "9b74c9897bac770ffc029102a200c5de1f0a0f7b4e6e1a1c1f8d2e3d4c5b6a79  version-map.json\n");

    private static readonly string ManifestSha256 = Convert.ToHexStringLower(SHA256.HashData(Manifest));

    private static async Task<SignStageResult> Sign(ReleaseKeyPair key, string manifestSha256 = "")
    {
        var store = new RecordingSecretStore(new() { [ReleaseSigningOptions.DefaultSecretName] = key.PrivateKeySecret });
        return await new ReleaseSigner(store).SignAsync(manifestSha256.Length == 0 ? ManifestSha256 : manifestSha256, CancellationToken.None);
    }

    [Fact]
    public async Task A_signed_manifest_verifies_with_the_public_key_alone()
    {
        var signed = await Sign(Key);

        var check = ReleaseSignatureVerifier.Verify(Key.PublicKey, Manifest, signed.Signature!);

        Assert.Equal(StageVerdict.Pass, signed.Verdict);
        Assert.Equal(StageVerdict.Pass, check.Verdict);
        Assert.Equal(ManifestSha256, check.SignedManifestSha256);
        Assert.Equal(Key.KeyId, signed.KeyId);
        Assert.Equal(Key.KeyId, check.KeyId);
        Assert.Equal(Key.PublicKey, signed.PublicKey);
    }

    [Fact]
    public async Task The_signature_names_its_algorithm_key_id_and_manifest()
    {
        var signed = await Sign(Key);

        var lines = signed.Signature!.Split('\n');
        Assert.Equal(ReleaseSignatureFormat.Header, lines[0]);
        Assert.Equal("algorithm ecdsa-p256-sha256", lines[1]);
        Assert.Equal($"key-id {Key.KeyId}", lines[2]);
        Assert.Equal($"manifest-sha256 {ManifestSha256}", lines[3]);
        Assert.Equal("", lines[4]);
        Assert.StartsWith($"— {ReleaseSigningOptions.DefaultKeyName} ", lines[5], StringComparison.Ordinal);
        Assert.Equal(ReleaseSignatureFormat.Algorithm, signed.Algorithm);
    }

    [Fact]
    public async Task The_signature_is_a_ledger_signed_note_and_the_key_id_a_fingerprint_of_the_public_key()
    {
        var signed = await Sign(Key);
        var ledgerVerifier = EcdsaNoteVerifier.Parse(Key.PublicKey);
        var subjectPublicKeyInfo = Convert.FromBase64String(Key.PublicKey.Split('+', 3)[2])[1..];

        Assert.StartsWith(ReleaseSignatureFormat.Header, ledgerVerifier.Open(signed.Signature!), StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo)), Key.KeyId);
        Assert.Equal(Key.KeyId[..8], ledgerVerifier.KeyId.ToString("x8"));
    }

    [Fact]
    public async Task The_key_is_read_from_the_configured_secret_for_the_logged_purpose_each_time()
    {
        var store = new RecordingSecretStore(new() { ["ops/release-key"] = Key.PrivateKeySecret });
        var signer = new ReleaseSigner(store, new ReleaseSigningOptions(SecretName: "ops/release-key"));

        await signer.SignAsync(ManifestSha256, CancellationToken.None);
        var second = await signer.SignAsync(ManifestSha256, CancellationToken.None);

        Assert.Equal([("ops/release-key", "sign release manifest"), ("ops/release-key", "sign release manifest")], store.Reads);
        Assert.Equal("ops/release-key", second.SecretName);
    }

    [Fact]
    public async Task A_key_name_other_than_the_default_must_be_the_verifiers()
    {
        var named = ReleaseSigningKey.Create("prod.tollgate/release");
        var store = new RecordingSecretStore(new() { ["release-signing-key"] = named.PrivateKeySecret });

        var signed = await new ReleaseSigner(store, new ReleaseSigningOptions(KeyName: "prod.tollgate/release")).SignAsync(ManifestSha256, CancellationToken.None);
        var misnamed = await new ReleaseSigner(store).SignAsync(ManifestSha256, CancellationToken.None);

        Assert.Equal(StageVerdict.Pass, ReleaseSignatureVerifier.Verify(named.PublicKey, Manifest, signed.Signature!).Verdict);
        Assert.Equal([PipelineReasons.SignInvalid], ReleaseSignatureVerifier.Verify(named.PublicKey, Manifest, misnamed.Signature!).ReasonCodes);
        Assert.Throws<ArgumentException>(() => new ReleaseSigningOptions(KeyName: "has space"));
        Assert.Throws<ArgumentException>(() => ReleaseSigningKey.Create("a+b"));
    }

    [Fact]
    public async Task A_one_line_base64_pkcs8_secret_signs_too()
    {
        var der = PemEncoding.Find(Key.PrivateKeySecret);
        var base64 = Key.PrivateKeySecret[der.Base64Data].Replace("\n", "", StringComparison.Ordinal);
        var store = new RecordingSecretStore(new() { ["release-signing-key"] = base64 });

        var signed = await new ReleaseSigner(store).SignAsync(ManifestSha256, CancellationToken.None);

        Assert.Equal(StageVerdict.Pass, ReleaseSignatureVerifier.Verify(Key.PublicKey, Manifest, signed.Signature!).Verdict);
    }

    [Fact]
    public async Task Two_signatures_of_one_manifest_differ_and_both_verify()
    {
        var first = await Sign(Key);
        var second = await Sign(Key);

        Assert.NotEqual(first.Signature, second.Signature);
        Assert.Equal(StageVerdict.Pass, ReleaseSignatureVerifier.Verify(Key.PublicKey, Manifest, second.Signature!).Verdict);
    }

    [Fact]
    public async Task A_missing_key_fails_the_stage()
    {
        var result = await new ReleaseSigner(new RecordingSecretStore([])).SignAsync(ManifestSha256, CancellationToken.None);
        var blank = await new ReleaseSigner(new RecordingSecretStore(new() { ["release-signing-key"] = "  " })).SignAsync(ManifestSha256, CancellationToken.None);

        Assert.Equal([PipelineReasons.SignKeyMissing], result.ReasonCodes);
        Assert.Equal([PipelineReasons.SignKeyMissing], blank.ReasonCodes);
        Assert.Null(result.Signature);
        Assert.Contains("release-signing-key", result.Problems.Single(), StringComparison.Ordinal);
    }

    public static TheoryData<string> BadKeys()
    {
        using var rsa = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pkcs8 = p256.ExportPkcs8PrivateKeyPem();
        return
        [
            rsa.ExportPkcs8PrivateKeyPem(),
            p384.ExportPkcs8PrivateKeyPem(),
            p256.ExportECPrivateKeyPem(),
            pkcs8[..(pkcs8.Length / 2)] + "\n-----END PRIVATE KEY-----\n",
            pkcs8.Replace("PRIVATE KEY", "PUBLIC KEY", StringComparison.Ordinal),
            Convert.ToBase64String(p256.ExportSubjectPublicKeyInfo()),
            "correct horse battery staple, not base64!",
        ];
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task A_key_in_another_form_fails_the_stage_and_no_part_of_it_is_in_the_result(string secret)
    {
        var store = new RecordingSecretStore(new() { ["release-signing-key"] = secret });

        var result = await new ReleaseSigner(store).SignAsync(ManifestSha256, CancellationToken.None);

        Assert.Equal([PipelineReasons.SignKeyInvalid], result.ReasonCodes);
        AssertHoldsNoSecret(secret, PipelineData.Canonical(result.ToJson()));
        AssertHoldsNoSecret(secret, result.ToString() + string.Join(" ", result.Problems));
    }

    [Fact]
    public async Task Neither_a_signature_nor_its_result_hold_the_private_key()
    {
        var signed = await Sign(Key);

        AssertHoldsNoSecret(Key.PrivateKeySecret, PipelineData.Canonical(signed.ToJson()));
        AssertHoldsNoSecret(Key.PrivateKeySecret, signed.ToString() + signed.Signature);
        AssertHoldsNoSecret(Key.PrivateKeySecret, Key.ToString());
        Assert.DoesNotContain("PRIVATE", Key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_manifest_does_not_verify()
    {
        var signed = await Sign(Key);
        var changed = Manifest.ToArray();
        changed[3] ^= 0x01;

        var check = ReleaseSignatureVerifier.Verify(Key.PublicKey, changed, signed.Signature!);

        Assert.Equal([PipelineReasons.SignInvalid], check.ReasonCodes);
        Assert.Equal(ManifestSha256, check.SignedManifestSha256);
        Assert.Contains("is for manifest", check.Problems.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_with_a_line_added_does_not_verify()
    {
        var signed = await Sign(Key);
        var extended = Manifest.Concat(PipelineData.Utf8($"{new string('a', 64)}  backdoor.sh\n")).ToArray();

        Assert.Equal([PipelineReasons.SignInvalid], ReleaseSignatureVerifier.Verify(Key.PublicKey, extended, signed.Signature!).ReasonCodes);
    }

    [Fact]
    public async Task Another_keys_signature_does_not_verify()
    {
        var signed = await Sign(OtherKey);

        Assert.Equal([PipelineReasons.SignInvalid], ReleaseSignatureVerifier.Verify(Key.PublicKey, Manifest, signed.Signature!).ReasonCodes);
    }

    [Fact]
    public async Task Another_keys_signature_relabelled_as_this_keys_does_not_verify()
    {
        var signed = SignedNote.Parse((await Sign(OtherKey)).Signature!);
        var ours = EcdsaNoteVerifier.Parse(Key.PublicKey);
        var relabelled = new SignedNote(signed.Text.Replace(OtherKey.KeyId, Key.KeyId, StringComparison.Ordinal),
            [new NoteSignature(ours.KeyName, ours.KeyId, signed.Signatures[0].Signature)]).Format();

        var check = ReleaseSignatureVerifier.Verify(Key.PublicKey, Manifest, relabelled);

        Assert.Equal([PipelineReasons.SignInvalid], check.ReasonCodes);
        Assert.Contains(NoteReason.BadSignature, check.Problems.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_text_edited_to_name_another_manifest_does_not_verify()
    {
        var signature = (await Sign(Key)).Signature!;
        var otherManifest = PipelineData.Utf8("other\n");
        var edited = signature.Replace(ManifestSha256, Convert.ToHexStringLower(SHA256.HashData(otherManifest)), StringComparison.Ordinal);

        Assert.Equal([PipelineReasons.SignInvalid], ReleaseSignatureVerifier.Verify(Key.PublicKey, otherManifest, edited).ReasonCodes);
    }

    [Fact]
    public async Task Every_truncation_of_a_signature_is_refused()
    {
        var signature = (await Sign(Key)).Signature!;

        for (var length = 0; length < signature.Length; length++)
        {
            var check = ReleaseSignatureVerifier.Verify(Key.PublicKey, Manifest, signature[..length]);
            Assert.True(check.ReasonCodes.SequenceEqual([PipelineReasons.SignInvalid]), $"a signature cut to {length} characters gave {check.Verdict}");
        }
    }

    [Fact]
    public async Task Every_changed_character_of_the_signature_line_is_refused()
    {
        var signature = (await Sign(Key)).Signature!;
        var start = signature.LastIndexOf(' ') + 1;

        for (var at = start; at < signature.Length - 1; at++)
        {
            var flipped = signature[..at] + (signature[at] == 'A' ? 'B' : 'A') + signature[(at + 1)..];
            var check = ReleaseSignatureVerifier.Verify(Key.PublicKey, Manifest, flipped);
            Assert.True(check.Verdict == StageVerdict.Fail, $"a signature changed at {at} verified");
        }
    }

    [Fact]
    public void A_note_of_another_kind_signed_by_the_release_key_is_not_a_release_signature()
    {
        using var signer = EcdsaNoteSigner.FromPkcs8Pem(ReleaseSigningOptions.DefaultKeyName, Key.PrivateKeySecret);
        var bundleNote = signer.SignNote($"tollgate-bundle/v1\n{ReleaseSigningOptions.DefaultKeyName}\n{ManifestSha256}\n");
        var otherAlgorithm = signer.SignNote($"{ReleaseSignatureFormat.Header}\nalgorithm ed25519\nkey-id {Key.KeyId}\nmanifest-sha256 {ManifestSha256}\n");

        Assert.Equal([PipelineReasons.SignInvalid], ReleaseSignatureVerifier.Verify(Key.PublicKey, Manifest, bundleNote).ReasonCodes);
        Assert.Equal([PipelineReasons.SignInvalid], ReleaseSignatureVerifier.Verify(Key.PublicKey, Manifest, otherAlgorithm).ReasonCodes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a signature")]
    [InlineData("tollgate-release-signature/v1\n\n— tollgate.local/release AAAA\n")]
    public void Malformed_signatures_are_refused(string signature)
    {
        Assert.Equal([PipelineReasons.SignInvalid], ReleaseSignatureVerifier.Verify(Key.PublicKey, Manifest, signature).ReasonCodes);
    }

    [Fact]
    public async Task A_signature_with_crlf_line_ends_is_refused()
    {
        var signature = (await Sign(Key)).Signature!.Replace("\n", "\r\n", StringComparison.Ordinal);

        Assert.Equal([PipelineReasons.SignInvalid], ReleaseSignatureVerifier.Verify(Key.PublicKey, Manifest, signature).ReasonCodes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tollgate.local/release")]
    [InlineData("tollgate.local/release+0000abcd+AgAA")]
    public async Task An_unreadable_public_key_is_a_key_failure(string publicKey)
    {
        var signed = await Sign(Key);

        var check = ReleaseSignatureVerifier.Verify(publicKey, Manifest, signed.Signature!);

        Assert.Equal([PipelineReasons.SignKeyInvalid], check.ReasonCodes);
        Assert.Null(check.KeyId);
    }

    [Fact]
    public async Task The_stage_records_have_deterministic_json()
    {
        var signed = await Sign(Key);
        var check = ReleaseSignatureVerifier.Verify(Key.PublicKey, Manifest, signed.Signature!);

        Assert.Equal(PipelineData.Canonical(signed.ToJson()), PipelineData.Canonical(signed.ToJson()));
        Assert.Equal(
            ["stage", "verdict", "reason_codes", "problems", "manifest_sha256", "secret_name", "algorithm", "key_id", "public_key", "signature"],
            signed.ToJson().Select(member => member.Key));
        Assert.Equal(
            $$"""{"key_id":"{{Key.KeyId}}","manifest_sha256":"{{ManifestSha256}}","problems":[],"reason_codes":[],"signed_manifest_sha256":"{{ManifestSha256}}","stage":"verify-signature","verdict":"PASS"}""",
            PipelineData.Canonical(check.ToJson()));
    }

    [Fact]
    public void Every_reason_code_has_a_meaning_and_a_stable_prefix()
    {
        var codes = typeof(PipelineReasons).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(10, codes.Count);
        Assert.All(codes, code => Assert.StartsWith("PIPE-", code, StringComparison.Ordinal));
        Assert.Equal(codes.Order(StringComparer.Ordinal), PipelineReasons.Meanings.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>Nothing of <paramref name="secret"/> (whole, JSON-escaped, or any line of a PEM body) is in <paramref name="text"/>.</summary>
    private static void AssertHoldsNoSecret(string secret, string text)
    {
        var redactor = new SecretRedactor();
        redactor.Register(secret);
        Assert.Equal(text, redactor.Redact(text));
        Assert.False(redactor.Finds(Encoding.UTF8.GetBytes(text)));
    }
}
