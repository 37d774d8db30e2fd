using System.Buffers.Text;

namespace Tollgate.Markets.Binance.Frames;

/// <summary>
/// Binance's decimal strings ("25.35190000") to <see cref="decimal"/>, exactly, without allocating. Only the plain
/// form is accepted: an optional minus, digits, and at most one point with digits after it. NaN, Infinity,
/// exponents, a plus sign, empty or bare-point strings, and anything decimal cannot hold exactly (more than 28
/// significant digits, or a scale above 28) are refused rather than rounded.
/// </summary>
internal static class Utf8Decimal
{
    private const int MaxFastDigits = 19, MaxDigits = 28;

    public static bool TryParse(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && text[0] == (byte)'-') { negative = true; i = 1; }
        ulong mantissa = 0;
        int significant = 0, scale = 0, intDigits = 0;
        var seenPoint = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if ((uint)(c - '0') <= 9)
            {
                if (seenPoint) scale++;
                else intDigits++;
                if (significant == 0 && c == '0') continue; // leading zeros carry nothing
                if (++significant <= MaxFastDigits) mantissa = mantissa * 10 + (uint)(c - '0');
            }
            else if (c == '.' && !seenPoint && intDigits > 0)
            {
                seenPoint = true;
            }
            else
            {
                return false;
            }
        }
        if (intDigits == 0 || (seenPoint && scale == 0) || significant > MaxDigits || scale > MaxDigits) return false;
        if (significant > MaxFastDigits)
            return Utf8Parser.TryParse(text, out value, out var consumed, 'F') && consumed == text.Length;
        value = new decimal((int)mantissa, (int)(mantissa >> 32), 0, negative && mantissa != 0, (byte)scale);
        return true;
    }
}
