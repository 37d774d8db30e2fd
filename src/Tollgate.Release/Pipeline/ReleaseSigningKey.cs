using System.Security.Cryptography;
using Tollgate.Ledger.Notes;

namespace Tollgate.Release.Pipeline;

/// <summary>
/// A new release key pair. <see cref="PrivateKeySecret"/> is the secret: it prints as nothing and belongs only in
/// the secret store. <see cref="PublicKey"/> is what verifiers are given.
/// </summary>
public sealed class ReleaseKeyPair(string privateKeySecret, string publicKey, string keyId)
{
    /// <summary>The P-256 private key as PKCS#8 PEM, the value to store under <see cref="ReleaseSigningOptions.SecretName"/>.</summary>
    public string PrivateKeySecret { get; } = privateKeySecret;

    /// <summary>The verifier key, <c>&lt;key name&gt;+&lt;8 hex&gt;+&lt;base64(0x02 ‖ DER SubjectPublicKeyInfo)&gt;</c>.</summary>
    public string PublicKey { get; } = publicKey;

    /// <summary>Lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo.</summary>
    public string KeyId { get; } = keyId;

    public override string ToString() => $"ReleaseKeyPair {{ KeyId = {KeyId}, PublicKey = {PublicKey} }}";
}

/// <summary>Creates release signing keys: for local development (the host's local-settings bootstrap) and tests; production keys are made once and kept in Key Vault.</summary>
public static class ReleaseSigningKey
{
    /// <summary>A new ECDSA P-256 key pair named <paramref name="keyName"/> (the name signatures carry and verifiers check).</summary>
    /// <exception cref="ArgumentException">The key name is empty or holds a space, '+' or a control character.</exception>
    public static ReleaseKeyPair Create(string keyName = ReleaseSigningOptions.DefaultKeyName)
    {
        ReleaseSigningOptions.CheckKeyName(keyName);
        using var signer = new EcdsaNoteSigner(keyName, ECDsa.Create(ECCurve.NamedCurves.nistP256));
        return new ReleaseKeyPair(signer.ExportPkcs8Pem(), signer.VerifierKey, ReleaseSignatureFormat.KeyIdOf(signer.VerifierKey));
    }
}
