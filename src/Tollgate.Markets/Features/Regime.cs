namespace Tollgate.Markets.Features;

/// <summary>The market regime of one instrument for one UTC day (seed 002 S2, <c>prod:{regime}:market:state</c>), set at 00:05 from daily volatility.</summary>
public enum RegimeState : byte
{
    /// <summary>Fewer daily closes than the config asks for: no claim is made.</summary>
    Unknown,
    Calm,
    Normal,
    Volatile,
}

/// <summary>A regime and what it was computed from.</summary>
/// <param name="Day">The UTC day it holds for.</param>
/// <param name="DailyVolatility">√Σ ln(cᵢ/cᵢ₋₁)² / n over the daily closes used, rounded to 6 places; null when Unknown.</param>
/// <param name="Days">Daily closes used.</param>
public readonly record struct Regime(RegimeState State, DateOnly? Day, decimal? DailyVolatility, int Days)
{
    public static Regime None => new(RegimeState.Unknown, null, null, 0);

    public string Code => State switch
    {
        RegimeState.Calm => "CALM",
        RegimeState.Normal => "NORMAL",
        RegimeState.Volatile => "VOLATILE",
        _ => "UNKNOWN",
    };
}
