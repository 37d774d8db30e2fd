using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tollgate.Markets.Features;

/// <summary>
/// How features are computed (seed 002 S2). Part of the config version a release governs: every
/// <see cref="FeatureEvent"/> carries <see cref="Rev"/>, so a decision can be traced to the settings that produced
/// its inputs. <see cref="Rev"/> defaults to a hash of the settings, so two configs that differ never share one.
/// </summary>
public sealed record FeatureConfig
{
    public FeatureConfig(int imbalanceLevels = 5, int barSeconds = 60, int atrPeriod = 14, int volatilityBars = 30,
        int regimeDays = 20, decimal calmBelow = 0.02m, decimal volatileAbove = 0.05m, string? rev = null)
    {
        if (imbalanceLevels is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(imbalanceLevels), imbalanceLevels, "1-1000 levels");
        if (barSeconds is < 1 or > 86_400 || 86_400 % barSeconds != 0) throw new ArgumentOutOfRangeException(nameof(barSeconds), barSeconds, "1-86400 seconds, dividing a day");
        if (atrPeriod is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(atrPeriod), atrPeriod, "1-10000 bars");
        if (volatilityBars is < 2 or > 10_000) throw new ArgumentOutOfRangeException(nameof(volatilityBars), volatilityBars, "2-10000 bars");
        if (regimeDays is < 2 or > 1000) throw new ArgumentOutOfRangeException(nameof(regimeDays), regimeDays, "2-1000 days");
        if (calmBelow <= 0 || volatileAbove <= calmBelow) throw new ArgumentOutOfRangeException(nameof(volatileAbove), volatileAbove, "0 < calmBelow < volatileAbove");
        ImbalanceLevels = imbalanceLevels;
        BarSeconds = barSeconds;
        AtrPeriod = atrPeriod;
        VolatilityBars = volatilityBars;
        RegimeDays = regimeDays;
        CalmBelow = calmBelow;
        VolatileAbove = volatileAbove;
        Rev = rev ?? "feat-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Describe())))[..12];
    }

    /// <summary>Top-N levels per side in the book imbalance.</summary>
    public int ImbalanceLevels { get; }
    /// <summary>Bar length for ATR and realized volatility.</summary>
    public int BarSeconds { get; }
    public int AtrPeriod { get; }
    /// <summary>Bars of log returns in the realized volatility.</summary>
    public int VolatilityBars { get; }
    /// <summary>Daily closes the regime's volatility is measured over.</summary>
    public int RegimeDays { get; }
    /// <summary>Daily realized volatility below which the regime is CALM.</summary>
    public decimal CalmBelow { get; }
    /// <summary>Daily realized volatility above which the regime is VOLATILE.</summary>
    public decimal VolatileAbove { get; }
    public string Rev { get; }

    public static FeatureConfig Default { get; } = new();

    private string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"imbalance={ImbalanceLevels};bar={BarSeconds};atr={AtrPeriod};rv={VolatilityBars};regimeDays={RegimeDays};calm={CalmBelow};volatile={VolatileAbove}");
}
