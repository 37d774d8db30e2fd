using Tollgate.Markets.Features;
using Tollgate.Markets.Tests.Support;
using static Tollgate.Markets.Tests.Support.Frames;
using static Tollgate.Markets.Tests.Support.TestInstruments;

namespace Tollgate.Markets.Tests.Features;

/// <summary>Bars, Wilder's ATR and realized volatility on a short series with small periods, worked out by hand.</summary>
public sealed class BarSeriesTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero); // a bar boundary
    private static readonly FeatureConfig Small = new(barSeconds: 60, atrPeriod: 3, volatilityBars: 2);

    // Bar k covers [Start + k min, Start + k+1 min). Closes: 101, 102, 103, 99, 98.
    private static readonly (int Bar, decimal[] Prices)[] Series =
    [
        (0, [100m, 102m, 99m, 101m]),   // O100 H102 L99  C101
        (1, [101m, 103m, 100.5m, 102m]), // H103 L100.5 C102: TR = max(2.5, |103-101|, |100.5-101|) = 2.5
        (2, [104m, 101m, 103m]),         // H104 L101 C103: TR = max(3, 2, 1) = 3
        (3, [99m]),                      // H=L=C=99:     TR = max(0, 4, 4) = 4
        (4, [100m, 98m]),                // H100 L98 C98: TR = max(2, 1, 1) = 2
        (5, [98m]),                      // closes bar 4
    ];

    private static (Rig Rig, List<(decimal? Atr, decimal? Rv, long Closed)> AfterEachBar) Run()
    {
        var rig = new Rig(Small);
        rig.Stream(SpotBtcUsdt, BookTicker(SpotBtcUsdt, 1, 99m, 1m, 105m, 1m)); // a top of book, so bar closes emit features
        var seen = new List<(decimal?, decimal?, long)>();
        var id = 0;
        foreach (var (bar, prices) in Series)
        {
            for (var i = 0; i < prices.Length; i++)
            {
                var at = Start.AddMinutes(bar).AddSeconds(i * 10);
                rig.Stream(SpotBtcUsdt, AggTrade(SpotBtcUsdt, id, prices[i], 1m, id, id, at));
                id++;
            }
            var bars = rig.Pipeline(SpotBtcUsdt).Bars;
            seen.Add((bars.Atr, bars.RealizedVolatility, bars.Closed));
        }
        return (rig, seen);
    }

    [Fact]
    public void Atr_is_seeded_with_the_mean_of_the_first_period_true_ranges_then_smoothed_by_Wilder()
    {
        var (_, seen) = Run();
        Assert.Equal([0L, 1, 2, 3, 4, 5], seen.Select(s => s.Closed));
        Assert.Null(seen[2].Atr); // two true ranges so far (the first bar has no previous close)
        Assert.Null(seen[3].Atr);
        Assert.Equal(3.1666666667m, seen[4].Atr); // bar 3 closed: (2.5 + 3 + 4) / 3
        Assert.Equal(2.7777777778m, seen[5].Atr); // bar 4 closed: (3.1666666667 * 2 + 2) / 3
    }

    [Fact]
    public void Realized_volatility_is_the_root_of_the_summed_squared_log_returns_of_the_last_bars()
    {
        var (_, seen) = Run();
        Assert.Null(seen[1].Rv); // one return
        Assert.Null(seen[2].Rv);
        Assert.Equal(0.01386545m, seen[3].Rv); // sqrt(ln(102/101)^2 + ln(103/102)^2)
        Assert.Equal(0.04079297m, seen[4].Rv); // sqrt(ln(103/102)^2 + ln(99/103)^2)
        Assert.Equal(0.04088954m, seen[5].Rv); // sqrt(ln(99/103)^2 + ln(98/99)^2)
    }

    [Fact]
    public void Each_bar_close_emits_a_bar_feature_event_with_the_new_indicators()
    {
        var (rig, _) = Run();
        var bars = rig.Features.Events.Where(e => e.Trigger == FeatureTrigger.Bar).ToList();
        Assert.Equal(5, bars.Count);
        Assert.Equal(Start.AddMinutes(5), bars[^1].ExchangeTime);
        Assert.Equal(2.7777777778m, bars[^1].Atr);
        Assert.Equal(0.04088954m, bars[^1].RealizedVolatility);
        Assert.Equal(102m, bars[^1].Mid); // from the quote: (99 + 105) / 2
    }

    [Fact]
    public void A_quiet_interval_closes_flat_bars_at_the_last_close()
    {
        var series = new BarSeries(new FeatureConfig(barSeconds: 60, atrPeriod: 2, volatilityBars: 2));
        series.OnTrade(100m, Start);
        series.OnTrade(110m, Start.AddSeconds(30)); // bar 0: H110 L100 C110
        series.OnTrade(110m, Start.AddMinutes(3));   // bars 0, 1, 2 close; 1 and 2 are flat at 110
        Assert.Equal(3, series.Closed);
        Assert.Equal(0m, series.Atr); // true ranges of the flat bars: 0, 0
        Assert.Equal(0m, series.RealizedVolatility); // ln(110/110) twice
    }

    [Fact]
    public void Bars_follow_the_exchange_clock_not_arrival_order()
    {
        var series = new BarSeries(Small);
        series.OnTrade(100m, Start.AddSeconds(59));
        Assert.False(series.Advance(Start.AddSeconds(59.999)));
        Assert.True(series.Advance(Start.AddMinutes(1)));
        Assert.False(series.Advance(Start.AddSeconds(10))); // an older time closes nothing
        Assert.Equal(1, series.Closed);
    }
}

