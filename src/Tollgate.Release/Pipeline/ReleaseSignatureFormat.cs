using System.Security.Cryptography;

namespace Tollgate.Release.Pipeline;

/// <summary>
/// The detached release signature: a c2sp.org/signed-note made by the ledger's ECDSA P-256 note signer (the same
/// scheme, key format and verifier-key text as the ledger's checkpoints, docs/LEDGER.md §3), whose text is
/// <code>
/// tollgate-release-signature/v1
/// algorithm ecdsa-p256-sha256
/// key-id &lt;64 hex: SHA-256 of the public key's DER SubjectPublicKeyInfo&gt;
/// manifest-sha256 &lt;64 hex: SHA-256 of the SHA256SUMS manifest&gt;
/// </code>
/// followed by a blank line and <c>— &lt;key name&gt; base64(4-byte key ID ‖ DER ECDSA signature)</c>, the signature
/// being over SHA-256 of those four lines (newlines included). The first line keeps a release signature from being
/// taken for a checkpoint or a replay bundle's signature (and the reverse) should one key ever sign both; the
/// note's 4-byte key ID is the first 8 hex digits of <c>key-id</c>.
/// </summary>
public static class ReleaseSignatureFormat
{
    public const string Header = "tollgate-release-signature/v1";

    /// <summary>ECDSA over NIST P-256 with SHA-256, ASN.1 DER signature (signed-note signature type 0x02).</summary>
    public const string Algorithm = "ecdsa-p256-sha256";

    /// <summary>The signed text for <paramref name="keyId"/> and <paramref name="manifestSha256"/>.</summary>
    internal static string NoteText(string keyId, string manifestSha256) =>
        $"{Header}\nalgorithm {Algorithm}\nkey-id {keyId}\nmanifest-sha256 {manifestSha256}\n";

    /// <summary>
    /// The key id of a verifier key <c>name+hex8+base64(0x02 ‖ SPKI)</c> already checked by the ledger's parser or
    /// made by its signer: lowercase hex SHA-256 of the SPKI. Only the first two '+' split (base64 may hold '+').
    /// </summary>
    internal static string KeyIdOf(string verifierKey)
    {
        var second = verifierKey.IndexOf('+', verifierKey.IndexOf('+') + 1);
        var material = Convert.FromBase64String(verifierKey[(second + 1)..]);
        return Convert.ToHexStringLower(SHA256.HashData(material.AsSpan(1)));
    }
}
