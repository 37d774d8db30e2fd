namespace Tollgate.Markets.Binance.Frames;

/// <summary>
/// Binance's decimal strings ("25.35190000") to <see cref="decimal"/>, exactly, without allocating. Only the plain
/// form is accepted: an optional minus, digits, and at most one point with digits after it. NaN, Infinity,
/// exponents, a plus sign, empty or bare-point strings, and anything decimal cannot hold exactly (a mantissa
/// beyond 96 bits, or a scale above 28) are refused rather than rounded.
/// </summary>
internal static class Utf8Decimal
{
    // Up to 19 digits fit a ulong; a decimal's 96-bit mantissa holds up to 29 (79228162514264337593543950335).
    private const int MaxFastDigits = 19, MaxDigits = 29, MaxScale = 28;
    private static readonly UInt128 MaxMantissa = (UInt128.One << 96) - 1;

    public static bool TryParse(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && text[0] == (byte)'-') { negative = true; i = 1; }
        ulong mantissa = 0;
        UInt128 wide = 0;
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
                else if (significant > MaxDigits) return false;
                else wide = (significant == MaxFastDigits + 1 ? mantissa : wide) * 10 + (uint)(c - '0');
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
        if (intDigits == 0 || (seenPoint && scale == 0) || scale > MaxScale) return false;
        if (significant > MaxFastDigits)
        {
            if (wide > MaxMantissa) return false;
            value = new decimal((int)(uint)wide, (int)(uint)(wide >> 32), (int)(uint)(wide >> 64), negative, (byte)scale);
            return true;
        }
        value = new decimal((int)mantissa, (int)(mantissa >> 32), 0, negative && mantissa != 0, (byte)scale);
        return true;
    }
}
