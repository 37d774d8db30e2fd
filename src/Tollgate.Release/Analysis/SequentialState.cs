using System.Globalization;
using System.Text.Json.Nodes;

namespace Tollgate.Release.Analysis;

/// <summary>
/// The anytime-valid sequential test of one canary metric against its baseline: what it has seen so far (sufficient
/// statistics per side, never the samples) and what it has decided. Immutable and pure — no clock, no randomness,
/// no I/O: <see cref="Look"/> returns the next state inside a <see cref="SequentialLook"/>.
/// <para><b>The two e-processes</b>, both mixture SPRTs on the difference of means θ = μ_c − μ_b with the plug-in
/// variance V = s_c²/n_c + s_b²/n_b and mixture scale τ (<see cref="SequentialMixture"/> states the formulas and
/// why they are valid at every look):</para>
/// <list type="bullet">
/// <item><b>HARM</b> — H0: the canary is not worse (θ ≤ 0 when an increase is bad, θ ≥ 0 when a decrease is bad,
/// θ = 0 for Either). One-sided directions use the half-normal mixture toward the bad sign, Λ⁺ = 2Φ(x)·Λ, valid for
/// the whole composite null; Either uses the two-sided N(0, τ²) mixture Λ. HARM when the running maximum of the
/// e-value reaches 1/α: P(ever HARM | H0) ≤ α.</item>
/// <item><b>SAFE</b> — H0: the canary is worse by the margin m or more. The contrast tested is, with s = +1 when an
/// increase is bad and −1 when a decrease is bad, c = s·θ̂ − δ (absolute margin) or c = s·(mean_c − k·mean_b) with
/// k = 1 + s·δ·sign(mean_b) (relative margin: s·(μ_c − μ_b) ≥ δ·|μ_b| ⇔ s·(μ_c − k·μ_b) ≥ 0), of variance
/// s_c²/n_c + k²·s_b²/n_b. Testing the linear contrast rather than plugging in m̂ = δ·|mean_b| keeps the margin's own
/// sampling error in the variance, so the level holds at a margin that is itself estimated (sign(mean_b) is taken
/// from the look; relative margins are meant for metrics of one sign: latencies, rates). H0 is E[c] ≥ 0, tested
/// with the half-normal mixture toward c &lt; 0. Either requires both sides (intersection-union: SAFE needs the
/// smaller of the two e-values to reach 1/β, so P(ever SAFE | worse by ≥ m on either side) ≤ β).</item>
/// </list>
/// <para><b>Rules of a look</b>, in order: (1) new samples are cleaned by <see cref="SequentialTestConfig.NanStrategy"/>
/// and added; (2) a side below <see cref="SequentialTestConfig.MinimumSamplePerSide"/> → INSUFFICIENT (the running
/// maxima do not move: skipping looks never hurts an e-process's validity); (3) τ is fixed at the first eligible
/// look with V &gt; 0 unless configured; (4) the e-values and their running maxima; (5) a state already stopped
/// keeps its verdict; otherwise HARM if its maximum reached 1/α, else SAFE if its maximum reached 1/β, else
/// CONTINUE. When both cross at the same look HARM wins: rolling back a release that is both worse and within the
/// margin is the reversible mistake.</para>
/// <para><b>Zero variance</b> (both sides constant, V = 0), where the normal approximation has no scale. HARM uses
/// the exact bound of <see cref="SequentialMixture.LogZeroSpread"/>: constant sides at different values, the canary's
/// in the bad direction, give e = 4^(n−1) with n = min(n_c, n_b) — the reciprocal of the largest chance that one
/// distribution produces that split — so a canary whose every request fails against a baseline where none does is
/// rolled back (from 4 per side at α = 0.02), while at equal values the look is no evidence (e = 1). SAFE never takes
/// evidence from zero spread: both sides all 0 is the commonest early outcome of a rare-event rate (reject rate 2%
/// against 2.2%), and says nothing about whether the canary is within the margin. τ is not fixed until V &gt; 0. The
/// confidence sequence is {θ̂} once 4^(n−1) reaches 1/α (the same bound, for the canary being the baseline shifted by
/// any θ₀ ≠ θ̂), and (−∞, ∞) before.</para>
/// <para><b>Confidence sequence</b>: {θ₀ : two-sided Λ(θ̂ − θ₀) &lt; 1/α}, covering θ at every look at once with
/// probability ≥ 1 − α (asymptotically). It is two-sided, so a one-sided HARM can fire while it still contains 0.</para>
/// <para>The guarantees are asymptotic (CLT with plug-in variances). How far they hold on small, skewed and Bernoulli
/// samples is measured, not assumed: see <c>Simulation/SequentialSimulation</c> and the benchmark report.</para>
/// </summary>
public sealed record SequentialState
{
    private SequentialState(SequentialTestConfig config) => Config = config;

