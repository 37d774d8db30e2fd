namespace Tollgate.Markets.Instruments;

/// <summary>Which Binance market an instrument trades on: spot, or USDⓈ-M perpetual futures.</summary>
public enum MarketKind : byte
{
    Spot,
    Futures,
}

public static class MarketKinds
{
    /// <summary>The code seed 002 uses in its stream names and records: <c>SPOT</c> or <c>FUT</c>.</summary>
    public static string Code(this MarketKind market) => market == MarketKind.Spot ? "SPOT" : "FUT";

    public static bool TryParse(ReadOnlySpan<char> code, out MarketKind market)
    {
        if (code.Equals("SPOT", StringComparison.OrdinalIgnoreCase)) { market = MarketKind.Spot; return true; }
        if (code.Equals("FUT", StringComparison.OrdinalIgnoreCase) || code.Equals("FUTURES", StringComparison.OrdinalIgnoreCase)) { market = MarketKind.Futures; return true; }
        market = default;
        return false;
    }
}
