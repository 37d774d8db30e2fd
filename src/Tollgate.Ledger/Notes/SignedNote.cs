using System.Buffers.Binary;
using System.Text;

namespace Tollgate.Ledger.Notes;

/// <summary>
/// A signed note (c2sp.org/signed-note): text ending in a newline, a blank line, then one signature line per signer.
/// Parsing checks the form only; whether a signature is good is for a verifier such as <see cref="EcdsaNoteVerifier"/>.
/// </summary>
/// <remarks>Equality compares the text and the signatures in order.</remarks>
/// <param name="Text">The signed text, including its final newline but not the blank line.</param>
/// <param name="Signatures">The signatures, in the order their lines appear.</param>
public sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures)
{
    /// <summary>The most signature lines a note may carry; the specification requires accepting at least 16.</summary>
    public const int MaxSignatures = 100;

    private const string SignatureLinePrefix = "— ";

    /// <summary>Parses a signed note strictly; <see cref="Format"/> gives back exactly <paramref name="signedNote"/>.</summary>
    /// <exception cref="NoteFormatException">
    /// <c>NOTE_MALFORMED</c>, <c>NOTE_NO_SIGNATURES</c>, <c>NOTE_TOO_MANY_SIGNATURES</c>, <c>NOTE_BAD_BASE64</c>,
    /// <c>NOTE_BAD_KEY_NAME</c>, <c>NOTE_CONTROL_CHARACTER</c> or <c>NOTE_INVALID_UNICODE</c>.
    /// </exception>
    public static SignedNote Parse(string signedNote)
    {
        ArgumentNullException.ThrowIfNull(signedNote);
        NoteText.CheckCharacters(signedNote, "note");
        if (signedNote.Length == 0 || signedNote[^1] != '\n')
            throw new NoteFormatException(NoteReason.Malformed, "A signed note must end with a newline.");

        // The text may hold blank lines of its own; the signatures start after the last one (signature lines are never empty).
        var split = signedNote.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || split + 2 == signedNote.Length)
            throw new NoteFormatException(NoteReason.NoSignatures, "The note has no signature lines after a blank line.");

        var text = signedNote[..(split + 1)];
        var lines = signedNote.AsSpan(split + 2, signedNote.Length - split - 3);
        var signatures = new List<NoteSignature>();
        foreach (var range in lines.Split('\n'))
        {
            if (signatures.Count == MaxSignatures)
                throw new NoteFormatException(NoteReason.TooManySignatures, $"The note has more than {MaxSignatures} signatures.");
            signatures.Add(ParseSignatureLine(lines[range]));
        }
        return new SignedNote(text, signatures);
    }

    /// <summary>The note as text: <see cref="Text"/>, a blank line, and one line per signature.</summary>
    /// <exception cref="NoteFormatException">The text, a key name or the number of signatures breaks the format's rules.</exception>
    public string Format()
    {
        NoteText.CheckText(Text);
        if (Signatures.Count == 0)
            throw new NoteFormatException(NoteReason.NoSignatures, "A signed note needs at least one signature.");
        if (Signatures.Count > MaxSignatures)
            throw new NoteFormatException(NoteReason.TooManySignatures, $"A signed note carries at most {MaxSignatures} signatures.");

        var builder = new StringBuilder(Text.Length + 1 + Signatures.Count * 128).Append(Text).Append('\n');
        foreach (var signature in Signatures)
        {
            NoteText.CheckKeyName(signature.KeyName);
            if (signature.Signature.Length == 0)
                throw new NoteFormatException(NoteReason.BadBase64, "A signature cannot be empty.");
            var payload = new byte[4 + signature.Signature.Length];
            BinaryPrimitives.WriteUInt32BigEndian(payload, signature.KeyId);
            signature.Signature.CopyTo(payload, 4);
            builder.Append(SignatureLinePrefix).Append(signature.KeyName).Append(' ').Append(Convert.ToBase64String(payload)).Append('\n');
        }
        return builder.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(SignedNote? other)
        => other is not null && Text == other.Text && Signatures.SequenceEqual(other.Signatures);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Text);
        foreach (var signature in Signatures) hash.Add(signature);
        return hash.ToHashCode();
    }

    private static NoteSignature ParseSignatureLine(ReadOnlySpan<char> line)
    {
        if (!line.StartsWith(SignatureLinePrefix, StringComparison.Ordinal))
            throw new NoteFormatException(NoteReason.Malformed, "A signature line must start with an em dash (U+2014) and a space.");
        var rest = line[SignatureLinePrefix.Length..];
        var space = rest.IndexOf(' ');
        if (space < 0)
            throw new NoteFormatException(NoteReason.Malformed, "A signature line must be \"— <key name> <base64 signature>\".");

        var name = rest[..space].ToString();
        NoteText.CheckKeyName(name);
        if (!StrictBase64.TryDecode(rest[(space + 1)..], out var payload))
            throw new NoteFormatException(NoteReason.BadBase64, $"The signature by {name} is not canonical standard base64.");
        if (payload.Length < 5)
            throw new NoteFormatException(NoteReason.BadBase64, $"The signature by {name} is too short to hold a key ID and a signature.");
        return new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(payload), payload[4..]);
    }
}