    /// <summary>The configuration every look is judged under.</summary>
    public SequentialTestConfig Config { get; }

    /// <summary>Looks taken so far.</summary>
    public int Looks { get; private init; }

    /// <summary>The canary's sufficient statistics, after NaN handling.</summary>
    public SequentialMoments Canary { get; private init; }

    /// <summary>The baseline's sufficient statistics, after NaN handling.</summary>
    public SequentialMoments Baseline { get; private init; }

    /// <summary>Non-finite canary samples seen (removed or zeroed).</summary>
    public long CanaryNonFinite { get; private init; }

    /// <summary>Non-finite baseline samples seen (removed or zeroed).</summary>
    public long BaselineNonFinite { get; private init; }

    /// <summary>τ once fixed (configured, or chosen at the first eligible look with V &gt; 0); null before.</summary>
    public double? MixtureScale { get; private init; }

    /// <summary>Running maximum of log(HARM e-value) over eligible looks; 0 (e = 1) before any.</summary>
    public double HarmMaxLogE { get; private init; }

    /// <summary>Running maximum of log(SAFE e-value) over eligible looks; 0 (e = 1) before any.</summary>
    public double SafeMaxLogE { get; private init; }

    /// <summary>The last look's verdict (INSUFFICIENT before the first look).</summary>
    public SequentialVerdict Verdict { get; private init; } = SequentialVerdict.Insufficient;

    /// <summary>The look at which HARM or SAFE was reached; null while the test runs.</summary>
    public int? StoppedAtLook { get; private init; }

    /// <summary>True once HARM or SAFE was reached: the verdict is final.</summary>
    public bool Stopped => StoppedAtLook is not null;

    /// <summary>The state before any look. Validates <paramref name="config"/>.</summary>
    public static SequentialState Start(SequentialTestConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return new SequentialState(config) { MixtureScale = config.MixtureScale };
    }

