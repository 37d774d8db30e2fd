using System.Text.Json.Nodes;

namespace Tollgate.Release.Analysis;

/// <summary>How <see cref="SequentialTestConfig.Margin"/> is read.</summary>
public enum SequentialMarginKind
{
    /// <summary>The margin is δ·|baseline mean|: 0.1 tolerates a canary 10% worse than the baseline.</summary>
    Relative,

    /// <summary>The margin is δ in the metric's own unit (e.g. 5 ms).</summary>
    Absolute,
}

/// <summary>
/// One metric's configuration for the anytime-valid sequential test (<see cref="SequentialState"/>).
/// </summary>
/// <param name="Name">Metric name, carried into every look and its reason text.</param>
/// <param name="Direction">Which change is bad. Increase/Decrease make both tests one-sided; Either makes HARM
/// two-sided and SAFE an equivalence test (within the margin on both sides).</param>
/// <param name="Alpha">Level of the HARM test: P(ever declaring HARM | canary not worse) ≤ α. The confidence
/// sequence has coverage 1 − α at every look at once.</param>
/// <param name="Beta">Level of the SAFE test: P(ever declaring SAFE | canary worse by the margin or more) ≤ β.</param>
/// <param name="Margin">δ ≥ 0: how much worse the canary may be and still be promoted (non-inferiority).
/// 0 makes SAFE require evidence that the canary is better.</param>
/// <param name="MarginKind">Whether <paramref name="Margin"/> is relative to |baseline mean| or absolute.</param>
/// <param name="MixtureScale">τ, the standard deviation of the normal mixture over the effect, in the metric's
/// unit; null to choose it from the data (<paramref name="MixtureScaleRelative"/>).</param>
/// <param name="MixtureScaleRelative">When <paramref name="MixtureScale"/> is null, τ = this × the within-group
/// pooled standard deviation of both sides, fixed at the first look with at least
/// <paramref name="MinimumSamplePerSide"/> per side and non-zero variance, and never changed afterwards (recorded
/// in the state). Under the null both sides share one distribution, so this estimates the baseline's scale from
/// both samples. The mixture is most powerful for effects near τ at the sample sizes where τ² ≈ 10·V: 0.25·σ
/// suits effects of 0.1–0.5 σ seen over a few hundred samples per side.</param>
/// <param name="MinimumSamplePerSide">No decision (INSUFFICIENT) until both sides have this many samples after NaN
/// handling (≥ 2: a variance needs two). The normal approximation behind the test needs enough samples; the
/// simulation (<c>SequentialSimulation</c>) measures how many for skewed and Bernoulli metrics.</param>
/// <param name="NanStrategy">What happens to NaN/∞ samples (<see cref="Analysis.NanStrategy"/>).</param>
public sealed record SequentialTestConfig(
    string Name,
    ChangeDirection Direction,
    double Alpha = 0.02,
    double Beta = 0.05,
    double Margin = 0.1,
    SequentialMarginKind MarginKind = SequentialMarginKind.Relative,
    double? MixtureScale = null,
    double MixtureScaleRelative = 0.25,
    int MinimumSamplePerSide = 30,
    NanStrategy NanStrategy = NanStrategy.Remove)
{
    /// <summary>Throws <see cref="ArgumentException"/> (or its <see cref="ArgumentOutOfRangeException"/>) naming the bad value.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("sequential test: metric name is required", nameof(Name));
        if (!Enum.IsDefined(Direction)) throw new ArgumentOutOfRangeException(nameof(Direction), Direction, $"metric {Name}: unknown direction");
        if (!(Alpha > 0 && Alpha < 1)) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, $"metric {Name}: alpha must be in (0, 1)");
        if (!(Beta > 0 && Beta < 1)) throw new ArgumentOutOfRangeException(nameof(Beta), Beta, $"metric {Name}: beta must be in (0, 1)");
        if (!(Margin >= 0) || double.IsInfinity(Margin)) throw new ArgumentOutOfRangeException(nameof(Margin), Margin, $"metric {Name}: margin must be finite and ≥ 0");
        if (!Enum.IsDefined(MarginKind)) throw new ArgumentOutOfRangeException(nameof(MarginKind), MarginKind, $"metric {Name}: unknown margin kind");
        if (MixtureScale is { } tau && !(tau > 0 && double.IsFinite(tau)))
            throw new ArgumentOutOfRangeException(nameof(MixtureScale), tau, $"metric {Name}: mixture scale τ must be finite and > 0 (or null to choose it from the data)");
        if (!(MixtureScaleRelative > 0) || double.IsInfinity(MixtureScaleRelative))
            throw new ArgumentOutOfRangeException(nameof(MixtureScaleRelative), MixtureScaleRelative, $"metric {Name}: relative mixture scale must be finite and > 0");
        if (MinimumSamplePerSide < 2)
            throw new ArgumentOutOfRangeException(nameof(MinimumSamplePerSide), MinimumSamplePerSide, $"metric {Name}: minimum sample per side must be ≥ 2 (a variance needs two samples)");
        if (!Enum.IsDefined(NanStrategy)) throw new ArgumentOutOfRangeException(nameof(NanStrategy), NanStrategy, $"metric {Name}: unknown NaN strategy");
    }

    /// <summary>The configuration as recorded in a look (doubles as "R" strings, invariant culture).</summary>
    public JsonObject ToJson() => new()
    {
        ["metric"] = Name,
        ["direction"] = Direction.ToString(),
        ["alpha"] = SequentialJson.Number(Alpha),
        ["beta"] = SequentialJson.Number(Beta),
        ["margin"] = SequentialJson.Number(Margin),
        ["margin_kind"] = MarginKind.ToString(),
        ["mixture_scale"] = MixtureScale is { } tau ? SequentialJson.Number(tau) : null,
        ["mixture_scale_relative"] = SequentialJson.Number(MixtureScaleRelative),
        ["minimum_sample_per_side"] = MinimumSamplePerSide,
        ["nan_strategy"] = NanStrategy.ToString(),
    };

    /// <summary>Reads <see cref="ToJson"/>'s form back and validates it.</summary>
    public static SequentialTestConfig FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var config = new SequentialTestConfig(
            SequentialJson.Text(json, "metric"),
            SequentialJson.Enum<ChangeDirection>(json, "direction"),
            SequentialJson.ReadNumber(json, "alpha"),
            SequentialJson.ReadNumber(json, "beta"),
            SequentialJson.ReadNumber(json, "margin"),
            SequentialJson.Enum<SequentialMarginKind>(json, "margin_kind"),
            json["mixture_scale"] is null ? null : SequentialJson.ReadNumber(json, "mixture_scale"),
            SequentialJson.ReadNumber(json, "mixture_scale_relative"),
            checked((int)SequentialJson.Integer(json, "minimum_sample_per_side")),
            SequentialJson.Enum<NanStrategy>(json, "nan_strategy"));
        config.Validate();
        return config;
    }
}
