using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Binance.Rest;

/// <summary>A server-time reading by the midpoint method: offset = serverTime − (t0 + t1) / 2, round trip = t1 − t0.</summary>
/// <param name="ClockOffset">Exchange clock minus local clock; add it to local time to get exchange time.</param>
public readonly record struct BinanceServerTime(DateTimeOffset ServerTime, TimeSpan RoundTrip, TimeSpan ClockOffset);

/// <summary>One of exchangeInfo's <c>rateLimits</c>, e.g. REQUEST_WEIGHT per 1 MINUTE, limit 6000.</summary>
public readonly record struct BinanceRateLimit(string Type, string Interval, int IntervalNum, int Limit)
{
    /// <summary>The interval as the <c>X-MBX-USED-WEIGHT-*</c> header spells it: <c>1m</c>, <c>1h</c>, <c>1d</c>.</summary>
    public string HeaderInterval => $"{IntervalNum}{Interval switch { "SECOND" => "s", "MINUTE" => "m", "HOUR" => "h", "DAY" => "d", _ => "?" }}";
}

/// <summary>A symbol of exchangeInfo: the instrument with its filters, and what else identifies it.</summary>
/// <param name="ContractType">Futures only: PERPETUAL, CURRENT_QUARTER, ...</param>
public sealed record BinanceSymbolInfo(Instrument Instrument, string Status, string BaseAsset, string QuoteAsset, string? ContractType);

/// <summary>What <c>exchangeInfo</c> says about one market.</summary>
public sealed record BinanceExchangeInfo(MarketKind Market, DateTimeOffset ServerTime, IReadOnlyList<BinanceRateLimit> RateLimits, IReadOnlyList<BinanceSymbolInfo> Symbols)
{
    public IEnumerable<Instrument> Instruments => Symbols.Select(s => s.Instrument);

    public Instrument? Find(string symbol) => Symbols.FirstOrDefault(s => string.Equals(s.Instrument.Symbol, symbol, StringComparison.OrdinalIgnoreCase))?.Instrument;
}
