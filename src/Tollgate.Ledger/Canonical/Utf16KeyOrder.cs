using System.Text;

namespace Tollgate.Ledger.Canonical;

/// <summary>
/// Orders UTF-8 member names by their UTF-16 code units, as RFC 8785 §3.2.3 requires, without transcoding.
/// </summary>
/// <remarks>
/// UTF-8 byte order is code point order, which agrees with UTF-16 order except between a supplementary
/// character (a surrogate pair, 0xD800…) and a BMP character at or above U+E000. So the names are compared
/// byte-wise and only the first differing character is looked at as UTF-16.
/// </remarks>
internal static class Utf16KeyOrder
{
    public static int Compare(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var i = left.CommonPrefixLength(right);
        if (i == left.Length || i == right.Length) return left.Length.CompareTo(right.Length);

        // The names agree up to i, so the character holding byte i starts at the same place in both.
        while (i > 0 && (left[i] & 0xC0) == 0x80) i--;
        Rune.DecodeFromUtf8(left[i..], out var a, out _);
        Rune.DecodeFromUtf8(right[i..], out var b, out _);
        if (a.IsBmp == b.IsBmp) return a.Value.CompareTo(b.Value);
        return FirstUtf16Unit(a).CompareTo(FirstUtf16Unit(b));
    }

    private static int FirstUtf16Unit(Rune rune) => rune.IsBmp ? rune.Value : 0xD800 + ((rune.Value - 0x10000) >> 10);
}
