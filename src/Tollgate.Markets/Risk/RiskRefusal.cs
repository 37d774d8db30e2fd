namespace Tollgate.Markets.Risk;

/// <summary>Why pre-trade risk refused an order; each a stable code, as Nautilus's OrderDeniedReason.</summary>
public enum RiskRefusal : byte
{
    None,
    /// <summary>RISK-HEALTH-RED: system health is RED: no new positions, only reducing ones (seed 002 E).</summary>
    HealthRed,
    /// <summary>RISK-MAX-QTY.</summary>
    MaxQuantity,
    /// <summary>RISK-MAX-NOTIONAL.</summary>
    MaxNotional,
    /// <summary>RISK-NO-BOOK: no synced top of book to price or collar the order against.</summary>
    NoBook,
    /// <summary>RISK-COLLAR: a limit price too far through the book.</summary>
    Collar,
    /// <summary>RISK-THROTTLE-SYMBOL: too many orders this second on the instrument.</summary>
    ThrottleSymbol,
    /// <summary>RISK-THROTTLE-GLOBAL: too many orders this second in all.</summary>
    ThrottleGlobal,
    /// <summary>RISK-POSITION: the position after the order would exceed its limit.</summary>
    Position,
    /// <summary>RISK-CONCURRENCY: the instrument has as many open positions as allowed.</summary>
    Concurrency,
    /// <summary>RISK-MARGIN: the order's margin does not fit the budget left.</summary>
    Margin,
    /// <summary>RISK-DUPLICATE: the same order under another intent id moments ago.</summary>
    Duplicate,
    /// <summary>RISK-NO-LIMITS: the instrument has no risk limits configured: nothing unlimited is sent.</summary>
    NoLimits,
}

public static class RiskRefusals
{
    public static string Code(this RiskRefusal refusal) => refusal switch
    {
        RiskRefusal.None => "OK",
        RiskRefusal.HealthRed => "RISK-HEALTH-RED",
        RiskRefusal.MaxQuantity => "RISK-MAX-QTY",
        RiskRefusal.MaxNotional => "RISK-MAX-NOTIONAL",
        RiskRefusal.NoBook => "RISK-NO-BOOK",
        RiskRefusal.Collar => "RISK-COLLAR",
        RiskRefusal.ThrottleSymbol => "RISK-THROTTLE-SYMBOL",
        RiskRefusal.ThrottleGlobal => "RISK-THROTTLE-GLOBAL",
        RiskRefusal.Position => "RISK-POSITION",
        RiskRefusal.Concurrency => "RISK-CONCURRENCY",
        RiskRefusal.Margin => "RISK-MARGIN",
        RiskRefusal.Duplicate => "RISK-DUPLICATE",
        RiskRefusal.NoLimits => "RISK-NO-LIMITS",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, null),
    };
}
