namespace Tollgate.Release.Analysis;

/// <summary>Which change of a metric is bad for the release.</summary>
public enum ChangeDirection
{
    /// <summary>An increase is bad (latency, error rate); a decrease passes.</summary>
    Increase,

    /// <summary>A decrease is bad (throughput, fill rate); an increase passes.</summary>
    Decrease,

    /// <summary>Any significant change beyond the allowed effect size is bad.</summary>
    Either,
}

/// <summary>
/// One metric's judging configuration.
/// </summary>
/// <param name="Name">Metric name, carried into the classification.</param>
/// <param name="Direction">Which change is bad.</param>
/// <param name="AllowedIncrease">Largest tolerated mean ratio canary/baseline for an increase (≥ 1; 1.1 = 10% higher is fine).</param>
/// <param name="AllowedDecrease">Smallest tolerated mean ratio canary/baseline for a decrease (in (0, 1]; 0.9 = 10% lower is fine).</param>
/// <param name="Critical">A failing critical metric fails the whole score card.</param>
/// <param name="MinimumSampleSize">Minimum samples per side (after NaN handling); fewer → INCONCLUSIVE.</param>
/// <param name="Tolerance">A shift with |shift| ≤ Tolerance·|baseline median| is not significant (Kayenta: 0.25).</param>
/// <param name="Weight">The metric's weight in the score (≥ 0).</param>
/// <param name="NanStrategy">How NaN/∞ samples are handled.</param>
public sealed record MetricConfig(
    string Name,
    ChangeDirection Direction,
    double AllowedIncrease = 1.0,
    double AllowedDecrease = 1.0,
    bool Critical = false,
    int MinimumSampleSize = 1,
    double Tolerance = 0.25,
    decimal Weight = 1m,
    NanStrategy NanStrategy = NanStrategy.Remove)
{
    /// <summary>Significance level: 1 − 0.98, matching the 98% confidence interval.</summary>
    public const double Alpha = 0.02;

    /// <summary>Throws if the configuration is not usable.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("metric name is required", nameof(Name));
        if (!Enum.IsDefined(Direction)) throw new ArgumentOutOfRangeException(nameof(Direction), Direction, $"metric {Name}: unknown direction");
        if (!(AllowedIncrease >= 1.0) || double.IsInfinity(AllowedIncrease))
            throw new ArgumentOutOfRangeException(nameof(AllowedIncrease), AllowedIncrease, $"metric {Name}: allowed increase must be a finite ratio ≥ 1");
        if (!(AllowedDecrease > 0.0 && AllowedDecrease <= 1.0))
            throw new ArgumentOutOfRangeException(nameof(AllowedDecrease), AllowedDecrease, $"metric {Name}: allowed decrease must be a ratio in (0, 1]");
        if (MinimumSampleSize < 1)
            throw new ArgumentOutOfRangeException(nameof(MinimumSampleSize), MinimumSampleSize, $"metric {Name}: minimum sample size must be ≥ 1");
        if (!(Tolerance >= 0.0) || double.IsInfinity(Tolerance))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, $"metric {Name}: tolerance must be finite and ≥ 0");
        if (Weight < 0m) throw new ArgumentOutOfRangeException(nameof(Weight), Weight, $"metric {Name}: weight must be ≥ 0");
        if (!Enum.IsDefined(NanStrategy)) throw new ArgumentOutOfRangeException(nameof(NanStrategy), NanStrategy, $"metric {Name}: unknown NaN strategy");
    }
}
