using Tollgate.Markets.Features;
using Tollgate.Markets.Tests.Support;
using static Tollgate.Markets.Tests.Support.Frames;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Features;

/// <summary>The daily regime: set at the first event on or after 00:05 UTC, Unknown until enough daily closes.</summary>
public sealed class RegimeTests
{
    private static readonly DateOnly D0 = new(2026, 1, 5);
    private static DateTimeOffset At(int day, int hour, int minute, int second = 0, int ms = 0) => new(D0.AddDays(day).ToDateTime(new TimeOnly(hour, minute, second, ms)), TimeSpan.Zero);

    /// <summary>One trade at noon of each day with the given price; the clock moved by futures mark prices in between.</summary>
    private static Rig Days(params decimal[] noonPrices)
    {
        var rig = new Rig(new FeatureConfig(barSeconds: 3600, regimeDays: 2));
        for (var d = 0; d < noonPrices.Length; d++)
        {
            if (d > 0) Tick(rig, At(d, 0, 5));
            rig.Stream(FutBtcUsdt, AggTrade(FutBtcUsdt, d, noonPrices[d], 1m, d, d, At(d, 12, 0)));
        }
        return rig;
    }

    private static void Tick(Rig rig, DateTimeOffset at) => rig.Stream(FutBtcUsdt, MarkPrice(FutBtcUsdt, 100m, 100m, 100m, 0m, at.AddHours(8), at));

    private static Regime RegimeOf(Rig rig) => rig.Pipeline(FutBtcUsdt).Bars.Regime;

    [Fact]
    public void Unknown_until_regimeDays_plus_one_daily_closes_then_set_at_0005()
    {
        var rig = Days(100m, 101m, 100.5m);
        Assert.Equal(new Regime(RegimeState.Unknown, D0.AddDays(2), null, 2), RegimeOf(rig)); // closes of day 0 and 1
        Tick(rig, At(3, 0, 4, 59, 999));
        Assert.Equal(D0.AddDays(2), RegimeOf(rig).Day); // not yet 00:05: the day's bars closed, the regime waits
        Tick(rig, At(3, 0, 5));
        // sqrt((ln(101/100)^2 + ln(100.5/101)^2) / 2) = 0.007863 < 0.02
        Assert.Equal(new Regime(RegimeState.Calm, D0.AddDays(3), 0.007863m, 3), RegimeOf(rig));
        Assert.Equal("CALM", RegimeOf(rig).Code);
    }

    [Fact]
    public void Regime_is_set_once_a_day_at_the_first_event_on_or_after_0005()
    {
        var rig = Days(100m, 101m, 104m);
        Tick(rig, At(3, 0, 7, 30)); // the first event of the day after 00:05 need not be at 00:05
        var set = RegimeOf(rig);
        Assert.Equal(new Regime(RegimeState.Normal, D0.AddDays(3), 0.021861m, 3), set); // sqrt((ln 1.01^2 + ln(104/101)^2)/2)
        rig.Stream(FutBtcUsdt, AggTrade(FutBtcUsdt, 10, 200m, 1m, 10, 10, At(3, 9, 0)));
        Tick(rig, At(3, 23, 59));
        Assert.Equal(set, RegimeOf(rig)); // later events that day change nothing
    }

    [Fact]
    public void A_volatile_series_is_volatile_and_feature_events_carry_the_regime()
    {
        var rig = Days(100m, 110m, 99m);
        rig.Stream(FutBtcUsdt, BookTicker(FutBtcUsdt, 5, 99m, 1m, 99.5m, 1m, At(3, 0, 6)));
        var expected = new Regime(RegimeState.Volatile, D0.AddDays(3), 0.100461m, 3); // sqrt((ln 1.1^2 + ln(99/110)^2)/2)
        Assert.Equal(expected, RegimeOf(rig));
        Assert.Equal(expected, rig.Features.Events[^1].Regime);
        Assert.Equal("VOLATILE", rig.Features.Events[^1].Regime.Code);
    }

    [Fact]
    public void Before_the_first_0005_there_is_no_regime()
    {
        var rig = new Rig(new FeatureConfig(barSeconds: 3600, regimeDays: 2));
        Tick(rig, At(0, 0, 1));
        Assert.Equal(Regime.None, RegimeOf(rig));
        Assert.Equal("UNKNOWN", RegimeOf(rig).Code);
        Tick(rig, At(0, 0, 5));
        Assert.Equal(new Regime(RegimeState.Unknown, D0, null, 0), RegimeOf(rig));
    }
}
