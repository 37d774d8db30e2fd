using System.Globalization;
using System.Text.Json.Nodes;
using Tollgate.Release.Analysis;

namespace Tollgate.Release.Tests;

public sealed class SequentialTests
{
    // Φ comes from the erfc fit (relative error < 1.2e-7): e-values that involve Φ are asserted to 1e-6 relative.
    private const double PhiTolerance = 1e-6;

    // The worked example: canary {2, 4, 6}, baseline {1, 2, 3}, τ = 1, α = 0.05, minimum sample 3.
    //   mean_c = 4, s_c² = ((−2)² + 0 + 2²)/2 = 4;   mean_b = 2, s_b² = (1 + 0 + 1)/2 = 1
    //   V = 4/3 + 1/3 = 5/3,  θ̂ = 2,  V + τ² = 8/3,  √(V/(V+τ²)) = √(5/8) = 0.7905694150
    //   exponent θ̂²τ²/(2V(V+τ²)) = 4/(2 · 5/3 · 8/3) = 36/80 = 0.45,  e^0.45 = 1.5683121855
    //   Λ (two-sided) = 0.7905694150 · 1.5683121855 = 1.2398596471
    //   x = θ̂τ/√(V(V+τ²)) = 2/√(40/9) = 6/√40 = 0.9486832981 (x²/2 = 0.45 = the exponent)
    //   Λ⁺ = 2Φ(0.9486833)·Λ = 2 · 0.8286091444 · 1.2398596471 = 2.0547180828   (Increase is bad)
    //   Λ⁻ = 2Φ(−0.9486833)·Λ = 2 · 0.1713908556 · 1.2398596471 = 0.4250012114  (Decrease is bad)
    //   (Λ⁺ + Λ⁻)/2 = 1.2398596471 = Λ: the two half-normal mixtures average to the two-sided one.
    private static readonly double[] ExampleCanary = [2, 4, 6];
    private static readonly double[] ExampleBaseline = [1, 2, 3];

    private static SequentialTestConfig Example(ChangeDirection direction, double margin = 0.1, SequentialMarginKind kind = SequentialMarginKind.Relative) =>
        new("latency", direction, Alpha: 0.05, Beta: 0.05, Margin: margin, MarginKind: kind, MixtureScale: 1.0, MinimumSamplePerSide: 3);

    private static SequentialLook LookOnce(SequentialTestConfig config, double[] canary, double[] baseline) =>
        SequentialState.Start(config).Look(canary, baseline);

    [Fact]
    public void Worked_example_matches_the_hand_computation()
    {
        var either = LookOnce(Example(ChangeDirection.Either), ExampleCanary, ExampleBaseline);
        Assert.Equal(3, either.CanaryCount);
        Assert.Equal(4, either.CanaryMean, 1e-15);
        Assert.Equal(4, either.CanaryVariance, 1e-15);
        Assert.Equal(1, either.BaselineVariance, 1e-15);
        Assert.Equal(5.0 / 3, either.Variance, 1e-15);
        Assert.Equal(2, either.Difference, 1e-15);
        Assert.Equal(1.2398596470863523, either.HarmEValue, 1e-12);

        var increase = LookOnce(Example(ChangeDirection.Increase), ExampleCanary, ExampleBaseline);
        var decrease = LookOnce(Example(ChangeDirection.Decrease), ExampleCanary, ExampleBaseline);
        Assert.Equal(2.0547180827611995, increase.HarmEValue, 2.0547180827611995 * PhiTolerance);
        Assert.Equal(0.4250012114115053, decrease.HarmEValue, 0.4250012114115053 * PhiTolerance);
        Assert.Equal(either.HarmEValue, (increase.HarmEValue + decrease.HarmEValue) / 2, 1e-6);

        // Confidence sequence at α = 0.05: θ̂ ± √(V(V+τ²)/τ² · (2 ln(1/α) + ln((V+τ²)/V)))
        //   = 2 ± √(40/9 · (2 ln 20 + ln 1.6)) = 2 ± √(4.4444444 · (5.9914645 + 0.4700036)) = 2 ± 5.3588839.
        Assert.Equal(-3.3588838706721242, either.ConfidenceLower, 1e-12);
        Assert.Equal(7.358883870672124, either.ConfidenceUpper, 1e-12);
        Assert.Equal(SequentialVerdict.Continue, either.Verdict);
    }

