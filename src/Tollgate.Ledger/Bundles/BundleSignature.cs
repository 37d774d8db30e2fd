using System.Text;
using Tollgate.Ledger.Notes;

namespace Tollgate.Ledger.Bundles;

/// <summary>
/// A bundle's signature: a signed note whose text is <c>tollgate-bundle/v1\n&lt;key name&gt;\n&lt;manifest sha256&gt;\n</c>.
/// The first line keeps the signature from being taken for a checkpoint or any other note the same key signs;
/// the hash binds it to one manifest, and so to every member byte.
/// </summary>
public static class BundleSignature
{
    public const string Header = "tollgate-bundle/v1";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string NoteText(string keyName, string manifestSha256) => $"{Header}\n{keyName}\n{manifestSha256}\n";

    /// <summary>Why <paramref name="note"/> is not <paramref name="key"/>'s signature of <paramref name="manifestSha256"/>, or null when it is.</summary>
    public static string? Problem(byte[]? note, string manifestSha256, EcdsaNoteVerifier key)
    {
        if (note is null) return "there is no signature";
        string text;
        try { text = key.Open(StrictUtf8.GetString(note)); }
        catch (Exception e) when (e is NoteVerificationException or NoteFormatException or DecoderFallbackException)
        {
            return $"the note does not verify with {key.KeyName}: {e.Message}";
        }
        var expected = NoteText(key.KeyName, manifestSha256);
        return text == expected ? null : $"the signed text is not \"{expected.Replace("\n", "\\n", StringComparison.Ordinal)}\"";
    }
}
