using System.Security.Cryptography;
using Tollgate.Ledger.Notes;

namespace Tollgate.Release.Pipeline;

/// <summary>
/// Checks a release signature (<see cref="ReleaseSignatureFormat"/>) with the public key alone: what the Deploy
/// and Verify stages, and an auditor, run before trusting a bundle.
/// </summary>
public static class ReleaseSignatureVerifier
{
    /// <summary>
    /// PASS when <paramref name="signature"/> is a well-formed release signature by <paramref name="publicKey"/> (a
    /// verifier key, <see cref="ReleaseKeyPair.PublicKey"/>) over the SHA-256 of <paramref name="manifest"/>.
    /// <see cref="PipelineReasons.SignKeyInvalid"/> when the public key cannot be read;
    /// <see cref="PipelineReasons.SignInvalid"/> when the signature is malformed or truncated, by another key, for
    /// another manifest or kind of note, or does not verify.
    /// </summary>
    public static SignatureCheck Verify(string publicKey, ReadOnlySpan<byte> manifest, string signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(signature);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(manifest));

        EcdsaNoteVerifier verifier;
        try
        {
            verifier = EcdsaNoteVerifier.Parse(publicKey.Trim());
        }
        catch (NoteFormatException e)
        {
            return Failed(sha256, null, null, PipelineReasons.SignKeyInvalid, $"the public key is not the verifier key of an ECDSA P-256 key ({e.Reason}: {e.Message})");
        }

        var keyId = ReleaseSignatureFormat.KeyIdOf(verifier.VerifierKey);
        string text;
        try
        {
            text = verifier.Open(signature);
        }
        catch (Exception e) when (e is NoteFormatException or NoteVerificationException)
        {
            var reason = e is NoteFormatException format ? format.Reason : ((NoteVerificationException)e).Reason;
            return Failed(sha256, keyId, null, PipelineReasons.SignInvalid, $"the signature does not verify with key {keyId} ({reason}: {e.Message})");
        }

        var signed = SignedManifest(text);
        if (text != ReleaseSignatureFormat.NoteText(keyId, signed ?? ""))
        {
            return Failed(sha256, keyId, null, PipelineReasons.SignInvalid,
                $"the key signed a note that is not a release signature ({ReleaseSignatureFormat.Header}, {ReleaseSignatureFormat.Algorithm}, key-id {keyId})");
        }

        if (signed != sha256)
        {
            return Failed(sha256, keyId, signed, PipelineReasons.SignInvalid, $"the signature is for manifest {signed}, this manifest hashes to {sha256}");
        }

        return new SignatureCheck(StageVerdict.Pass, [], [], sha256, keyId, signed);
    }

    /// <summary>The hash on the signed text's last line, or null when there is none.</summary>
    private static string? SignedManifest(string text)
    {
        const string label = "\nmanifest-sha256 ";
        var at = text.LastIndexOf(label, StringComparison.Ordinal);
        return at < 0 ? null : text[(at + label.Length)..].TrimEnd('\n');
    }

    private static SignatureCheck Failed(string sha256, string? keyId, string? signedManifest, string code, string problem) =>
        new(StageVerdict.Fail, [code], [problem], sha256, keyId, signedManifest);
}
