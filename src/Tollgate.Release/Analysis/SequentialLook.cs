using System.Text.Json.Nodes;

namespace Tollgate.Release.Analysis;

/// <summary>
/// One look of a <see cref="SequentialState"/>: its inputs (config, the state before, the samples that arrived),
/// every statistic it computed, its verdict and the state after — all an audit ledger needs to record the look and
/// a replayer needs to recompute it. <see cref="ToJson"/> is deterministic (fixed member order, invariant-culture
/// "R" doubles), so <see cref="Replay"/> of a recorded look reproduces its text byte for byte.
/// <para>Statistics a look could not compute are NaN: variances below two samples, means of an empty side, and the
/// e-values, margin and τ of an INSUFFICIENT look (whose confidence sequence is (−∞, ∞)).</para>
/// </summary>
public sealed record SequentialLook
{
    internal SequentialLook() { }

    /// <summary>The configuration judged under.</summary>
    public required SequentialTestConfig Config { get; init; }

    /// <summary>1-based number of this look.</summary>
    public required int Look { get; init; }

    /// <summary>The state before this look.</summary>
    public required SequentialState Prior { get; init; }

    /// <summary>The canary samples that arrived for this look, as given (non-finite values included).</summary>
    public required IReadOnlyList<double> CanarySamples { get; init; }

    /// <summary>The baseline samples that arrived for this look, as given.</summary>
    public required IReadOnlyList<double> BaselineSamples { get; init; }

    /// <summary>Non-finite values among <see cref="CanarySamples"/>.</summary>
    public required int CanaryNonFinite { get; init; }

    /// <summary>Non-finite values among <see cref="BaselineSamples"/>.</summary>
    public required int BaselineNonFinite { get; init; }

    /// <summary>n_c: canary samples so far, after NaN handling.</summary>
    public required long CanaryCount { get; init; }

    /// <summary>n_b: baseline samples so far, after NaN handling.</summary>
    public required long BaselineCount { get; init; }

    /// <summary>mean_c.</summary>
    public required double CanaryMean { get; init; }

    /// <summary>mean_b.</summary>
    public required double BaselineMean { get; init; }

    /// <summary>s_c², unbiased.</summary>
    public required double CanaryVariance { get; init; }

    /// <summary>s_b², unbiased.</summary>
    public required double BaselineVariance { get; init; }

    /// <summary>V = s_c²/n_c + s_b²/n_b, the plug-in variance of <see cref="Difference"/>.</summary>
    public required double Variance { get; init; }

    /// <summary>θ̂ = mean_c − mean_b.</summary>
    public required double Difference { get; init; }

    /// <summary>τ used by this look; NaN while not fixed.</summary>
    public required double MixtureScale { get; init; }

    /// <summary>log of the HARM e-value at this look.</summary>
    public required double HarmLogE { get; init; }

    /// <summary>The non-inferiority margin in the metric's unit at this look: δ·|mean_b| or δ.</summary>
    public required double SafeMargin { get; init; }

    /// <summary>log of the SAFE e-value at this look (Either: the smaller of the two sides').</summary>
    public required double SafeLogE { get; init; }

    /// <summary>Lower end of the (1 − α) confidence sequence for θ at this look.</summary>
    public required double ConfidenceLower { get; init; }

    /// <summary>Upper end of the (1 − α) confidence sequence for θ at this look.</summary>
    public required double ConfidenceUpper { get; init; }

    /// <summary>The verdict after this look (final once stopped).</summary>
    public required SequentialVerdict Verdict { get; init; }

    /// <summary>Why, naming the deciding values.</summary>
    public required string Reason { get; init; }

    /// <summary>The state after this look: the next look's <see cref="Prior"/>.</summary>
    public required SequentialState After { get; init; }

    /// <summary>The HARM e-value at this look.</summary>
    public double HarmEValue => Math.Exp(HarmLogE);

    /// <summary>The SAFE e-value at this look.</summary>
    public double SafeEValue => Math.Exp(SafeLogE);

    /// <summary>The record as JSON: deterministic member order, doubles as invariant "R" strings.</summary>
    public JsonObject ToJson() => new()
    {
        ["record"] = "sequential_look",
        ["version"] = 1,
        ["config"] = Config.ToJson(),
        ["look"] = Look,
        ["prior"] = Prior.ToJson(),
        ["canary_samples"] = SequentialJson.Numbers(CanarySamples),
        ["baseline_samples"] = SequentialJson.Numbers(BaselineSamples),
        ["canary_non_finite"] = CanaryNonFinite,
        ["baseline_non_finite"] = BaselineNonFinite,
        ["statistics"] = new JsonObject
        {
            ["canary_count"] = CanaryCount,
            ["baseline_count"] = BaselineCount,
            ["canary_mean"] = SequentialJson.Number(CanaryMean),
            ["baseline_mean"] = SequentialJson.Number(BaselineMean),
            ["canary_variance"] = SequentialJson.Number(CanaryVariance),
            ["baseline_variance"] = SequentialJson.Number(BaselineVariance),
            ["variance"] = SequentialJson.Number(Variance),
            ["difference"] = SequentialJson.Number(Difference),
            ["mixture_scale"] = SequentialJson.Number(MixtureScale),
            ["harm_log_e"] = SequentialJson.Number(HarmLogE),
            ["harm_e"] = SequentialJson.Number(HarmEValue),
            ["harm_max_e"] = SequentialJson.Number(Math.Exp(After.HarmMaxLogE)),
            ["harm_threshold"] = SequentialJson.Number(1 / Config.Alpha),
            ["safe_margin"] = SequentialJson.Number(SafeMargin),
            ["safe_log_e"] = SequentialJson.Number(SafeLogE),
            ["safe_e"] = SequentialJson.Number(SafeEValue),
            ["safe_max_e"] = SequentialJson.Number(Math.Exp(After.SafeMaxLogE)),
            ["safe_threshold"] = SequentialJson.Number(1 / Config.Beta),
            ["confidence_lower"] = SequentialJson.Number(ConfidenceLower),
            ["confidence_upper"] = SequentialJson.Number(ConfidenceUpper),
        },
        ["verdict"] = VerdictText(Verdict),
        ["stopped_at_look"] = After.StoppedAtLook,
        ["reason"] = Reason,
        ["after"] = After.ToJson(),
    };

    /// <summary><see cref="ToJson"/> as compact text.</summary>
    public string ToJsonText() => ToJson().ToJsonString();

    /// <summary>
    /// Recomputes a recorded look from its inputs alone (config, prior state, samples); the caller compares the
    /// result's <see cref="ToJsonText"/> with the recorded text.
    /// </summary>
    public static SequentialLook Replay(JsonObject recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (SequentialJson.Text(recorded, "record") != "sequential_look") throw new FormatException("not a sequential_look record");
        var config = SequentialTestConfig.FromJson(SequentialJson.Object(recorded, "config"));
        var prior = SequentialState.FromJson(config, SequentialJson.Object(recorded, "prior"));
        return prior.Look(SequentialJson.ReadNumbers(recorded, "canary_samples"), SequentialJson.ReadNumbers(recorded, "baseline_samples"));
    }

    internal static string VerdictText(SequentialVerdict verdict) => verdict.ToString().ToUpperInvariant();

    internal static SequentialVerdict ParseVerdict(string text) =>
        Enum.GetValues<SequentialVerdict>().Where(v => VerdictText(v) == text).Select(v => (SequentialVerdict?)v).FirstOrDefault()
        ?? throw new FormatException($"unknown sequential verdict '{text}'");
}
