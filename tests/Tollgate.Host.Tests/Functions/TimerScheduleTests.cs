using Tollgate.Host.Functions;

namespace Tollgate.Host.Tests.Functions;

/// <summary>Next occurrences are a pure function of (CRON, time zone, from).</summary>
public sealed class TimerScheduleTests
{
    private static TimerSchedule Parse(string cron, string zone) => TimerSchedule.Parse("test", new TimerTrigger(cron, zone));

    [Fact]
    public void Nine_oclock_in_Taipei_is_one_oclock_UTC()
    {
        var schedule = Parse("0 0 9 * * *", "Asia/Taipei");
        Assert.Equal(DateTimeOffset.Parse("2030-03-04T01:00:00Z"), schedule.NextAfter(DateTimeOffset.Parse("2030-03-04T00:00:00Z")));
        // After 01:00 UTC (09:00 Taipei) the next one is tomorrow's.
        Assert.Equal(DateTimeOffset.Parse("2030-03-05T01:00:00Z"), schedule.NextAfter(DateTimeOffset.Parse("2030-03-04T01:00:00Z")));
    }

    [Fact]
    public void Daylight_saving_moves_the_UTC_time_of_a_local_schedule()
    {
        var schedule = Parse("0 30 9 * * 1-5", "America/New_York");
        // EST (UTC-5) in January, EDT (UTC-4) in July.
        Assert.Equal(DateTimeOffset.Parse("2030-01-07T14:30:00Z"), schedule.NextAfter(DateTimeOffset.Parse("2030-01-06T00:00:00Z")));
        Assert.Equal(DateTimeOffset.Parse("2030-07-08T13:30:00Z"), schedule.NextAfter(DateTimeOffset.Parse("2030-07-06T00:00:00Z")));
    }

    [Fact]
    public void Seconds_field_and_weekdays()
    {
        var everySecond = Parse("* * * * * *", "UTC");
        Assert.Equal(DateTimeOffset.Parse("2030-01-01T00:00:01Z"), everySecond.NextAfter(DateTimeOffset.Parse("2030-01-01T00:00:00.500Z")));
        var retention = Parse("0 0 3 * * *", "UTC");
        Assert.Equal(DateTimeOffset.Parse("2030-01-02T03:00:00Z"), retention.NextAfter(DateTimeOffset.Parse("2030-01-01T03:00:00Z")));
        Assert.Equal(DateTimeOffset.Parse("2030-01-01T03:00:00Z"), retention.LatestAtOrBefore(DateTimeOffset.Parse("2030-01-01T03:00:00Z")));
        Assert.Equal(DateTimeOffset.Parse("2029-12-31T03:00:00Z"), retention.LatestAtOrBefore(DateTimeOffset.Parse("2030-01-01T02:59:59Z")));
    }
}