    [Fact]
    public void Worked_example_safe_e_values_for_both_margin_kinds()
    {
        // Absolute margin 3, increase bad: contrast c = θ̂ − 3 = −1, variance V = 5/3;
        //   x = −c·τ/√(V(V+τ²)) = 1/√(40/9) = 0.4743416, x²/2 = 0.1125, e^0.1125 = 1.1190720
        //   Λ = 2Φ(0.4743416) · √(5/8) · 1.1190720 = 2 · 0.6823782 · 0.7905694 · 1.1190720 = 1.2073946.
        var absolute = LookOnce(Example(ChangeDirection.Increase, 3, SequentialMarginKind.Absolute), ExampleCanary, ExampleBaseline);
        Assert.Equal(1.2073946226977956, absolute.SafeEValue, 1.2073946226977956 * PhiTolerance);
        Assert.Equal(3, absolute.SafeMargin);

        // Relative margin 0.5 (mean_b = 2 > 0): k = 1.5, contrast c = mean_c − k·mean_b = 4 − 3 = 1,
        //   variance s_c²/n_c + k²·s_b²/n_b = 4/3 + 2.25/3 = 2.0833333;
        //   x = −1 · 1/√(2.0833333 · 3.0833333) = −0.3945576, x²/2 = 0.0778379
        //   Λ = 2Φ(−0.3945576) · √(2.0833333/3.0833333) · e^0.0778379 = 2 · 0.3465847 · 0.8219949 · 1.0809474 = 0.6159041.
        var relative = LookOnce(Example(ChangeDirection.Increase, 0.5), ExampleCanary, ExampleBaseline);
        Assert.Equal(0.6159040909066551, relative.SafeEValue, 0.6159040909066551 * PhiTolerance);
        Assert.Equal(1, relative.SafeMargin, 1e-15); // 0.5 · |2|

        // Either with absolute margin 3: the down side's contrast is −θ̂ − 3 = −5 (x = 2.3717, e ≈ 26), so the
        // smaller, binding e-value is the up side's 1.2073946.
        var either = LookOnce(Example(ChangeDirection.Either, 3, SequentialMarginKind.Absolute), ExampleCanary, ExampleBaseline);
        Assert.Equal(absolute.SafeEValue, either.SafeEValue, 1e-12);
    }

    [Fact]
    public void Either_is_the_average_of_the_two_one_sided_mixtures_and_decrease_mirrors_increase()
    {
        var random = new Random(7);
        var canary = Draw(random, 200, 10.3, 2);
        var baseline = Draw(random, 180, 10, 2);
        double[] negatedCanary = [.. canary.Select(v => -v)], negatedBaseline = [.. baseline.Select(v => -v)];
        var config = new SequentialTestConfig("latency", ChangeDirection.Increase, MixtureScale: 0.5);

        var up = LookOnce(config, canary, baseline);
        var down = LookOnce(config with { Direction = ChangeDirection.Decrease }, canary, baseline);
        var both = LookOnce(config with { Direction = ChangeDirection.Either }, canary, baseline);
        Assert.Equal(both.HarmEValue, (up.HarmEValue + down.HarmEValue) / 2, both.HarmEValue * PhiTolerance);

        // A decrease-is-bad metric on negated data is the same test: both e-values agree exactly.
        var mirrored = LookOnce(config with { Direction = ChangeDirection.Decrease }, negatedCanary, negatedBaseline);
        Assert.Equal(up.HarmLogE, mirrored.HarmLogE);
        Assert.Equal(up.SafeLogE, mirrored.SafeLogE);
    }

