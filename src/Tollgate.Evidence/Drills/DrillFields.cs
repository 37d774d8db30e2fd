using System.Globalization;

namespace Tollgate.Evidence;

/// <summary>
/// Typed access to the fields of a drill evidence file, collecting every missing and invalid field
/// before reporting, so one run names them all. Only fields read through here become facts: an
/// evidence file may carry other keys (tokens, connection strings) that must never reach the ledger.
/// </summary>
internal sealed class DrillFields(Dictionary<string, string> values, DrillCodes codes, EvidenceResultBuilder result)
{
    private readonly List<string> _missing = [];
    private readonly List<string> _invalid = [];

    public string? Text(string key, bool required)
    {
        if (values.TryGetValue(key, out var value) && value.Length > 0)
        {
            result.Fact(key.ToLowerInvariant(), value);
            return value;
        }

        if (required)
        {
            _missing.Add(key);
        }

        return null;
    }

    /// <summary>A non-negative decimal in invariant form (digits and one '.'; no sign, exponent or grouping).</summary>
    public decimal? Decimal(string key, bool required)
    {
        if (Text(key, required) is not { } text)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        return Invalid<decimal>(key, "a non-negative decimal number");
    }

    /// <summary>A non-negative whole number in invariant form (digits only).</summary>
    public long? Count(string key, bool required)
    {
        if (Text(key, required) is not { } text)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        return Invalid<long>(key, "a non-negative whole number");
    }

    public DateTimeOffset? Timestamp(string key, bool required)
    {
        if (Text(key, required) is not { } text)
        {
            return null;
        }

        if (UtcTimestamp.TryParse(text, out var value))
        {
            return value;
        }

        return Invalid<DateTimeOffset>(key, "a UTC timestamp like 2026-02-11T08:30:00Z");
    }

    /// <summary>PASS or FAIL (exactly, upper case): true for PASS.</summary>
    public bool? PassFail(string key, bool required) => Text(key, required) switch
    {
        null => null,
        "PASS" => true,
        "FAIL" => false,
        _ => Invalid<bool>(key, "PASS or FAIL"),
    };

    public string? Version(string key, bool required)
    {
        var text = Text(key, required);
        if (text is null || ReleaseVersion.IsValid(text))
        {
            return text;
        }

        Invalid<bool>(key, "a release version");
        return null;
    }

    /// <summary>
    /// The declared duration must agree with the timestamps, when both are given, to within a
    /// second: the seconds are what the thresholds judge, so they must be the drill's real ones.
    /// </summary>
    public void CheckDuration(string secondsKey, decimal? seconds, string startKey, DateTimeOffset? start, string endKey, DateTimeOffset? end)
    {
        if (start is null || end is null)
        {
            return;
        }

        var elapsed = (decimal)(end.Value - start.Value).Ticks / TimeSpan.TicksPerSecond;
        if (elapsed < 0)
        {
            Contradiction(endKey, $"{endKey} is before {startKey}");
            return;
        }

        result.Fact("timestamp_seconds", elapsed);
        if (seconds is not null && Math.Abs(elapsed - seconds.Value) > 1m)
        {
            Contradiction(secondsKey, string.Create(CultureInfo.InvariantCulture,
                $"{secondsKey}={seconds} but {startKey}..{endKey} spans {elapsed} s"));
        }
    }

    /// <summary>The fields contradict each other; <paramref name="field"/> names the one reported.</summary>
    public void Contradiction(string field, string message)
    {
        _invalid.Add(field);
        result.Fail(codes.Invalid, message);
    }

    /// <summary>Reports the missing and invalid fields collected; true when there were none.</summary>
    public bool Report()
    {
        if (_missing.Count > 0)
        {
            result.Fail(codes.MissingField, $"missing field(s): {string.Join(", ", _missing)}");
            result.Fact("missing_fields", string.Join(",", _missing));
        }

        if (_invalid.Count > 0)
        {
            result.Fact("invalid_fields", string.Join(",", _invalid.Distinct()));
        }

        return _missing.Count == 0 && _invalid.Count == 0;
    }

    private T? Invalid<T>(string key, string expected)
        where T : struct
    {
        _invalid.Add(key);
        result.Fail(codes.Invalid, $"{key} is not {expected}");
        return null;
    }
}
