namespace Tollgate.Release.Analysis;

/// <summary>
/// The outcome of <see cref="MannWhitney.Compare"/>. Statistics are doubles: they are
/// approximations (normal approximation, erfc fit) and never feed money arithmetic.
/// When <see cref="Tested"/> is false only the sizes, the NaN count and
/// <see cref="NoTestReason"/> are meaningful; every statistic is NaN.
/// </summary>
public sealed record MannWhitneyResult
{
    /// <summary>False when no test could be run (an empty sample after NaN handling).</summary>
    public required bool Tested { get; init; }

    /// <summary>Why no test was run; null when <see cref="Tested"/>.</summary>
    public string? NoTestReason { get; init; }

    /// <summary>Canary sample size after NaN handling.</summary>
    public required int CanarySize { get; init; }

    /// <summary>Baseline sample size after NaN handling.</summary>
    public required int BaselineSize { get; init; }

    /// <summary>Non-finite values removed or replaced, both sides together.</summary>
    public required int NonFiniteCount { get; init; }

    /// <summary>U of the canary: R₁ − n₁(n₁+1)/2, with mid-ranks for ties.</summary>
    public double U { get; init; } = double.NaN;

    /// <summary>Normal-approximation z, tie-corrected variance, continuity correction 0.5 toward 0.</summary>
    public double Z { get; init; } = double.NaN;

    /// <summary>Two-sided p-value from the normal CDF; exactly 1 when all values are equal.</summary>
    public double PValue { get; init; } = double.NaN;

    /// <summary>Hodges-Lehmann shift: median of all canary − baseline differences.</summary>
    public double Shift { get; init; } = double.NaN;

    /// <summary>Lower end of the 98% confidence interval of the shift.</summary>
    public double ShiftLower { get; init; } = double.NaN;

    /// <summary>Upper end of the 98% confidence interval of the shift.</summary>
    public double ShiftUpper { get; init; } = double.NaN;

    /// <summary>Arithmetic mean of the canary sample (after NaN handling).</summary>
    public double CanaryMean { get; init; } = double.NaN;

    /// <summary>Arithmetic mean of the baseline sample (after NaN handling).</summary>
    public double BaselineMean { get; init; } = double.NaN;

    /// <summary>Median of the baseline sample: the "baseline estimate" the tolerance scales.</summary>
    public double BaselineMedian { get; init; } = double.NaN;
}