    [Fact]
    public void Incremental_looks_equal_one_recomputation_from_all_samples()
    {
        var random = new Random(11);
        int[] sizes = [40, 0, 1, 73, 250, 9];
        var canaryBatches = sizes.Select(n => Draw(random, n, 1_000_000.25, 3)).ToArray(); // large mean, small spread: Welford's case
        var baselineBatches = sizes.Select(n => Draw(random, n, 1_000_000, 3)).ToArray();
        var config = new SequentialTestConfig("latency", ChangeDirection.Increase, MixtureScale: 1.0);

        var state = SequentialState.Start(config);
        SequentialLook last = null!;
        for (var i = 0; i < sizes.Length; i++)
        {
            last = state.Look(canaryBatches[i], baselineBatches[i]);
            state = last.After;
        }

        double[] allCanary = [.. canaryBatches.SelectMany(b => b)], allBaseline = [.. baselineBatches.SelectMany(b => b)];
        var batch = LookOnce(config, allCanary, allBaseline);

        // The same values in the same order through Welford's update: the same bits.
        Assert.Equal(batch.After.Canary, state.Canary);
        Assert.Equal(batch.After.Baseline, state.Baseline);
        Assert.Equal(batch.Variance, last.Variance);
        Assert.Equal(batch.Difference, last.Difference);
        Assert.Equal(batch.HarmLogE, last.HarmLogE);
        Assert.Equal(batch.SafeLogE, last.SafeLogE);
        Assert.Equal(batch.ConfidenceLower, last.ConfidenceLower);
        Assert.Equal(batch.ConfidenceUpper, last.ConfidenceUpper);

        // And both agree with a two-pass computation.
        Assert.Equal(allCanary.Length, last.CanaryCount);
        Assert.Equal(allCanary.Average(), last.CanaryMean, 1e-12 * 1e6); // the naive sum's own rounding at 10⁶
        Assert.Equal(TwoPassVariance(allCanary), last.CanaryVariance, 1e-9 * TwoPassVariance(allCanary));
        Assert.Equal(TwoPassVariance(allBaseline), last.BaselineVariance, 1e-9 * TwoPassVariance(allBaseline));
    }

    [Fact]
    public void Default_mixture_scale_is_fixed_at_the_first_eligible_look_and_kept()
    {
        var random = new Random(3);
        var config = new SequentialTestConfig("latency", ChangeDirection.Increase, MinimumSamplePerSide: 30);
        var state = SequentialState.Start(config);
        Assert.Null(state.MixtureScale);

        var first = state.Look(Draw(random, 20, 50, 10), Draw(random, 20, 50, 10));
        Assert.Equal(SequentialVerdict.Insufficient, first.Verdict);
        Assert.Null(first.After.MixtureScale);
        Assert.True(double.IsNaN(first.MixtureScale));

        var second = first.After.Look(Draw(random, 20, 50, 10), Draw(random, 20, 50, 10));
        var pooledSd = Math.Sqrt((second.After.Canary.SumSquaredDeviations + second.After.Baseline.SumSquaredDeviations) / (40 + 40 - 2));
        Assert.Equal(0.25 * pooledSd, second.MixtureScale, 1e-15);
        Assert.Equal(second.MixtureScale, second.After.MixtureScale);

        var third = second.After.Look(Draw(random, 500, 50, 40), Draw(random, 500, 50, 40)); // a wider spread later does not move τ
        Assert.Equal(second.MixtureScale, third.MixtureScale);
    }

    [Fact]
    public void A_decision_is_final_once_reached()
    {
        var config = new SequentialTestConfig("latency", ChangeDirection.Increase, MixtureScale: 1.0, MinimumSamplePerSide: 10);
        var random = new Random(5);
        var state = SequentialState.Start(config);

        var look1 = state.Look(Draw(random, 10, 0, 1), Draw(random, 10, 0, 1));
        Assert.False(look1.After.Stopped);
        var look2 = look1.After.Look(Draw(random, 200, 3, 1), Draw(random, 200, 0, 1)); // 3σ worse: HARM
        Assert.Equal(SequentialVerdict.Harm, look2.Verdict);
        Assert.Equal(2, look2.After.StoppedAtLook);

        // Then the canary turns much better: the evidence falls, the verdict does not.
        var look3 = look2.After.Look(Draw(random, 5000, -3, 1), Draw(random, 5000, 0, 1));
        Assert.Equal(SequentialVerdict.Harm, look3.Verdict);
        Assert.Equal(2, look3.After.StoppedAtLook);
        Assert.True(look3.HarmLogE < -Math.Log(config.Alpha));
        Assert.Equal(look2.After.HarmMaxLogE, look3.After.HarmMaxLogE);
        Assert.Contains("stopped at look 2 with HARM", look3.Reason);
    }

