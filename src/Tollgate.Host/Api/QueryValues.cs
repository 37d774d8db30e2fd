using System.Globalization;
using System.Text.RegularExpressions;

namespace Tollgate.Host.Api;

/// <summary>Parsing of query-string values; each returns false on anything it does not accept exactly.</summary>
public static partial class QueryValues
{
    /// <summary>ISO 8601 date or date-time; without an offset it is UTC.</summary>
    public static bool TryParseInstant(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return text is not null && IsoDate().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }

    public static bool TryParseBool(string? text, out bool value)
    {
        value = false;
        if (text is null) return false;
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1") { value = true; return true; }
        return text.Equals("false", StringComparison.OrdinalIgnoreCase) || text == "0";
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex IsoDate();
}
