namespace Tollgate.Ledger.Notes;

/// <summary>Checks that UTF-16 text can become UTF-8, which notes and checkpoints are.</summary>
internal static class Utf16Text
{
    /// <summary>The index of the first surrogate without its partner, or -1.</summary>
    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else return i;
        }
        return -1;
    }
}
