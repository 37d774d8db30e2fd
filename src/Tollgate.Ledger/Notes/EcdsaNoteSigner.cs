using System.Security.Cryptography;

namespace Tollgate.Ledger.Notes;

/// <summary>
/// Signs notes with an ECDSA P-256 key (signature type 0x02 of c2sp.org/signed-note, as transparency-dev/witness
/// and Sigstore's Rekor do): an ASN.1 DER signature over SHA-256 of the note text.
/// </summary>
/// <remarks>Safe to use from many threads. Neither <see cref="ToString"/> nor any exception message shows the private key.</remarks>
public sealed class EcdsaNoteSigner : IDisposable
{
    private readonly ECDsa _key;
    private readonly Lock _gate = new();

    /// <summary>A signer for <paramref name="privateKey"/>, which it now owns and disposes.</summary>
    /// <exception cref="NoteFormatException"><c>NOTE_BAD_KEY_NAME</c>, or <c>NOTE_UNSUPPORTED_KEY</c> when the key is not on P-256.</exception>
    public EcdsaNoteSigner(string keyName, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        NoteText.CheckKeyName(keyName);
        var subjectPublicKeyInfo = privateKey.ExportSubjectPublicKeyInfo();
        try
        {
            EcdsaNoteKey.CheckP256(subjectPublicKeyInfo);
        }
        catch (NoteFormatException e) when (e.Reason == NoteReason.BadVerifierKey)
        {
            throw new NoteFormatException(NoteReason.UnsupportedKey, "The key's public half could not be read as an EC key.");
        }
        _key = privateKey;
        KeyName = keyName;
        KeyId = EcdsaNoteKey.KeyId(subjectPublicKeyInfo);
        VerifierKey = EcdsaNoteKey.VerifierKey(keyName, KeyId, subjectPublicKeyInfo);
    }

    /// <summary>The key name written in signature lines.</summary>
    public string KeyName { get; }

    /// <summary>The key ID: the first four bytes, big-endian, of SHA-256 over the public key's DER SubjectPublicKeyInfo.</summary>
    public uint KeyId { get; }

    /// <summary>The public verifier key, "name+hex8+base64(0x02 ‖ SPKI)", to hand to <see cref="EcdsaNoteVerifier.Parse"/>.</summary>
    public string VerifierKey { get; }

    /// <summary>A signer for the P-256 private key in a PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").</summary>
    /// <exception cref="NoteFormatException">
    /// <c>NOTE_BAD_PRIVATE_KEY</c> when the PEM is not a PKCS#8 ECDSA private key, <c>NOTE_UNSUPPORTED_KEY</c>
    /// when its curve is not P-256, <c>NOTE_BAD_KEY_NAME</c>.
    /// </exception>
    public static EcdsaNoteSigner FromPkcs8Pem(string keyName, string pkcs8Pem)
    {
        ArgumentNullException.ThrowIfNull(pkcs8Pem);
        NoteText.CheckKeyName(keyName);
        if (!PemEncoding.TryFind(pkcs8Pem, out var fields) || !pkcs8Pem.AsSpan()[fields.Label].SequenceEqual("PRIVATE KEY"))
            throw new NoteFormatException(NoteReason.BadPrivateKey, "The text holds no \"PRIVATE KEY\" (PKCS#8) PEM block.");

        var der = new byte[fields.DecodedDataLength];
        var key = ECDsa.Create();
        try
        {
            if (!Convert.TryFromBase64Chars(pkcs8Pem.AsSpan()[fields.Base64Data], der, out var written) || written != der.Length)
                throw new NoteFormatException(NoteReason.BadPrivateKey, "The PEM block's base64 could not be decoded.");
            key.ImportPkcs8PrivateKey(der, out var read);
            if (read != der.Length)
                throw new NoteFormatException(NoteReason.BadPrivateKey, "The PKCS#8 structure has bytes after it.");
            return new EcdsaNoteSigner(keyName, key);
        }
        catch (CryptographicException)
        {
            // The inner exception is dropped on purpose: nothing derived from the key travels in exceptions.
            key.Dispose();
            throw new NoteFormatException(NoteReason.BadPrivateKey, "The PEM block is not a PKCS#8 ECDSA private key.");
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Signs a note text (non-empty, ending in a newline, no control characters other than newline).</summary>
    /// <exception cref="NoteFormatException">The text is not a valid note text.</exception>
    public NoteSignature Sign(string text)
    {
        NoteText.CheckText(text);
        var bytes = EcdsaNoteKey.SignedBytes(text);
        byte[] signature;
        lock (_gate) signature = _key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new NoteSignature(KeyName, KeyId, signature);
    }

    /// <summary>The signed note: <paramref name="text"/>, a blank line, and this key's signature line (see <see cref="SignedNote.Format"/>).</summary>
    public string SignNote(string text) => new SignedNote(text, [Sign(text)]).Format();

    /// <summary>The private key as PKCS#8 PEM. Treat the result as a secret.</summary>
    public string ExportPkcs8Pem()
    {
        lock (_gate) return _key.ExportPkcs8PrivateKeyPem();
    }

    /// <inheritdoc/>
    public override string ToString() => $"EcdsaNoteSigner {{ KeyName = {KeyName}, KeyId = {KeyId:x8} }}";

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();
}
