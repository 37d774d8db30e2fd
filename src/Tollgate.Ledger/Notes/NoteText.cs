namespace Tollgate.Ledger.Notes;

/// <summary>The character rules of c2sp.org/signed-note, shared by parsing, formatting and signing.</summary>
internal static class NoteText
{
    /// <summary>Refuses lone surrogates (the note could not be UTF-8) and control characters other than newline.</summary>
    public static void CheckCharacters(string text, string what)
    {
        for (var i = 0; i < text.Length; i++)
            if (text[i] < ' ' && text[i] != '\n')
                throw new NoteFormatException(NoteReason.ControlCharacter, $"The {what} holds the control character U+{(int)text[i]:X4} at index {i}.");
        var lone = Utf16Text.IndexOfLoneSurrogate(text);
        if (lone >= 0)
            throw new NoteFormatException(NoteReason.InvalidUnicode, $"The {what} holds a lone surrogate at index {lone}.");
    }

    /// <summary>A note's text: non-empty, ending in a newline, with no forbidden characters.</summary>
    public static void CheckText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[^1] != '\n')
            throw new NoteFormatException(NoteReason.Malformed, "A note's text must be non-empty and end with a newline.");
        CheckCharacters(text, "note text");
    }

    public static bool IsValidKeyName(string name)
    {
        foreach (var c in name)
            if (c == '+' || c < ' ' || char.IsWhiteSpace(c)) return false;
        return name.Length > 0 && Utf16Text.IndexOfLoneSurrogate(name) < 0;
    }

    public static void CheckKeyName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidKeyName(name))
            throw new NoteFormatException(NoteReason.BadKeyName, "A key name must be non-empty and hold no spaces, '+' or control characters.");
    }
}
