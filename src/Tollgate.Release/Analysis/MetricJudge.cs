using System.Globalization;

namespace Tollgate.Release.Analysis;

/// <summary>
/// Classifies one metric from its canary and baseline samples, in this order:
/// <list type="number">
/// <item>NaN/∞ samples are removed or zeroed (<see cref="MetricConfig.NanStrategy"/>).</item>
/// <item>Either side empty → <see cref="MetricOutcome.NoData"/>.</item>
/// <item>Either side below <see cref="MetricConfig.MinimumSampleSize"/> → <see cref="MetricOutcome.Inconclusive"/>.</item>
/// <item>Mann-Whitney. The change is significant only if p &lt; <see cref="MetricConfig.Alpha"/>, the 98% CI
/// of the shift excludes 0, and |shift| &gt; Tolerance·|baseline median| (Kayenta's tolerance). Not
/// significant → <see cref="MetricOutcome.Pass"/>.</item>
/// <item>Significant upward shift: High if the direction is Increase or Either and the mean ratio
/// canary/baseline &gt; AllowedIncrease; otherwise Pass. Downward: Low if the direction is Decrease
/// or Either and the ratio &lt; AllowedDecrease; otherwise Pass.</item>
/// </list>
/// The mean ratio assumes non-negative metrics (latencies, counts, rates). A zero baseline mean with a
/// non-zero canary mean gives ±∞ (always beyond any allowed ratio); both zero gives 1.
/// </summary>
public static class MetricJudge
{
    /// <summary>Judges <paramref name="canary"/> against <paramref name="baseline"/> under <paramref name="config"/>.</summary>
    public static MetricClassification Classify(MetricConfig config, IReadOnlyList<double> canary, IReadOnlyList<double> baseline)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();

        var test = MannWhitney.Compare(canary, baseline, config.NanStrategy);
        if (!test.Tested)
            return new(config, MetricOutcome.NoData, $"{config.Name}: {test.NoTestReason}", test, double.NaN, double.NaN, false);

        if (test.CanarySize < config.MinimumSampleSize || test.BaselineSize < config.MinimumSampleSize)
        {
            return new(config, MetricOutcome.Inconclusive,
                F($"{config.Name}: below minimum sample size {config.MinimumSampleSize} per side (canary {test.CanarySize}, baseline {test.BaselineSize})"),
                test, double.NaN, double.NaN, false);
        }

        var ratio = MeanRatio(test.CanaryMean, test.BaselineMean);
        var band = config.Tolerance * Math.Abs(test.BaselineMedian);
        var stats = F($"U={test.U}, z={test.Z:G6}, p={test.PValue:G6}, shift={test.Shift:G6} CI98=[{test.ShiftLower:G6}, {test.ShiftUpper:G6}], tolerance band={band:G6}, mean ratio={ratio:G6}");

        var pSignificant = test.PValue < MetricConfig.Alpha;
        var ciExcludesZero = test.ShiftLower > 0 || test.ShiftUpper < 0;
        var beyondTolerance = Math.Abs(test.Shift) > band;
        if (!(pSignificant && ciExcludesZero && beyondTolerance))
        {
            var why = !pSignificant ? F($"p ≥ α={MetricConfig.Alpha}")
                : !ciExcludesZero ? "98% CI contains 0"
                : "shift within tolerance band";
            return new(config, MetricOutcome.Pass, $"{config.Name}: no significant change ({why}); {stats}", test, ratio, band, false);
        }

        if (test.Shift > 0)
        {
            if (config.Direction is ChangeDirection.Increase or ChangeDirection.Either && ratio > config.AllowedIncrease)
                return new(config, MetricOutcome.High, F($"{config.Name}: significant increase, mean ratio above allowed {config.AllowedIncrease:G6}; {stats}"), test, ratio, band, true);
            var why = config.Direction == ChangeDirection.Decrease ? "increase is not the bad direction" : F($"mean ratio within allowed increase {config.AllowedIncrease:G6}");
            return new(config, MetricOutcome.Pass, $"{config.Name}: significant increase but {why}; {stats}", test, ratio, band, true);
        }

        if (config.Direction is ChangeDirection.Decrease or ChangeDirection.Either && ratio < config.AllowedDecrease)
            return new(config, MetricOutcome.Low, F($"{config.Name}: significant decrease, mean ratio below allowed {config.AllowedDecrease:G6}; {stats}"), test, ratio, band, true);
        var whyLow = config.Direction == ChangeDirection.Increase ? "decrease is not the bad direction" : F($"mean ratio within allowed decrease {config.AllowedDecrease:G6}");
        return new(config, MetricOutcome.Pass, $"{config.Name}: significant decrease but {whyLow}; {stats}", test, ratio, band, true);
    }

    internal static double MeanRatio(double canaryMean, double baselineMean)
    {
        if (baselineMean != 0) return canaryMean / baselineMean;
        if (canaryMean == 0) return 1.0;
        return canaryMean > 0 ? double.PositiveInfinity : double.NegativeInfinity;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
