using System.Globalization;

namespace Tollgate.Evidence;

/// <summary>
/// The one timestamp form evidence uses: ISO 8601 in UTC with a 'Z', fraction only when non-zero
/// (2026-02-11T08:30:00Z, 2026-02-11T08:30:00.25Z). One form means one byte sequence per instant,
/// which the index's hashes depend on.
/// </summary>
internal static class UtcTimestamp
{
    private const string WriteFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'";

    private static readonly string[] ReadFormats =
    [
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'",
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'",
    ];

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(WriteFormat, CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        if (text is not null && DateTime.TryParseExact(text, ReadFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            value = new DateTimeOffset(utc, TimeSpan.Zero);
            return true;
        }

        value = default;
        return false;
    }
}
