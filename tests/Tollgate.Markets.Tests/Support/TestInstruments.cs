using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Tests.Support;

/// <summary>The universe every test uses: the symbols of Binance's documented examples and a few more.</summary>
public static class TestInstruments
{
    public static readonly Instrument SpotBtcUsdt = new(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m);
    public static readonly Instrument SpotEthUsdt = new(MarketKind.Spot, "ETHUSDT", 0.01m, 0.0001m, 5m);
    public static readonly Instrument SpotBnbUsdt = new(MarketKind.Spot, "BNBUSDT", 0.0001m, 0.01m, 5m);
    public static readonly Instrument SpotBnbBtc = new(MarketKind.Spot, "BNBBTC", 0.0000001m, 0.001m, 0.0001m);
    public static readonly Instrument FutBtcUsdt = new(MarketKind.Futures, "BTCUSDT", 0.1m, 0.001m, 100m);
    public static readonly Instrument FutBnbUsdt = new(MarketKind.Futures, "BNBUSDT", 0.01m, 0.01m, 5m);

    public static InstrumentTable Table { get; } = new([SpotBtcUsdt, SpotEthUsdt, SpotBnbUsdt, SpotBnbBtc, FutBtcUsdt, FutBnbUsdt]);
}
