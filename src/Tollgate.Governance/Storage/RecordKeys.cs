using System.Globalization;

namespace Tollgate.Governance.Storage;

/// <summary>
/// Row keys that sort the newest first (Tables return rows in key order, so the current state is one query of one
/// row): a sequence number, or a time.
/// </summary>
public static class RecordKeys
{
    private const long Top = 9_999_999_999L;

    /// <summary>Sequence 1 is "9999999998", 2 is "9999999997": the newest sorts first.</summary>
    public static string NewestFirst(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequence);
        return (Top - sequence).ToString("D10", CultureInfo.InvariantCulture);
    }

    /// <summary>A time (UTC ticks), 19 digits, so that the newest sorts first.</summary>
    public static string NewestFirst(DateTimeOffset at) => NewestFirstTicks(at.UtcTicks);

    public static string NewestFirstTicks(long utcTicks) => (DateTimeOffset.MaxValue.UtcTicks - utcTicks).ToString("D19", CultureInfo.InvariantCulture);

    public static long SequenceOf(string row) => Top - long.Parse(row, NumberStyles.None, CultureInfo.InvariantCulture);
}