    [Fact]
    public void Harm_wins_when_both_boundaries_are_crossed_at_the_same_look()
    {
        // Worse by ~1 with a tolerated margin of 10: evidence for both "worse" and "within the margin".
        var config = new SequentialTestConfig("latency", ChangeDirection.Increase, Margin: 10, MarginKind: SequentialMarginKind.Absolute, MixtureScale: 1.0);
        var random = new Random(9);
        var look = LookOnce(config, Draw(random, 400, 1, 0.5), Draw(random, 400, 0, 0.5));

        Assert.True(look.HarmLogE >= -Math.Log(config.Alpha));
        Assert.True(look.SafeLogE >= -Math.Log(config.Beta));
        Assert.Equal(SequentialVerdict.Harm, look.Verdict);
    }

    [Fact]
    public void A_good_canary_within_the_margin_is_declared_safe()
    {
        var config = new SequentialTestConfig("latency", ChangeDirection.Increase, Margin: 0.1); // 10% of a mean of 100
        var random = new Random(13);
        var look = LookOnce(config, Draw(random, 2000, 100, 20), Draw(random, 2000, 100, 20));

        Assert.Equal(SequentialVerdict.Safe, look.Verdict);
        Assert.Equal(1, look.After.StoppedAtLook);
        Assert.True(look.ConfidenceLower < 0 && look.ConfidenceUpper > 0);
        Assert.Contains("SAFE at look 1", look.Reason);
    }

