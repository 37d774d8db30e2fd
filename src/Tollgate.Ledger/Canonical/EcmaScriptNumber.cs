using System.Globalization;
using System.Text;

namespace Tollgate.Ledger.Canonical;

/// <summary>
/// Formats doubles as ECMAScript's Number::toString does (ECMA-262 §7.1.12.1, with its "Note 2" rounding),
/// which is how RFC 8785 §3.2.2.3 writes JSON numbers.
/// </summary>
public static class EcmaScriptNumber
{
    // The longest output is 25 bytes ("-0.0000033333333333333333": sign, "0.", five zeros, 17 digits).
    internal const int MaxLength = 32;

    /// <summary>
    /// The ECMAScript text of <paramref name="value"/>: shortest round-trip digits, plain notation from 1e-7
    /// up to 1e21 ("0.000001", "1e-7", "1e+21"), and negative zero written as "0".
    /// </summary>
    /// <exception cref="CanonicalJsonException">
    /// <c>JSON_NUMBER_OUT_OF_RANGE</c> for NaN and the infinities: ECMAScript would write "NaN" or "Infinity",
    /// but neither is a JSON number, and this type exists to write JSON.
    /// </exception>
    public static string Format(double value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        var length = Write(value, buffer);
        return Encoding.ASCII.GetString(buffer[..length]);
    }

    /// <summary>Writes the ECMAScript text of a finite <paramref name="value"/> as ASCII; returns the byte count.</summary>
    internal static int Write(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
            throw new CanonicalJsonException(CanonicalJsonReason.NumberOutOfRange, $"{value.ToString(CultureInfo.InvariantCulture)} is not a JSON number.");
        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        // .NET's round-trip format already finds the shortest digits that read back as the same double, choosing
        // the closest (then the even) candidate as Note 2 asks; only its layout differs from ECMAScript's.
        Span<byte> shortest = stackalloc byte[MaxLength];
        value.TryFormat(shortest, out var shortestLength, "R", CultureInfo.InvariantCulture);
        Span<byte> digits = stackalloc byte[MaxLength];
        var (digitCount, pointPosition) = Decompose(shortest[..shortestLength], digits);
        return Layout(value < 0, digits[..digitCount], pointPosition, destination);
    }

    /// <summary>
    /// Splits .NET's "R" text ("-1.2345E+20", "0.0001", "1E-07") into significant digits without leading or
    /// trailing zeros, and the position n of the decimal point, so that |value| = 0.digits × 10^n.
    /// </summary>
    private static (int DigitCount, int PointPosition) Decompose(ReadOnlySpan<byte> text, Span<byte> digits)
    {
        var count = 0;
        var integerDigits = -1;
        var i = text[0] == '-' ? 1 : 0;
        for (; i < text.Length && text[i] != 'E'; i++)
        {
            if (text[i] == '.') integerDigits = count;
            else digits[count++] = text[i];
        }
        if (integerDigits < 0) integerDigits = count;

        var exponent = 0;
        if (i < text.Length)
        {
            var negative = text[++i] == '-';
            if (text[i] is (byte)'-' or (byte)'+') i++;
            for (; i < text.Length; i++) exponent = exponent * 10 + (text[i] - '0');
            if (negative) exponent = -exponent;
        }

        var pointPosition = integerDigits + exponent;
        var leadingZeros = 0;
        while (digits[leadingZeros] == '0') leadingZeros++;
        pointPosition -= leadingZeros;
        var end = count;
        while (digits[end - 1] == '0') end--;
        digits[leadingZeros..end].CopyTo(digits);
        return (end - leadingZeros, pointPosition);
    }

    /// <summary>ECMA-262 §7.1.12.1 steps 6 to 10, with k = digits.Length and n = <paramref name="n"/>.</summary>
    private static int Layout(bool negative, ReadOnlySpan<byte> digits, int n, Span<byte> destination)
    {
        var k = digits.Length;
        var at = 0;
        if (negative) destination[at++] = (byte)'-';

        if (k <= n && n <= 21)
        {
            digits.CopyTo(destination[at..]);
            at += k;
            destination.Slice(at, n - k).Fill((byte)'0');
            return at + n - k;
        }
        if (0 < n && n <= 21)
        {
            digits[..n].CopyTo(destination[at..]);
            at += n;
            destination[at++] = (byte)'.';
            digits[n..].CopyTo(destination[at..]);
            return at + k - n;
        }
        if (-6 < n && n <= 0)
        {
            destination[at++] = (byte)'0';
            destination[at++] = (byte)'.';
            destination.Slice(at, -n).Fill((byte)'0');
            at += -n;
            digits.CopyTo(destination[at..]);
            return at + k;
        }

        destination[at++] = digits[0];
        if (k > 1)
        {
            destination[at++] = (byte)'.';
            digits[1..].CopyTo(destination[at..]);
            at += k - 1;
        }
        destination[at++] = (byte)'e';
        var exponent = n - 1;
        destination[at++] = exponent < 0 ? (byte)'-' : (byte)'+';
        exponent = Math.Abs(exponent);
        if (exponent >= 100) destination[at++] = (byte)('0' + exponent / 100);
        if (exponent >= 10) destination[at++] = (byte)('0' + exponent / 10 % 10);
        destination[at++] = (byte)('0' + exponent % 10);
        return at;
    }
}
