using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Binance.Rest;

/// <summary>
/// What the REST client knows about one market's limits: the request-weight window (the exchange's minute, from the
/// <c>X-MBX-USED-WEIGHT-1M</c> header plus what it has sent since), a 429 backoff, a 418 ban, and the clock offset.
/// </summary>
internal sealed class RestMarketState(MarketKind market, int weightLimit)
{
    private readonly object gate = new();
    private DateTimeOffset windowStart = DateTimeOffset.MinValue;
    private int used;

    public MarketKind Market { get; } = market;
    public int WeightLimit { get; private set; } = weightLimit;
    public TimeSpan ClockOffset { get; set; }
    public DateTimeOffset BannedUntil { get; set; } = DateTimeOffset.MinValue;
    public DateTimeOffset BackoffUntil { get; set; } = DateTimeOffset.MinValue;

    public int Used { get { lock (gate) return used; } }

    public void SetLimit(int limit)
    {
        if (limit > 0) lock (gate) WeightLimit = limit;
    }

    /// <summary>
    /// Takes <paramref name="weight"/> from the current minute, or says how long until the minute rolls over when it
    /// would exceed the limit. A request heavier than the whole limit is let through in a fresh window (Binance counts
    /// it and answers 429, which is retried).
    /// </summary>
    public TimeSpan TryReserve(int weight, DateTimeOffset exchangeNow)
    {
        lock (gate)
        {
            var minute = Floor(exchangeNow);
            if (minute > windowStart) { windowStart = minute; used = 0; }
            if (used + weight <= WeightLimit || used == 0)
            {
                used += weight;
                return TimeSpan.Zero;
            }
            return windowStart.AddMinutes(1) - exchangeNow;
        }
    }

    /// <summary>Takes the exchange's count for the minute the response was received in, when it is higher than ours.</summary>
    public void Observe(int usedWeight, DateTimeOffset exchangeNow)
    {
        lock (gate)
        {
            var minute = Floor(exchangeNow);
            if (minute > windowStart) { windowStart = minute; used = usedWeight; }
            else if (minute == windowStart) used = Math.Max(used, usedWeight);
        }
    }

    private static DateTimeOffset Floor(DateTimeOffset time) => new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