    /// <summary>
    /// Adds the samples that arrived since the last look and judges again. Costs O(new samples). The inputs are
    /// copied into the returned record, so the look can be recomputed from its record alone
    /// (<see cref="SequentialLook.Replay"/>).
    /// </summary>
    public SequentialLook Look(IReadOnlyList<double> canaryNew, IReadOnlyList<double> baselineNew)
    {
        ArgumentNullException.ThrowIfNull(canaryNew);
        ArgumentNullException.ThrowIfNull(baselineNew);
        double[] canarySamples = [.. canaryNew], baselineSamples = [.. baselineNew];
        var canary = Accumulate(Canary, canarySamples, Config.NanStrategy, out var canaryNonFinite);
        var baseline = Accumulate(Baseline, baselineSamples, Config.NanStrategy, out var baselineNonFinite);
        var look = Looks + 1;

        var variance = canary.Variance / canary.Count + baseline.Variance / baseline.Count;
        var difference = canary.MeanOrNaN - baseline.MeanOrNaN;
        var eligible = canary.Count >= Config.MinimumSamplePerSide && baseline.Count >= Config.MinimumSamplePerSide;
        var tau = MixtureScale;
        if (tau is null && eligible && variance > 0)
        {
            var pooledWithin = (canary.SumSquaredDeviations + baseline.SumSquaredDeviations) / (canary.Count + baseline.Count - 2);
            tau = Config.MixtureScaleRelative * Math.Sqrt(pooledWithin);
        }

        double harmLogE = double.NaN, safeLogE = double.NaN, margin = double.NaN;
        double lower = double.NegativeInfinity, upper = double.PositiveInfinity;
        if (eligible && variance > 0)
        {
            var t = tau!.Value; // fixed above: V > 0 at an eligible look
            harmLogE = Config.Direction switch
            {
                ChangeDirection.Increase => SequentialMixture.LogOneSided(difference, variance, t),
                ChangeDirection.Decrease => SequentialMixture.LogOneSided(-difference, variance, t),
                _ => SequentialMixture.LogTwoSided(difference, variance, t),
            };
            safeLogE = Config.Direction switch
            {
                ChangeDirection.Increase => SafeLogE(+1, canary, baseline, t),
                ChangeDirection.Decrease => SafeLogE(-1, canary, baseline, t),
                _ => Math.Min(SafeLogE(+1, canary, baseline, t), SafeLogE(-1, canary, baseline, t)),
            };
            var radius = SequentialMixture.ConfidenceRadius(variance, t, Config.Alpha);
            (lower, upper) = (difference - radius, difference + radius);
        }
        else if (eligible)
        {
            // Both sides constant: the exact zero-spread bound for HARM; never evidence for SAFE (see the type's remarks).
            var worse = Config.Direction switch
            {
                ChangeDirection.Increase => difference > 0,
                ChangeDirection.Decrease => difference < 0,
                _ => difference != 0,
            };
            var zeroSpreadLogE = SequentialMixture.LogZeroSpread(Math.Min(canary.Count, baseline.Count));
            harmLogE = worse ? zeroSpreadLogE : 0;
            safeLogE = 0;
            if (zeroSpreadLogE >= -Math.Log(Config.Alpha)) (lower, upper) = (difference, difference);
        }

        if (eligible)
            margin = Config.MarginKind == SequentialMarginKind.Relative ? Config.Margin * Math.Abs(baseline.Mean) : Config.Margin;

        var harmMax = eligible ? Math.Max(HarmMaxLogE, harmLogE) : HarmMaxLogE;
        var safeMax = eligible ? Math.Max(SafeMaxLogE, safeLogE) : SafeMaxLogE;
        var harmThreshold = -Math.Log(Config.Alpha);
        var safeThreshold = -Math.Log(Config.Beta);

        SequentialVerdict verdict;
        var stoppedAt = StoppedAtLook;
        if (Stopped) verdict = Verdict;
        else if (!eligible) verdict = SequentialVerdict.Insufficient;
        else if (harmMax >= harmThreshold) (verdict, stoppedAt) = (SequentialVerdict.Harm, look);
        else if (safeMax >= safeThreshold) (verdict, stoppedAt) = (SequentialVerdict.Safe, look);
        else verdict = SequentialVerdict.Continue;

        var after = this with
        {
            Looks = look,
            Canary = canary,
            Baseline = baseline,
            CanaryNonFinite = CanaryNonFinite + canaryNonFinite,
            BaselineNonFinite = BaselineNonFinite + baselineNonFinite,
            MixtureScale = tau,
            HarmMaxLogE = harmMax,
            SafeMaxLogE = safeMax,
            Verdict = verdict,
            StoppedAtLook = stoppedAt,
        };

        return new SequentialLook
        {
            Config = Config,
            Look = look,
            Prior = this,
            CanarySamples = canarySamples,
            BaselineSamples = baselineSamples,
            CanaryNonFinite = canaryNonFinite,
            BaselineNonFinite = baselineNonFinite,
            CanaryCount = canary.Count,
            BaselineCount = baseline.Count,
            CanaryMean = canary.MeanOrNaN,
            BaselineMean = baseline.MeanOrNaN,
            CanaryVariance = canary.Variance,
            BaselineVariance = baseline.Variance,
            Variance = variance,
            Difference = difference,
            MixtureScale = tau ?? double.NaN,
            HarmLogE = harmLogE,
            SafeMargin = margin,
            SafeLogE = safeLogE,
            ConfidenceLower = lower,
            ConfidenceUpper = upper,
            Verdict = verdict,
            Reason = Reason(after, look, eligible, harmLogE, safeLogE, margin, difference, lower, upper),
            After = after,
        };
    }

    /// <summary>log SAFE e-value for the side where <paramref name="badSign"/>·θ &gt; 0 is worse (see the type's remarks); 0 when the contrast has no variance.</summary>
    private double SafeLogE(int badSign, SequentialMoments canary, SequentialMoments baseline, double tau)
    {
        double contrast, variance;
        if (Config.MarginKind == SequentialMarginKind.Absolute)
        {
            contrast = badSign * (canary.Mean - baseline.Mean) - Config.Margin;
            variance = canary.Variance / canary.Count + baseline.Variance / baseline.Count;
        }
        else
        {
            var k = 1 + badSign * Config.Margin * Math.Sign(baseline.Mean);
            contrast = badSign * (canary.Mean - k * baseline.Mean);
            variance = canary.Variance / canary.Count + k * k * baseline.Variance / baseline.Count;
        }

        return variance > 0 ? SequentialMixture.LogOneSided(-contrast, variance, tau) : 0;
    }

