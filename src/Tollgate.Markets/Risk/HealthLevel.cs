namespace Tollgate.Markets.Risk;

/// <summary>System health (seed 002 S11, GREEN..RED) and how execution follows it (seed 002 E).</summary>
public enum HealthLevel : byte { Green, Yellow, Orange, Red }

public static class HealthBehaviour
{
    /// <summary>Seed 002 E's size_mult: ×1.0 GREEN, ×0.8 YELLOW, ×0.5 ORANGE, and no new positions on RED.</summary>
    public static decimal SizeMultiplier(this HealthLevel health) => health switch
    {
        HealthLevel.Green => 1.0m,
        HealthLevel.Yellow => 0.8m,
        HealthLevel.Orange => 0.5m,
        HealthLevel.Red => 0m,
        _ => throw new ArgumentOutOfRangeException(nameof(health), health, null),
    };
}
