using System.Security.Cryptography;
using Tollgate.Governance.Secrets;
using Tollgate.Ledger.Notes;

namespace Tollgate.Release.Pipeline;

/// <summary>Where the release key is kept and the name its signatures carry.</summary>
/// <param name="SecretName">The secret holding the private key: PKCS#8 PEM (as the ledger's key), or the same DER as one line of base64.</param>
/// <param name="KeyName">The signer's name in signature lines; it must match the verifier key's name.</param>
public sealed record ReleaseSigningOptions(string SecretName = ReleaseSigningOptions.DefaultSecretName, string KeyName = ReleaseSigningOptions.DefaultKeyName)
{
    public const string DefaultSecretName = "release-signing-key";
    public const string DefaultKeyName = "tollgate.local/release";

    public string SecretName { get; } = string.IsNullOrWhiteSpace(SecretName) ? throw new ArgumentException("a secret name is required", nameof(SecretName)) : SecretName;

    public string KeyName { get; } = CheckKeyName(KeyName);

    /// <summary>The signed-note key name rule: non-empty, no whitespace, no '+', no control character.</summary>
    internal static string CheckKeyName(string keyName) =>
        !string.IsNullOrEmpty(keyName) && !keyName.Any(c => c == '+' || char.IsWhiteSpace(c) || char.IsControl(c))
            ? keyName
            : throw new ArgumentException("a key name is non-empty and holds no space, '+' or control character", nameof(KeyName));
}

/// <summary>
/// The Sign/Hash stage (seed 000 §6.1 step 4): signs a package's manifest SHA-256 with the release key from the
/// secret store (format: <see cref="ReleaseSignatureFormat"/>). The key is read for each signature, so a rotated
/// key is used at once and every use is in the store's access log (seed 000 §8.2), with purpose
/// <see cref="Purpose"/>; the store registers the value with the <see cref="SecretRedactor"/> as it reads it
/// (<see cref="ISecretStore"/>'s contract). Neither results nor exceptions ever hold the key or anything derived
/// from its private half.
/// </summary>
public sealed class ReleaseSigner(ISecretStore secrets, ReleaseSigningOptions? options = null)
{
    /// <summary>What the secret store's access log records for each read.</summary>
    public const string Purpose = "sign release manifest";

    private readonly ReleaseSigningOptions options = options ?? new ReleaseSigningOptions();

    /// <summary>
    /// Signs <paramref name="manifestSha256"/> (<see cref="ReleasePackage.ManifestSha256"/>). FAIL with
    /// <see cref="PipelineReasons.SignKeyMissing"/> when the store has no key, <see cref="PipelineReasons.SignKeyInvalid"/>
    /// when it is not a PKCS#8 ECDSA P-256 private key. ECDSA signatures are randomized: two signatures of one manifest differ, and both verify.
    /// </summary>
    public async Task<SignStageResult> SignAsync(string manifestSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifestSha256);
        if (!ReleaseMember.IsSha256Hex(manifestSha256))
        {
            throw new ArgumentException("a manifest SHA-256 is 64 hex digits", nameof(manifestSha256));
        }

        var sha256 = manifestSha256.ToLowerInvariant();
        var secret = await secrets.GetAsync(options.SecretName, Purpose, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(secret))
        {
            return Failed(sha256, PipelineReasons.SignKeyMissing, $"the secret store has no value for '{options.SecretName}'");
        }

        EcdsaNoteSigner signer;
        try
        {
            signer = EcdsaNoteSigner.FromPkcs8Pem(options.KeyName, AsPem(secret));
        }
        catch (Exception e) when (e is NoteFormatException or FormatException)
        {
            // Only the reason code travels: nothing about the secret's content reaches the result.
            var reason = e is NoteFormatException note ? note.Reason : NoteReason.BadPrivateKey;
            return Failed(sha256, PipelineReasons.SignKeyInvalid,
                $"the secret '{options.SecretName}' is not a PKCS#8 ECDSA P-256 private key in PEM or base64 ({reason})");
        }

        using (signer)
        {
            var keyId = ReleaseSignatureFormat.KeyIdOf(signer.VerifierKey);
            var signature = signer.SignNote(ReleaseSignatureFormat.NoteText(keyId, sha256));
            return new SignStageResult(StageVerdict.Pass, [], [], sha256, options.SecretName, ReleaseSignatureFormat.Algorithm, keyId, signer.VerifierKey, signature);
        }
    }

    /// <summary>The secret as PEM: as it is when armored, else one line of base64 DER wrapped as a PRIVATE KEY block.</summary>
    /// <exception cref="FormatException">Neither PEM nor base64.</exception>
    private static string AsPem(string secret)
    {
        if (secret.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return secret;
        }

        var der = Convert.FromBase64String(secret.Trim());
        try
        {
            return PemEncoding.WriteString("PRIVATE KEY", der);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    private SignStageResult Failed(string manifestSha256, string code, string problem) =>
        new(StageVerdict.Fail, [code], [problem], manifestSha256, options.SecretName, null, null, null, null);
}