/// <summary>A bar closes on the exchange clock of any event, and its close is a feature event of its own.</summary>
public sealed class BarCloseEventTests
{
    [Fact]
    public void A_depth_update_past_the_bar_end_emits_a_bar_feature_event_before_its_own()
    {
        var start = new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);
        var rig = new Rig(new FeatureConfig(barSeconds: 60, atrPeriod: 3, volatilityBars: 2));
        rig.SyncBook(SpotBtcUsdt, 10, L((100m, 1m)), L((101m, 1m)));
        rig.Stream(SpotBtcUsdt, AggTrade(SpotBtcUsdt, 1, 100.5m, 1m, 1, 1, start.AddSeconds(5)));
        var before = rig.Features.Events.Count;

        rig.Stream(SpotBtcUsdt, DepthUpdate(SpotBtcUsdt, 12, 12, null, L((100m, 2m)), None, start.AddSeconds(61)));

        var emitted = rig.Features.Events.Skip(before).Select(f => f.Trigger).ToList();
        Assert.Equal([FeatureTrigger.Bar, FeatureTrigger.Book], emitted);
        Assert.Equal(1, rig.Pipeline(SpotBtcUsdt).Bars.Closed);
    }
}

/// <summary>The same aggregate trade twice (two connections overlapping in a rotation) counts once.</summary>
public sealed class RepeatedTradeTests
{
    [Fact]
    public void A_repeated_or_older_aggregate_trade_is_dropped_as_stale()
    {
        var at = new DateTimeOffset(2026, 1, 5, 12, 0, 1, TimeSpan.Zero);
        var rig = new Rig();
        rig.Stream(SpotBtcUsdt, AggTrade(SpotBtcUsdt, 7, 100m, 1m, 70, 71, at));
        rig.Stream(SpotBtcUsdt, AggTrade(SpotBtcUsdt, 7, 100m, 1m, 70, 71, at));
        rig.Stream(SpotBtcUsdt, AggTrade(SpotBtcUsdt, 6, 99m, 1m, 68, 69, at));
        rig.Stream(SpotBtcUsdt, AggTrade(SpotBtcUsdt, 8, 101m, 1m, 72, 72, at.AddSeconds(1)));

        var quality = rig.Pipeline(SpotBtcUsdt).Quality;
        Assert.Equal(2, quality.Trades);
        Assert.Equal(2, quality.StaleTrades);
        Assert.Equal(8, rig.Pipeline(SpotBtcUsdt).LastTrade!.Value.AggregateTradeId);
    }
}
