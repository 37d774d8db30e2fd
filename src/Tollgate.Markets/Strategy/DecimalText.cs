using System.Globalization;

namespace Tollgate.Markets.Strategy;

/// <summary>Decimals as rule sets write them: plain invariant text (sign, digits, one point), no exponent, no grouping.</summary>
internal static class DecimalText
{
    private const NumberStyles Plain = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    public static bool TryParse(string text, out decimal value)
    {
        if (!decimal.TryParse(text, Plain, CultureInfo.InvariantCulture, out value)) return false;
        value = Normalize(value);
        return true;
    }

    /// <summary>The same number without trailing zeros (2.50 → 2.5), so 2.5 and 2.50 are one value in the canonical form.</summary>
    public static decimal Normalize(decimal value) => decimal.Parse(Canonical(value), Plain, CultureInfo.InvariantCulture);

    public static string Canonical(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        if (text.Contains('.')) text = text.TrimEnd('0').TrimEnd('.');
        return text is "-0" ? "0" : text;
    }
}
