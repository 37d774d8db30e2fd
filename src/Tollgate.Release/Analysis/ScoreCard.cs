using System.Globalization;

namespace Tollgate.Release.Analysis;

/// <summary>The verdict of a whole score card.</summary>
public enum CardOutcome
{
    /// <summary>score ≥ pass threshold (score == pass threshold is PASS).</summary>
    Pass,

    /// <summary>marginal threshold ≤ score &lt; pass threshold (score == marginal threshold is MARGINAL).</summary>
    Marginal,

    /// <summary>score &lt; marginal threshold, or any critical metric High/Low.</summary>
    Fail,

    /// <summary>Not enough evidence to score; never a pass.</summary>
    Inconclusive,
}

/// <summary>Pass and marginal thresholds, percentages in [0, 100], marginal ≤ pass.</summary>
public sealed record ScoreThresholds(decimal Pass, decimal Marginal)
{
    /// <summary>Throws if the thresholds are out of range or inverted.</summary>
    public void Validate()
    {
        if (Pass is < 0m or > 100m) throw new ArgumentOutOfRangeException(nameof(Pass), Pass, "pass threshold must be in [0, 100]");
        if (Marginal is < 0m or > 100m) throw new ArgumentOutOfRangeException(nameof(Marginal), Marginal, "marginal threshold must be in [0, 100]");
        if (Marginal > Pass) throw new ArgumentException($"marginal threshold {Marginal} exceeds pass threshold {Pass}");
    }
}

/// <summary>The card: its outcome, the reason, the score (null when nothing was scorable) and every metric.</summary>
public sealed record ScoreCardResult(
    CardOutcome Outcome,
    string Reason,
    decimal? Score,
    decimal PassingWeight,
    decimal ScoredWeight,
    ScoreThresholds Thresholds,
    IReadOnlyList<MetricClassification> Metrics);

/// <summary>
/// Weighted score over metric classifications. Decimal arithmetic so threshold boundaries are exact.
/// <list type="number">
/// <item>Score = 100 · Σweight(Pass) / Σweight(Pass, High, Low). NoData and Inconclusive metrics are not
/// in the denominator.</item>
/// <item>Any critical metric High/Low → FAIL, regardless of score or anything else.</item>
/// <item>Otherwise any Inconclusive metric, any critical NoData metric, or a scored weight of 0 → INCONCLUSIVE.</item>
/// <item>Otherwise score ≥ pass → PASS; marginal ≤ score &lt; pass → MARGINAL; score &lt; marginal → FAIL.
/// Both boundaries belong to the better band: score == pass is PASS, score == marginal is MARGINAL.</item>
/// </list>
/// A non-critical NoData metric is left out of the score (Kayenta excludes Nodata from the group score).
/// </summary>
public static class ScoreCard
{
    /// <summary>Scores <paramref name="metrics"/> against <paramref name="thresholds"/>.</summary>
    public static ScoreCardResult Evaluate(IReadOnlyList<MetricClassification> metrics, ScoreThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(thresholds);
        thresholds.Validate();

        decimal passing = 0m, scored = 0m;
        foreach (var m in metrics)
        {
            ArgumentNullException.ThrowIfNull(m);
            if (m.Outcome == MetricOutcome.Pass) passing += m.Config.Weight;
            if (m.Outcome is MetricOutcome.Pass or MetricOutcome.High or MetricOutcome.Low) scored += m.Config.Weight;
        }

        decimal? score = scored > 0m ? 100m * passing / scored : null;
        var scoreText = score is { } s ? s.ToString(CultureInfo.InvariantCulture) : "none";

        ScoreCardResult Result(CardOutcome outcome, string reason) =>
            new(outcome, $"{reason} (score {scoreText}, pass {thresholds.Pass.ToString(CultureInfo.InvariantCulture)}, marginal {thresholds.Marginal.ToString(CultureInfo.InvariantCulture)})",
                score, passing, scored, thresholds, metrics);

        var criticalFailures = metrics.Where(m => m.Config.Critical && m.Failed).Select(m => m.Config.Name).ToList();
        if (criticalFailures.Count > 0)
            return Result(CardOutcome.Fail, $"critical metric failed: {string.Join(", ", criticalFailures)}");

        var inconclusive = metrics.Where(m => m.Outcome == MetricOutcome.Inconclusive).Select(m => m.Config.Name).ToList();
        if (inconclusive.Count > 0)
            return Result(CardOutcome.Inconclusive, $"inconclusive metric: {string.Join(", ", inconclusive)}");

        var criticalNoData = metrics.Where(m => m.Config.Critical && m.Outcome == MetricOutcome.NoData).Select(m => m.Config.Name).ToList();
        if (criticalNoData.Count > 0)
            return Result(CardOutcome.Inconclusive, $"critical metric has no data: {string.Join(", ", criticalNoData)}");

        if (score is not { } value)
            return Result(CardOutcome.Inconclusive, "no scorable metric weight");

        if (value >= thresholds.Pass) return Result(CardOutcome.Pass, "score at or above pass threshold");
        if (value >= thresholds.Marginal) return Result(CardOutcome.Marginal, "score at or above marginal threshold, below pass");
        return Result(CardOutcome.Fail, "score below marginal threshold");
    }
}
