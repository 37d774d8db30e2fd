namespace Tollgate.Release.Analysis;

/// <summary>Per-metric verdict (Kayenta's Pass/High/Low/Nodata, plus Inconclusive).</summary>
public enum MetricOutcome
{
    /// <summary>No bad significant change.</summary>
    Pass,

    /// <summary>Canary significantly higher, beyond the allowed increase, in a bad direction.</summary>
    High,

    /// <summary>Canary significantly lower, beyond the allowed decrease, in a bad direction.</summary>
    Low,

    /// <summary>Data exists but a side is below the minimum sample size: never a pass.</summary>
    Inconclusive,

    /// <summary>A side has no usable samples at all.</summary>
    NoData,
}

/// <summary>A metric's verdict, its reason and every value that went into it.</summary>
/// <param name="Config">The configuration judged against.</param>
/// <param name="Outcome">The verdict.</param>
/// <param name="Reason">Human-readable reason, naming the deciding values.</param>
/// <param name="Test">The Mann-Whitney result (sizes always; statistics when tested).</param>
/// <param name="MeanRatio">canary mean / baseline mean; NaN when untested; +∞/−∞ when the baseline mean is 0 and the canary's is not; 1 when both are 0.</param>
/// <param name="ToleranceBand">Tolerance·|baseline median|; NaN when untested.</param>
/// <param name="Significant">p &lt; α, the 98% CI excludes 0 and |shift| exceeds the tolerance band.</param>
public sealed record MetricClassification(
    MetricConfig Config,
    MetricOutcome Outcome,
    string Reason,
    MannWhitneyResult Test,
    double MeanRatio,
    double ToleranceBand,
    bool Significant)
{
    /// <summary>True for High or Low.</summary>
    public bool Failed => Outcome is MetricOutcome.High or MetricOutcome.Low;
}
