using System.Text;
using Tollgate.Ledger.Checkpoints;
using Tollgate.Ledger.Notes;

namespace Tollgate.Ledger.Tests.Notes;

/// <summary>Flips every byte of a signed note in turn and requires that opening it fails.</summary>
internal static class TamperCheck
{
    // Low bit, case bit, top bit, all bits: between them they turn every byte into a different valid or invalid one.
    private static readonly byte[] Masks = [0x01, 0x20, 0x80, 0xFF];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// For each byte position and mask, <paramref name="open"/> must throw a note or checkpoint exception: a format
    /// error, NOTE_BAD_SIGNATURE, or NOTE_UNSIGNED (when the flip lands in the key name or key ID, the signature
    /// becomes one by an unknown key and is ignored). Bytes that stop being UTF-8 count as refused: no note holds them.
    /// </summary>
    public static void EveryByte(byte[] signedNote, Action<string> open)
    {
        var accepted = new List<string>();
        for (var position = 0; position < signedNote.Length; position++)
        {
            foreach (var mask in Masks)
            {
                var tampered = (byte[])signedNote.Clone();
                tampered[position] ^= mask;
                string text;
                try
                {
                    text = StrictUtf8.GetString(tampered);
                }
                catch (DecoderFallbackException)
                {
                    continue;
                }

                try
                {
                    open(text);
                    accepted.Add($"byte {position} ^ 0x{mask:x2}");
                }
                catch (NoteVerificationException e) when (e.Reason is NoteReason.BadSignature or NoteReason.Unsigned)
                {
                }
                catch (NoteFormatException)
                {
                }
                catch (CheckpointFormatException)
                {
                }
            }
        }
        Assert.Empty(accepted);
    }
}