    public static TheoryData<SequentialTestConfig, string> InvalidConfigs()
    {
        var ok = new SequentialTestConfig("latency", ChangeDirection.Increase);
        return new()
        {
            { ok with { Name = " " }, "Name" },
            { ok with { Direction = (ChangeDirection)7 }, "Direction" },
            { ok with { Alpha = 0 }, "Alpha" },
            { ok with { Alpha = 1 }, "Alpha" },
            { ok with { Alpha = double.NaN }, "Alpha" },
            { ok with { Beta = -0.1 }, "Beta" },
            { ok with { Margin = -1 }, "Margin" },
            { ok with { Margin = double.PositiveInfinity }, "Margin" },
            { ok with { MarginKind = (SequentialMarginKind)3 }, "MarginKind" },
            { ok with { MixtureScale = 0 }, "MixtureScale" },
            { ok with { MixtureScale = double.NaN }, "MixtureScale" },
            { ok with { MixtureScaleRelative = 0 }, "MixtureScaleRelative" },
            { ok with { MinimumSamplePerSide = 1 }, "MinimumSamplePerSide" },
            { ok with { NanStrategy = (NanStrategy)9 }, "NanStrategy" },
        };
    }

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Validate_names_the_bad_value(SequentialTestConfig config, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => config.Validate());
        Assert.Equal(parameter, error.ParamName);
        Assert.ThrowsAny<ArgumentException>(() => SequentialState.Start(config));
    }

    [Fact]
    public void Zero_variance_with_equal_means_is_no_evidence()
    {
        // Both sides all 0 (a 2% reject rate's commonest early sample) and an absolute margin: neither rollback nor
        // promotion evidence — the canary's true rate could be 2.2%, worse than the margin allows.
        var config = new SequentialTestConfig("reject_rate", ChangeDirection.Increase, Margin: 0.001, MarginKind: SequentialMarginKind.Absolute, MinimumSamplePerSide: 30);
        var look = LookOnce(config, Constant(0, 40), Constant(0, 40));

        Assert.Equal(SequentialVerdict.Continue, look.Verdict);
        Assert.Equal(0, look.Variance);
        Assert.Equal(0, look.HarmLogE);
        Assert.Equal(0, look.SafeLogE);
        Assert.Null(look.After.MixtureScale); // no spread to scale τ by yet
        Assert.Equal(0, look.ConfidenceLower); // 4^39 ≥ 1/α: every shift but 0 is excluded
        Assert.Equal(0, look.ConfidenceUpper);
    }

    [Fact]
    public void Zero_variance_with_different_means_uses_the_exact_zero_spread_bound()
    {
        var config = new SequentialTestConfig("error_rate", ChangeDirection.Increase, MinimumSamplePerSide: 2);

        // Every canary call fails, no baseline call does. 2 per side: e = 4^(2−1) = 4 < 1/α = 50, no decision yet.
        var two = LookOnce(config, Constant(1, 2), Constant(0, 2));
        Assert.Equal(SequentialVerdict.Continue, two.Verdict);
        Assert.Equal(Math.Log(4), two.HarmLogE, 1e-15);
        Assert.Equal(0, two.SafeLogE);
        Assert.Equal(double.NegativeInfinity, two.ConfidenceLower);

        // 3 per side: 4² = 16; 4 per side: 4³ = 64 ≥ 50 → HARM, and the confidence sequence is the point {1}.
        var three = two.After.Look([1], [0]);
        Assert.Equal(SequentialVerdict.Continue, three.Verdict);
        var four = three.After.Look([1], [0]);
        Assert.Equal(SequentialVerdict.Harm, four.Verdict);
        Assert.Equal(3 * Math.Log(4), four.HarmLogE, 1e-14);
        Assert.Equal(1, four.ConfidenceLower);
        Assert.Equal(1, four.ConfidenceUpper);

        // The difference in the good direction is no evidence either way.
        var better = LookOnce(config with { MinimumSamplePerSide = 30 }, Constant(0, 30), Constant(1, 30));
        Assert.Equal(SequentialVerdict.Continue, better.Verdict);
        Assert.Equal(0, better.HarmLogE);
        Assert.Equal(0, better.SafeLogE);
        Assert.Contains("\"harm_e\":\"1\"", better.ToJsonText());
    }

    [Fact]
    public void Non_finite_samples_follow_the_nan_strategy()
    {
        double[] canary = [1, double.NaN, 3, double.PositiveInfinity, 5];
        double[] baseline = [2, 2, double.NegativeInfinity];
        var removing = new SequentialTestConfig("latency", ChangeDirection.Increase, MinimumSamplePerSide: 2);

        var removed = LookOnce(removing, canary, baseline);
        Assert.Equal(3, removed.CanaryCount);
        Assert.Equal(2, removed.BaselineCount);
        Assert.Equal(3, removed.CanaryMean, 1e-15);
        Assert.Equal(2, removed.CanaryNonFinite);
        Assert.Equal(1, removed.BaselineNonFinite);
        Assert.Equal(3, removed.After.CanaryNonFinite + removed.After.BaselineNonFinite);

        var zeroed = LookOnce(removing with { NanStrategy = NanStrategy.ReplaceWithZero }, canary, baseline);
        Assert.Equal(5, zeroed.CanaryCount);
        Assert.Equal(3, zeroed.BaselineCount);
        Assert.Equal(9.0 / 5, zeroed.CanaryMean, 1e-15);
        Assert.Equal(4.0 / 3, zeroed.BaselineMean, 1e-15);
        Assert.Equal(2, zeroed.CanaryNonFinite);
    }

    [Fact]
    public void Empty_and_small_samples_are_insufficient_and_do_not_move_the_evidence()
    {
        var config = new SequentialTestConfig("latency", ChangeDirection.Increase, MixtureScale: 1.0, MinimumSamplePerSide: 50);
        var empty = SequentialState.Start(config).Look([], []);
        Assert.Equal(SequentialVerdict.Insufficient, empty.Verdict);
        Assert.Equal(0, empty.CanaryCount);
        Assert.True(double.IsNaN(empty.CanaryMean) && double.IsNaN(empty.Variance) && double.IsNaN(empty.HarmLogE));
        Assert.Equal(double.NegativeInfinity, empty.ConfidenceLower);
        Assert.Contains("below minimum sample 50", empty.Reason);

        // 49 per side, canary 10σ worse: still no decision, and the running maximum stays at e = 1.
        var random = new Random(17);
        var small = empty.After.Look(Draw(random, 49, 10, 1), Draw(random, 49, 0, 1));
        Assert.Equal(SequentialVerdict.Insufficient, small.Verdict);
        Assert.Equal(0, small.After.HarmMaxLogE);

        var enough = small.After.Look([10.5], [0.2]);
        Assert.Equal(SequentialVerdict.Harm, enough.Verdict);
        Assert.Equal(3, enough.After.StoppedAtLook);

        Assert.Throws<ArgumentNullException>(() => enough.After.Look(null!, []));
    }

    [Fact]
    public void Each_recorded_look_replays_byte_identically()
    {
        var config = new SequentialTestConfig("latency", ChangeDirection.Increase, MinimumSamplePerSide: 20);
        var random = new Random(19);
        var state = SequentialState.Start(config);
        var texts = new List<string>();
        for (var look = 1; look <= 6; look++)
        {
            var canary = Draw(random, 15, 100 + 4 * look, 20);
            canary[look % canary.Length] = double.NaN;
            var recorded = state.Look(canary, Draw(random, 15, 100, 20));
            state = recorded.After;

            var text = recorded.ToJsonText();
            texts.Add(text);
            var replayed = SequentialLook.Replay((JsonObject)JsonNode.Parse(text)!);
            Assert.Equal(text, replayed.ToJsonText());
        }

        Assert.Contains(texts, t => t.Contains("\"verdict\":\"INSUFFICIENT\""));
        Assert.Contains(texts, t => t.Contains("\"verdict\":\"HARM\""));
        Assert.Contains("\"NaN\"", texts[0]);
        Assert.Equal(SequentialVerdict.Harm, state.Verdict);
    }

    [Fact]
    public void Json_numbers_are_invariant_round_trip_strings()
    {
        var look = LookOnce(Example(ChangeDirection.Increase), ExampleCanary, ExampleBaseline);
        var json = look.ToJson();
        var statistics = (JsonObject)json["statistics"]!;
        var variance = statistics["variance"]!.GetValue<string>();

        Assert.Equal(look.Variance.ToString("R", CultureInfo.InvariantCulture), variance);
        Assert.StartsWith("1.66666666666666", variance);
        Assert.Equal(look.Variance, double.Parse(variance, CultureInfo.InvariantCulture));
        Assert.Equal(look.HarmLogE, double.Parse(statistics["harm_log_e"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(look.ToJsonText(), LookOnce(Example(ChangeDirection.Increase), ExampleCanary, ExampleBaseline).ToJsonText());
    }

    [Fact]
    public void A_restored_state_continues_like_the_original()
    {
        var config = new SequentialTestConfig("latency", ChangeDirection.Decrease, MinimumSamplePerSide: 10);
        var random = new Random(23);
        var first = SequentialState.Start(config).Look(Draw(random, 30, 5, 1), Draw(random, 30, 5, 1));
        Assert.False(first.After.Stopped);
        var restored = SequentialState.FromJson(config, first.After.ToJson());
        Assert.Equal(first.After.ToJson().ToJsonString(), restored.ToJson().ToJsonString());

        double[] canary = Draw(random, 30, 4.8, 1), baseline = Draw(random, 30, 5, 1);
        Assert.Equal(first.After.Look(canary, baseline).ToJsonText(), restored.Look(canary, baseline).ToJsonText());

        var tampered = first.After.ToJson();
        tampered["verdict"] = "HARM"; // HARM without a stopping look
        Assert.Throws<FormatException>(() => SequentialState.FromJson(config, tampered));
    }

    [Fact]
    public void The_far_tail_stays_finite_and_continuous()
    {
        // At the branch point the erfc fit and the asymptotic series agree to the fit's accuracy.
        var fit = SequentialMixture.LogCdfPlusHalfSquare(-20);
        var series = SequentialMixture.LogCdfPlusHalfSquare(-20.000000001);
        Assert.Equal(fit, series, 1e-6);

        // log Φ(x) + x²/2 → −½ln(2π) − ln|x| far out, where Φ itself underflows to 0.
        Assert.Equal(-0.5 * Math.Log(2 * Math.PI) - Math.Log(1e6), SequentialMixture.LogCdfPlusHalfSquare(-1e6), 1e-9);
        var against = SequentialMixture.LogOneSided(-1e4, 1e-6, 1);
        Assert.True(double.IsFinite(against) && against < 0);
    }

    private static double[] Constant(double value, int count) => Enumerable.Repeat(value, count).ToArray();

    internal static double[] Draw(Random random, int count, double mean, double sd)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
            values[i] = mean + sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return values;
    }

    private static double TwoPassVariance(double[] values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
    }
}
