namespace Tollgate.Release.Analysis.Simulation;

/// <summary>What one simulated stream compares: the baseline's distribution and the canary's.</summary>
/// <param name="Name">Label for reports.</param>
/// <param name="Baseline">The baseline rev's metric distribution.</param>
/// <param name="Canary">The canary rev's metric distribution.</param>
public sealed record SimulationScenario(string Name, SimulatedDistribution Baseline, SimulatedDistribution Canary)
{
    /// <summary>A/A: the canary is the baseline. Every rollback is a false alarm.</summary>
    public static SimulationScenario Same(SimulatedDistribution baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return new($"A/A {baseline.Name}", baseline, baseline);
    }

    /// <summary>
    /// A/B: the canary is worse by <paramref name="effectInSigma"/> baseline standard deviations in
    /// <paramref name="direction"/>'s bad sign (Either: upward). Every rollback is a detection.
    /// </summary>
    public static SimulationScenario Worse(SimulatedDistribution baseline, double effectInSigma, ChangeDirection direction)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var shift = BadSign(direction) * effectInSigma * baseline.StandardDeviation;
        return new(FormattableString.Invariant($"A/B {baseline.Name} worse by {effectInSigma:G4}σ"), baseline, baseline.ShiftedBy(shift));
    }

    /// <summary>
    /// The canary is worse by exactly <paramref name="config"/>'s non-inferiority margin (δ·|mean| or δ), the boundary
    /// of the SAFE test's null: every SAFE verdict is a false promotion, and their rate must stay ≤ β.
    /// </summary>
    public static SimulationScenario AtMargin(SimulatedDistribution baseline, SequentialTestConfig config)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(config);
        var margin = config.MarginKind == SequentialMarginKind.Relative ? config.Margin * Math.Abs(baseline.Mean) : config.Margin;
        return new(FormattableString.Invariant($"{baseline.Name} worse by the margin ({margin:G4})"), baseline, baseline.ShiftedBy(BadSign(config.Direction) * margin));
    }

    private static int BadSign(ChangeDirection direction) => direction == ChangeDirection.Decrease ? -1 : 1;
}
