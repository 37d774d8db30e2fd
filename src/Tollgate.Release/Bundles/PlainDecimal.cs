using System.Globalization;

namespace Tollgate.Release.Bundles;

/// <summary>
/// Decimals as bundles and their reports write them, the same way rule sets do: plain invariant text (sign, digits,
/// one point), no exponent, no grouping, no NaN or infinity; written without trailing zeros so 2.5 and 2.50 are one
/// value in a canonical form. (The rule set's own helper is internal to Tollgate.Markets.)
/// </summary>
internal static class PlainDecimal
{
    private const NumberStyles Plain = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    public static bool TryParse(string text, out decimal value)
    {
        if (!decimal.TryParse(text, Plain, CultureInfo.InvariantCulture, out value)) return false;
        value = Normalize(value);
        return true;
    }

    public static decimal Normalize(decimal value) => decimal.Parse(Canonical(value), Plain, CultureInfo.InvariantCulture);

    public static string Canonical(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        if (text.Contains('.')) text = text.TrimEnd('0').TrimEnd('.');
        return text is "-0" ? "0" : text;
    }

    /// <summary>
    /// <paramref name="numerator"/> / <paramref name="denominator"/> rounded half to even to 6 places, or
    /// <paramref name="whenEmpty"/> when the denominator is 0. Reports carry this rounded figure and the verdicts
    /// compare it, so whoever recomputes a report from its counts reaches the same verdict.
    /// </summary>
    public static decimal Ratio(long numerator, long denominator, decimal whenEmpty) =>
        denominator == 0 ? whenEmpty : Normalize(Math.Round((decimal)numerator / denominator, 6, MidpointRounding.ToEven));
}
