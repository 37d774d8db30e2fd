using System.Globalization;

namespace Tollgate.Governance.Storage;

/// <summary>
/// Row keys for sequences: a sequence number written so that the newest sorts first (Tables return rows in key
/// order, so the current state is one query of one row), and parsed back.
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

    public static long SequenceOf(string row) => Top - long.Parse(row, NumberStyles.None, CultureInfo.InvariantCulture);
}
