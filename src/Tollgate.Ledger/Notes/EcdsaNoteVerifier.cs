using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tollgate.Ledger.Notes;

/// <summary>
/// Verifies notes signed with one ECDSA P-256 key (signature type 0x02 of c2sp.org/signed-note), such as
/// <see cref="EcdsaNoteSigner"/> output or Sigstore Rekor checkpoints. Safe to use from many threads.
/// </summary>
public sealed class EcdsaNoteVerifier
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ECDsa _key;
    private readonly Lock _gate = new();

    private EcdsaNoteVerifier(string keyName, uint keyId, string verifierKey, ECDsa key)
    {
        KeyName = keyName;
        KeyId = keyId;
        VerifierKey = verifierKey;
        _key = key;
    }

    /// <summary>The key name a signature line must carry to be this key's.</summary>
    public string KeyName { get; }

    /// <summary>The key ID a signature must carry to be this key's.</summary>
    public uint KeyId { get; }

    /// <summary>The verifier key text, with the key ID in lowercase hex.</summary>
    public string VerifierKey { get; }

    /// <summary>Reads a verifier key "name+hex8+base64(0x02 ‖ DER SubjectPublicKeyInfo)".</summary>
    /// <exception cref="NoteFormatException">
    /// <c>NOTE_BAD_VERIFIER_KEY</c> when the text is not of that form, <c>NOTE_KEY_ID_MISMATCH</c> when the key ID is
    /// not the one the public key gives, <c>NOTE_UNSUPPORTED_KEY</c> for another signature type or a curve other than P-256.
    /// </exception>
    public static EcdsaNoteVerifier Parse(string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(verifierKey);
        // The name holds no '+', the key ID is hex, and base64 may hold '+': only the first two '+' split.
        var first = verifierKey.IndexOf('+');
        var second = first < 0 ? -1 : verifierKey.IndexOf('+', first + 1);
        if (second < 0)
            throw new NoteFormatException(NoteReason.BadVerifierKey, "A verifier key must be \"<name>+<8 hex digits>+<base64 key>\".");

        var name = verifierKey[..first];
        if (!NoteText.IsValidKeyName(name))
            throw new NoteFormatException(NoteReason.BadVerifierKey, "The verifier key's name is empty or holds a space, '+' or a control character.");
        var hex = verifierKey.AsSpan(first + 1, second - first - 1);
        if (hex.Length != 8 || !uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var claimedId))
            throw new NoteFormatException(NoteReason.BadVerifierKey, "The verifier key's key ID must be 8 hex digits.");
        if (!StrictBase64.TryDecode(verifierKey.AsSpan(second + 1), out var material) || material.Length < 2)
            throw new NoteFormatException(NoteReason.BadVerifierKey, "The verifier key's key material is not canonical standard base64.");
        if (material[0] != EcdsaNoteKey.SignatureType)
            throw new NoteFormatException(NoteReason.UnsupportedKey, $"Signature type 0x{material[0]:x2} is not supported; only 0x02 (ECDSA) is.");

        var subjectPublicKeyInfo = material[1..];
        var keyId = EcdsaNoteKey.KeyId(subjectPublicKeyInfo);
        if (keyId != claimedId)
            throw new NoteFormatException(NoteReason.KeyIdMismatch, $"The verifier key claims key ID {claimedId:x8}, but its public key gives {keyId:x8}.");
        EcdsaNoteKey.CheckP256(subjectPublicKeyInfo);

        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new NoteFormatException(NoteReason.BadVerifierKey, "The verifier key's public key is not a valid P-256 point.");
        }
        return new EcdsaNoteVerifier(name, keyId, EcdsaNoteKey.VerifierKey(name, keyId, subjectPublicKeyInfo), key);
    }

    /// <summary>
    /// True iff <paramref name="signature"/> carries this key's name and key ID and is a valid signature of
    /// <paramref name="text"/> (the note text, final newline included).
    /// </summary>
    public bool Verify(string text, NoteSignature signature)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.KeyName != KeyName || signature.KeyId != KeyId) return false;
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            return false; // a lone surrogate: no UTF-8 note has this text
        }
        return VerifyBytes(bytes, signature.Signature);
    }

    /// <summary>
    /// Returns the note text if a signature by this key (name AND id match) verifies; signatures by unknown keys are ignored.
    /// </summary>
    /// <exception cref="NoteFormatException">The note is not well-formed (see <see cref="SignedNote.Parse"/>).</exception>
    /// <exception cref="NoteVerificationException">
    /// <c>NOTE_BAD_SIGNATURE</c> when a signature by this key fails (one failure rejects the note, even beside a good one);
    /// <c>NOTE_UNSIGNED</c> when the note has no signature by this key.
    /// </exception>
    public string Open(string signedNote)
    {
        var note = SignedNote.Parse(signedNote);
        var bytes = EcdsaNoteKey.SignedBytes(note.Text);
        var verified = false;
        foreach (var signature in note.Signatures)
        {
            if (signature.KeyName != KeyName || signature.KeyId != KeyId) continue;
            if (!VerifyBytes(bytes, signature.Signature))
                throw new NoteVerificationException(NoteReason.BadSignature, $"The signature by {KeyName} ({KeyId:x8}) does not verify.");
            verified = true;
        }
        if (!verified)
            throw new NoteVerificationException(NoteReason.Unsigned, $"The note has no signature by {KeyName} ({KeyId:x8}).");
        return note.Text;
    }

    /// <inheritdoc/>
    public override string ToString() => $"EcdsaNoteVerifier {{ KeyName = {KeyName}, KeyId = {KeyId:x8} }}";

    private bool VerifyBytes(byte[] text, byte[] signature)
    {
        try
        {
            lock (_gate) return _key.VerifyData(text, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
