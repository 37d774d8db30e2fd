using Cronos;

namespace Tollgate.Host.Functions;

/// <summary>
/// A parsed <see cref="TimerTrigger"/>: six-field CRON (seconds first) in a time zone. Pure: every
/// answer is a function of the arguments, so occurrences can be tested without a clock.
/// </summary>
public sealed class TimerSchedule
{
    private readonly CronExpression _cron;

    private TimerSchedule(CronExpression cron, TimeZoneInfo zone)
    {
        _cron = cron;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Parses the trigger of <paramref name="functionName"/>.</summary>
    /// <exception cref="ArgumentException">The CRON expression or the time zone is not valid; the message names the function.</exception>
    public static TimerSchedule Parse(string functionName, TimerTrigger trigger)
    {
        if (string.IsNullOrWhiteSpace(trigger.Cron) || !CronExpression.TryParse(trigger.Cron, CronFormat.IncludeSeconds, out var cron))
            throw new ArgumentException(
                $"Timer function '{functionName}': '{trigger.Cron}' is not a valid six-field CRON expression (sec min hour day month weekday).", nameof(trigger));
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(trigger.TimeZoneId);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new ArgumentException($"Timer function '{functionName}': unknown time zone '{trigger.TimeZoneId}'.", nameof(trigger), e);
        }
        return new TimerSchedule(cron, zone);
    }

    /// <summary>The first occurrence strictly after <paramref name="from"/>, in UTC; null if there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset from)
        => _cron.GetNextOccurrence(from.ToUniversalTime(), Zone, inclusive: false)?.ToUniversalTime();

    /// <summary>The last occurrence at or before <paramref name="at"/>, in UTC; null if there is none.</summary>
    public DateTimeOffset? LatestAtOrBefore(DateTimeOffset at)
        => _cron.GetPreviousOccurrence(at.ToUniversalTime(), Zone, inclusive: true)?.ToUniversalTime();
}
