namespace Tollgate.Markets.Features;

/// <summary>
/// Time bars of one instrument's trades, aligned to the UTC epoch, with the indicators computed on each close:
/// Wilder's ATR, realized volatility of bar closes, and the daily closes the regime is computed from. Bars are cut
/// by the exchange's clock, never the local one, so a replay cuts the same bars as the live run. An interval with
/// no trade is a flat bar at the previous close, as Binance's klines are.
/// </summary>
public sealed class BarSeries(FeatureConfig config)
{
    private readonly long barTicks = TimeSpan.FromSeconds(config.BarSeconds).Ticks;
    private readonly double[] squaredReturns = new double[config.VolatilityBars];
    private readonly decimal[] dailyCloses = new decimal[config.RegimeDays + 1];
    private int returnCount, returnNext, dailyCount, dailyNext;

    private long barStart = long.MinValue;
    private decimal open, high, low, close, previousClose;
    private bool hasPrevious;
    private decimal trueRangeSum;
    private int trueRanges;
    private DateOnly? closesDay;

    /// <summary>Wilder's average true range once <see cref="FeatureConfig.AtrPeriod"/> bars have closed.</summary>
    public decimal? Atr { get; private set; }

    /// <summary>Realized volatility once <see cref="FeatureConfig.VolatilityBars"/> returns are in.</summary>
    public decimal? RealizedVolatility { get; private set; }

    public Regime Regime { get; private set; } = Regime.None;

    /// <summary>Bars closed so far.</summary>
    public long Closed { get; private set; }

    /// <summary>
    /// Moves the clock to <paramref name="exchangeTime"/>: closes every bar that ended before it and, the first time a
    /// UTC day passes 00:05, sets that day's regime. Returns true when a bar closed.
    /// </summary>
    public bool Advance(DateTimeOffset exchangeTime)
    {
        var closed = false;
        var ticks = exchangeTime.UtcTicks;
        while (barStart != long.MinValue && ticks >= barStart + barTicks)
        {
            CloseBar();
            closed = true;
            // Quiet intervals: flat bars at the last close, but at most one day of them, after which the clock jumps.
            var next = barStart + barTicks;
            barStart = ticks - next > TimeSpan.TicksPerDay ? ticks - ticks % barTicks : next;
            open = high = low = close;
        }
        var day = DateOnly.FromDateTime(exchangeTime.UtcDateTime);
        if (Regime.Day != day && exchangeTime.UtcDateTime.TimeOfDay >= RegimeRefresh)
            Regime = ComputeRegime(day);
        return closed;
    }

    /// <summary>The time of day (UTC) the regime of the new day is set: seed 002 C, "Regime update 00:05".</summary>
    public static readonly TimeSpan RegimeRefresh = new(0, 5, 0);

    public void OnTrade(decimal price, DateTimeOffset tradeTime)
    {
        Advance(tradeTime);
        if (barStart == long.MinValue)
        {
            var ticks = tradeTime.UtcTicks;
            barStart = ticks - ticks % barTicks;
            open = high = low = close = price;
            return;
        }
        if (price > high) high = price;
        if (price < low) low = price;
        close = price;
    }

    private void CloseBar()
    {
        Closed++;
        if (hasPrevious)
        {
            var trueRange = Math.Max(high - low, Math.Max(Math.Abs(high - previousClose), Math.Abs(low - previousClose)));
            if (Atr is { } atr)
                Atr = Math.Round((atr * (config.AtrPeriod - 1) + trueRange) / config.AtrPeriod, 10);
            else
            {
                // Seeded with the simple mean of the first period's true ranges, as Wilder does.
                trueRangeSum += trueRange;
                if (++trueRanges == config.AtrPeriod) Atr = Math.Round(trueRangeSum / config.AtrPeriod, 10);
            }

            var logReturn = Math.Log((double)close / (double)previousClose);
            squaredReturns[returnNext] = logReturn * logReturn;
            returnNext = (returnNext + 1) % squaredReturns.Length;
            if (returnCount < squaredReturns.Length) returnCount++;
            if (returnCount == squaredReturns.Length)
            {
                var total = 0.0;
                foreach (var r in squaredReturns) total += r;
                RealizedVolatility = (decimal)Math.Round(Math.Sqrt(total), 8);
            }
        }
        previousClose = close;
        hasPrevious = true;

        // The last bar of a UTC day gives that day's close.
        var barDay = DateOnly.FromDateTime(new DateTime(barStart, DateTimeKind.Utc));
        var nextDay = DateOnly.FromDateTime(new DateTime(barStart + barTicks, DateTimeKind.Utc));
        if (nextDay != barDay && closesDay != barDay)
        {
            dailyCloses[dailyNext] = close;
            dailyNext = (dailyNext + 1) % dailyCloses.Length;
            if (dailyCount < dailyCloses.Length) dailyCount++;
            closesDay = barDay;
        }
    }

    private Regime ComputeRegime(DateOnly day)
    {
        var returns = dailyCount - 1;
        if (returns < config.RegimeDays) return new Regime(RegimeState.Unknown, day, null, Math.Max(0, dailyCount));
        var total = 0.0;
        var oldest = (dailyNext - dailyCount + dailyCloses.Length) % dailyCloses.Length;
        for (var i = 1; i < dailyCount; i++)
        {
            var previous = dailyCloses[(oldest + i - 1) % dailyCloses.Length];
            var current = dailyCloses[(oldest + i) % dailyCloses.Length];
            var r = Math.Log((double)current / (double)previous);
            total += r * r;
        }
        var volatility = (decimal)Math.Round(Math.Sqrt(total / returns), 6);
        var state = volatility < config.CalmBelow ? RegimeState.Calm : volatility > config.VolatileAbove ? RegimeState.Volatile : RegimeState.Normal;
        return new Regime(state, day, volatility, dailyCount);
    }
}
