namespace Tollgate.Ledger.Notes;

/// <summary>The stable reason codes of <see cref="NoteFormatException"/> and <see cref="NoteVerificationException"/>.</summary>
public static class NoteReason
{
    /// <summary>The note's layout is wrong: no final newline, or a signature line not of the form "— name base64".</summary>
    public const string Malformed = "NOTE_MALFORMED";

    /// <summary>No blank line followed by signature lines.</summary>
    public const string NoSignatures = "NOTE_NO_SIGNATURES";

    /// <summary>More signature lines than a note may carry (see <see cref="SignedNote.MaxSignatures"/>).</summary>
    public const string TooManySignatures = "NOTE_TOO_MANY_SIGNATURES";

    /// <summary>A signature is not canonical standard base64, or is too short to hold a key ID and a signature.</summary>
    public const string BadBase64 = "NOTE_BAD_BASE64";

    /// <summary>An ASCII control character other than newline.</summary>
    public const string ControlCharacter = "NOTE_CONTROL_CHARACTER";

    /// <summary>A lone surrogate, or bytes that are not UTF-8.</summary>
    public const string InvalidUnicode = "NOTE_INVALID_UNICODE";

    /// <summary>A key name that is empty or holds a space or '+'.</summary>
    public const string BadKeyName = "NOTE_BAD_KEY_NAME";

    /// <summary>A verifier key not of the form "name+hex8+base64".</summary>
    public const string BadVerifierKey = "NOTE_BAD_VERIFIER_KEY";

    /// <summary>A verifier key whose key ID is not the one its public key gives.</summary>
    public const string KeyIdMismatch = "NOTE_KEY_ID_MISMATCH";

    /// <summary>A key of another signature type or algorithm, or an ECDSA key not on P-256.</summary>
    public const string UnsupportedKey = "NOTE_UNSUPPORTED_KEY";

    /// <summary>A private key that is not a PKCS#8 PEM ECDSA key.</summary>
    public const string BadPrivateKey = "NOTE_BAD_PRIVATE_KEY";

    /// <summary>A signature by the verifier's key (same name and key ID) that does not verify.</summary>
    public const string BadSignature = "NOTE_BAD_SIGNATURE";

    /// <summary>No signature by the verifier's key.</summary>
    public const string Unsigned = "NOTE_UNSIGNED";
}
