using Tollgate.Markets.Features;

namespace Tollgate.Markets.Strategy;

/// <summary>A feature a rule condition can test, named in rules as <see cref="StrategyFeatures.Name"/>.</summary>
public enum StrategyFeature : byte
{
    /// <summary><c>mid</c>: (bid + ask) / 2.</summary>
    Mid,
    /// <summary><c>spread</c>: ask − bid.</summary>
    Spread,
    /// <summary><c>spread_bps</c>: spread / mid × 10⁴ (4 places).</summary>
    SpreadBps,
    /// <summary><c>microprice</c>: the size-weighted mid.</summary>
    Microprice,
    /// <summary><c>microprice_edge_bps</c>: (microprice − mid) / mid × 10⁴, rounded to 4 places; positive leans to the ask.</summary>
    MicropriceEdgeBps,
    /// <summary><c>imbalance</c>: top-N depth imbalance in [−1, 1]; missing without a synced depth book.</summary>
    Imbalance,
    /// <summary><c>atr</c>: average true range over the feature config's bars; missing until enough bars closed.</summary>
    Atr,
    /// <summary><c>realized_vol</c>: realized volatility of bar closes; missing until enough bars closed.</summary>
    RealizedVol,
    /// <summary><c>regime</c>: CALM, NORMAL or VOLATILE; missing (never matches) while UNKNOWN.</summary>
    Regime,
}

/// <summary>A condition's comparison.</summary>
public enum ConditionOperator : byte { Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual }

public static class StrategyFeatures
{
    /// <summary>Every feature, in the order decision records list them.</summary>
    public static readonly IReadOnlyList<StrategyFeature> All =
    [
        StrategyFeature.Mid, StrategyFeature.Spread, StrategyFeature.SpreadBps, StrategyFeature.Microprice,
        StrategyFeature.MicropriceEdgeBps, StrategyFeature.Imbalance, StrategyFeature.Atr, StrategyFeature.RealizedVol,
        StrategyFeature.Regime,
    ];

    public static string Name(this StrategyFeature feature) => feature switch
    {
        StrategyFeature.Mid => "mid",
        StrategyFeature.Spread => "spread",
        StrategyFeature.SpreadBps => "spread_bps",
        StrategyFeature.Microprice => "microprice",
        StrategyFeature.MicropriceEdgeBps => "microprice_edge_bps",
        StrategyFeature.Imbalance => "imbalance",
        StrategyFeature.Atr => "atr",
        StrategyFeature.RealizedVol => "realized_vol",
        StrategyFeature.Regime => "regime",
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, null),
    };

    /// <summary>Feature names are lower case, exactly as <see cref="Name"/> spells them.</summary>
    public static bool TryParse(string name, out StrategyFeature feature)
    {
        foreach (var f in All)
            if (string.Equals(f.Name(), name, StringComparison.Ordinal)) { feature = f; return true; }
        feature = default;
        return false;
    }

    public static string Symbol(this ConditionOperator op) => op switch
    {
        ConditionOperator.Less => "<",
        ConditionOperator.LessOrEqual => "<=",
        ConditionOperator.Greater => ">",
        ConditionOperator.GreaterOrEqual => ">=",
        ConditionOperator.Equal => "==",
        ConditionOperator.NotEqual => "!=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static bool TryParseOperator(string text, out ConditionOperator op)
    {
        (var ok, op) = text switch
        {
            "<" => (true, ConditionOperator.Less),
            "<=" => (true, ConditionOperator.LessOrEqual),
            ">" => (true, ConditionOperator.Greater),
            ">=" => (true, ConditionOperator.GreaterOrEqual),
            "==" => (true, ConditionOperator.Equal),
            "!=" => (true, ConditionOperator.NotEqual),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>
    /// The decimal value of <paramref name="feature"/> in <paramref name="e"/>, or null when it is missing: no
    /// two-sided book (bid ≤ 0 or ask ≤ bid) leaves every price feature missing, and imbalance, ATR and realized
    /// volatility are missing while the event has none. <see cref="StrategyFeature.Regime"/> has no decimal value.
    /// </summary>
    public static decimal? Value(this StrategyFeature feature, in FeatureEvent e)
    {
        var priced = HasBook(e);
        return feature switch
        {
            StrategyFeature.Mid => priced ? e.Mid : null,
            StrategyFeature.Spread => priced ? e.Spread : null,
            StrategyFeature.SpreadBps => priced ? e.SpreadBps : null,
            StrategyFeature.Microprice => priced ? e.Microprice : null,
            StrategyFeature.MicropriceEdgeBps => priced && e.Mid > 0 && e.Microprice > 0 ? Math.Round((e.Microprice - e.Mid) / e.Mid * 10_000m, 4) : null,
            StrategyFeature.Imbalance => e.Imbalance,
            StrategyFeature.Atr => e.Atr,
            StrategyFeature.RealizedVol => e.RealizedVolatility,
            _ => null,
        };
    }

    /// <summary>A two-sided, uncrossed top of book: what every price feature and every intent's price needs.</summary>
    public static bool HasBook(in FeatureEvent e) => e.BidPrice > 0 && e.AskPrice > e.BidPrice;
}
