namespace Tollgate.Ledger.Notes;

/// <summary>
/// One signature line of a signed note: "— <see cref="KeyName"/> base64(<see cref="KeyId"/> big-endian ‖ <see cref="Signature"/>)".
/// </summary>
/// <remarks>Equality compares the signature bytes, not the array reference.</remarks>
/// <param name="KeyName">The signer's key name.</param>
/// <param name="KeyId">The 32-bit key ID that, with the name, identifies the signer's key.</param>
/// <param name="Signature">The signature bytes proper (for ECDSA, an ASN.1 DER sequence), without the key ID.</param>
public sealed record NoteSignature(string KeyName, uint KeyId, byte[] Signature)
{
    /// <inheritdoc/>
    public bool Equals(NoteSignature? other)
        => other is not null && KeyName == other.KeyName && KeyId == other.KeyId && Signature.AsSpan().SequenceEqual(other.Signature);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(KeyName);
        hash.Add(KeyId);
        hash.AddBytes(Signature);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => $"NoteSignature {{ KeyName = {KeyName}, KeyId = {KeyId:x8}, Signature = {Signature.Length} bytes }}";
}
