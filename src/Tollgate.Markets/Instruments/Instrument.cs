namespace Tollgate.Markets.Instruments;

/// <summary>
/// One tradable symbol on one market with the exchange's filters (Binance <c>exchangeInfo</c>: PRICE_FILTER tick
/// size, LOT_SIZE step size, MIN_NOTIONAL / NOTIONAL). Instances are shared: events refer to the same object, so
/// nothing on the hot path allocates a symbol string.
/// </summary>
public sealed class Instrument
{
    public Instrument(MarketKind market, string symbol, decimal tickSize, decimal stepSize, decimal minNotional)
    {
        if (string.IsNullOrWhiteSpace(symbol) || symbol.Length > 20 || !symbol.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException($"'{symbol}' is not a Binance symbol (1-20 ASCII letters and digits).", nameof(symbol));
        if (tickSize < 0 || stepSize < 0 || minNotional < 0)
            throw new ArgumentException($"{symbol}: tick size, step size and min notional must not be negative.");
        Market = market;
        Symbol = symbol.ToUpperInvariant();
        TickSize = tickSize;
        StepSize = stepSize;
        MinNotional = minNotional;
        Key = $"{market.Code()}:{Symbol}";
    }

    public MarketKind Market { get; }

    /// <summary>Upper case, as REST responses and event payloads spell it (<c>BTCUSDT</c>).</summary>
    public string Symbol { get; }

    /// <summary><c>SPOT:BTCUSDT</c>: one name for the instrument across markets; the ingest partition key.</summary>
    public string Key { get; }

    public decimal TickSize { get; }
    public decimal StepSize { get; }
    public decimal MinNotional { get; }

    /// <summary>True when <paramref name="price"/> is a whole number of ticks (always true when the tick size is unknown, 0).</summary>
    public bool IsOnTick(decimal price) => TickSize == 0 || price % TickSize == 0;

    /// <summary>True when <paramref name="quantity"/> is a whole number of steps (always true when the step size is unknown, 0).</summary>
    public bool IsOnStep(decimal quantity) => StepSize == 0 || quantity % StepSize == 0;

    public override string ToString() => Key;
}
