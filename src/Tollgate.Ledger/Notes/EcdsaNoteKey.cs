using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tollgate.Ledger.Notes;

/// <summary>
/// Signature type 0x02 of c2sp.org/signed-note: ECDSA over SHA-256 as github.com/transparency-dev/witness
/// implements it (the scheme Sigstore's Rekor signs checkpoints with), restricted here to NIST P-256.
/// </summary>
internal static class EcdsaNoteKey
{
    /// <summary>The signature type byte that starts the key material of a verifier key.</summary>
    public const byte SignatureType = 0x02;

    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    // DER of the namedCurve OID 1.2.840.10045.3.1.7 (NIST P-256), the SPKI algorithm parameters.
    private static ReadOnlySpan<byte> P256Parameters => [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    /// <summary>
    /// The key ID: the first four bytes, big-endian, of SHA-256 over the DER SubjectPublicKeyInfo. Unlike Ed25519
    /// keys, the key name and type byte are not hashed; this is what the witness and Rekor compute.
    /// </summary>
    public static uint KeyId(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(subjectPublicKeyInfo, hash);
        return BinaryPrimitives.ReadUInt32BigEndian(hash);
    }

    /// <summary>The verifier key text "name+hex8+base64(0x02 ‖ SPKI)".</summary>
    public static string VerifierKey(string keyName, uint keyId, ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        var material = new byte[1 + subjectPublicKeyInfo.Length];
        material[0] = SignatureType;
        subjectPublicKeyInfo.CopyTo(material.AsSpan(1));
        return $"{keyName}+{keyId:x8}+{Convert.ToBase64String(material)}";
    }

    /// <summary>Refuses a DER SubjectPublicKeyInfo that is not an EC key on P-256 (or has bytes after it).</summary>
    /// <exception cref="NoteFormatException"><c>NOTE_UNSUPPORTED_KEY</c> or <c>NOTE_BAD_VERIFIER_KEY</c>.</exception>
    public static void CheckP256(byte[] subjectPublicKeyInfo)
    {
        PublicKey key;
        int read;
        try
        {
            key = PublicKey.CreateFromSubjectPublicKeyInfo(subjectPublicKeyInfo, out read);
        }
        catch (CryptographicException)
        {
            throw new NoteFormatException(NoteReason.BadVerifierKey, "The key material is not a DER SubjectPublicKeyInfo.");
        }
        if (read != subjectPublicKeyInfo.Length)
            throw new NoteFormatException(NoteReason.BadVerifierKey, "The key material has bytes after its SubjectPublicKeyInfo.");
        if (key.Oid.Value != EcPublicKeyOid || !(key.EncodedParameters?.RawData ?? []).AsSpan().SequenceEqual(P256Parameters))
            throw new NoteFormatException(NoteReason.UnsupportedKey, $"Only ECDSA keys on NIST P-256 are supported, not {Describe(key)}.");
    }

    /// <summary>The bytes a note signature covers: the UTF-8 note text, final newline included.</summary>
    public static byte[] SignedBytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Describe(PublicKey key)
        => key.Oid.Value == EcPublicKeyOid ? "an EC key on another curve" : $"a key of algorithm {key.Oid.Value}";
}
