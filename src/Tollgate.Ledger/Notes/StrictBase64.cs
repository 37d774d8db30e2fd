namespace Tollgate.Ledger.Notes;

/// <summary>
/// Standard base64 (RFC 4648 §4) accepted only in its one canonical spelling: padded, no whitespace, zero pad bits.
/// </summary>
/// <remarks>
/// <see cref="Convert.FromBase64String(string)"/> skips whitespace and ignores pad bits, so several texts would
/// decode to the same bytes; a strict decoder is what lets formatting be the exact inverse of parsing.
/// </remarks>
internal static class StrictBase64
{
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length % 4 != 0) return false;
        var padding = text.EndsWith("==") ? 2 : text.EndsWith("=") ? 1 : 0;
        foreach (var c in text[..^padding])
            if (!(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/')) return false;

        var decoded = new byte[text.Length / 4 * 3 - padding];
        if (!Convert.TryFromBase64Chars(text, decoded, out var written) || written != decoded.Length) return false;
        Span<char> again = text.Length <= 1024 ? stackalloc char[text.Length] : new char[text.Length];
        if (!Convert.TryToBase64Chars(decoded, again, out _) || !again.SequenceEqual(text)) return false;
        bytes = decoded;
        return true;
    }
}