    private static SequentialMoments Accumulate(SequentialMoments moments, double[] samples, NanStrategy strategy, out int nonFinite)
    {
        nonFinite = 0;
        foreach (var value in samples)
        {
            if (double.IsFinite(value))
            {
                moments = moments.Add(value);
                continue;
            }

            nonFinite++;
            if (strategy == NanStrategy.ReplaceWithZero) moments = moments.Add(0.0);
        }

        return moments;
    }

    private string Reason(SequentialState after, int look, bool eligible, double harmLogE, double safeLogE, double margin,
        double difference, double lower, double upper)
    {
        var c = CultureInfo.InvariantCulture;
        if (Stopped)
            return string.Create(c, $"{Config.Name}: stopped at look {StoppedAtLook} with {SequentialLook.VerdictText(Verdict)}; the verdict is final");
        if (!eligible)
            return string.Create(c, $"{Config.Name}: below minimum sample {Config.MinimumSamplePerSide} per side (canary {after.Canary.Count}, baseline {after.Baseline.Count})");

        var evidence = string.Create(c,
            $"HARM e={Math.Exp(harmLogE):G6} (max {Math.Exp(after.HarmMaxLogE):G6}, threshold 1/alpha={1 / Config.Alpha:G6}), SAFE e={Math.Exp(safeLogE):G6} (max {Math.Exp(after.SafeMaxLogE):G6}, threshold 1/beta={1 / Config.Beta:G6}, margin {margin:G6}), theta={difference:G6}, CS=[{lower:G6}, {upper:G6}]");
        return after.Verdict switch
        {
            SequentialVerdict.Harm => string.Create(c, $"{Config.Name}: HARM at look {look}: the canary is worse ({Config.Direction} is bad); roll back; {evidence}"),
            SequentialVerdict.Safe => string.Create(c, $"{Config.Name}: SAFE at look {look}: the canary is within the margin; promotable; {evidence}"),
            _ => $"{Config.Name}: continue; {evidence}",
        };
    }

    /// <summary>The state as recorded in a look (doubles as "R" strings, invariant culture; the config is recorded beside it).</summary>
    public JsonObject ToJson() => new()
    {
        ["looks"] = Looks,
        ["canary"] = Canary.ToJson(),
        ["baseline"] = Baseline.ToJson(),
        ["canary_non_finite"] = CanaryNonFinite,
        ["baseline_non_finite"] = BaselineNonFinite,
        ["mixture_scale"] = MixtureScale is { } tau ? SequentialJson.Number(tau) : null,
        ["harm_max_log_e"] = SequentialJson.Number(HarmMaxLogE),
        ["safe_max_log_e"] = SequentialJson.Number(SafeMaxLogE),
        ["verdict"] = SequentialLook.VerdictText(Verdict),
        ["stopped_at_look"] = StoppedAtLook,
    };

    /// <summary>Reads <see cref="ToJson"/>'s form back, under <paramref name="config"/> (validated).</summary>
    public static SequentialState FromJson(SequentialTestConfig config, JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var start = Start(config);
        var state = start with
        {
            Looks = checked((int)SequentialJson.Integer(json, "looks")),
            Canary = SequentialMoments.FromJson(SequentialJson.Object(json, "canary")),
            Baseline = SequentialMoments.FromJson(SequentialJson.Object(json, "baseline")),
            CanaryNonFinite = SequentialJson.Integer(json, "canary_non_finite"),
            BaselineNonFinite = SequentialJson.Integer(json, "baseline_non_finite"),
            MixtureScale = json["mixture_scale"] is null ? null : SequentialJson.ReadNumber(json, "mixture_scale"),
            HarmMaxLogE = SequentialJson.ReadNumber(json, "harm_max_log_e"),
            SafeMaxLogE = SequentialJson.ReadNumber(json, "safe_max_log_e"),
            Verdict = SequentialLook.ParseVerdict(SequentialJson.Text(json, "verdict")),
            StoppedAtLook = json["stopped_at_look"] is null ? null : checked((int)SequentialJson.Integer(json, "stopped_at_look")),
        };
        if (state.Looks < 0 || state.Canary.Count < 0 || state.Baseline.Count < 0 || state.CanaryNonFinite < 0 || state.BaselineNonFinite < 0)
            throw new FormatException("sequential state: counts must be ≥ 0");
        if (state.Stopped != (state.Verdict is SequentialVerdict.Harm or SequentialVerdict.Safe))
            throw new FormatException("sequential state: stopped_at_look is set exactly when the verdict is HARM or SAFE");
        return state;
    }
}
