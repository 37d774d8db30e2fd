using Tollgate.Release.Analysis;

namespace Tollgate.Release.Tests;

public sealed class MannWhitneyTests
{
    // The erfc fit is good to ~1.2e-7 relative; assert p-values to 1e-6.
    private const double PTol = 1e-6;
    private const double Tol = 1e-9;

    [Fact]
    public void Separated_samples_match_hand_computation()
    {
        // canary {1,2,3}, baseline {4,5,6}: pooled ranks 1..6, canary ranks 1,2,3 → R1 = 6.
        // U = R1 − n1(n1+1)/2 = 6 − 6 = 0. mean = n1·n2/2 = 4.5.
        // No ties: σ² = n1·n2/12·(N+1) = 9/12·7 = 5.25, σ = 2.2912878.
        // z = (0 − 4.5 + 0.5)/σ = −4/2.2912878 = −1.7457431.
        // p = 2·Φ(−1.7457431) = erfc(1.7457431/√2) = 0.0808556 (R: wilcox.test(exact=FALSE) 0.08086).
        var r = MannWhitney.Compare([1, 2, 3], [4, 5, 6]);

        Assert.True(r.Tested);
        Assert.Null(r.NoTestReason);
        Assert.Equal(3, r.CanarySize);
        Assert.Equal(3, r.BaselineSize);
        Assert.Equal(0, r.U, Tol);
        Assert.Equal(-1.7457431218879391, r.Z, Tol);
        Assert.Equal(0.0808555983700523, r.PValue, PTol);
        // Differences c−b: 1−4..3−6 = {−3,−4,−5,−2,−3,−4,−1,−2,−3} sorted
        // {−5,−4,−4,−3,−3,−3,−2,−2,−1}; median (5th) = −3.
        Assert.Equal(-3, r.Shift, Tol);
        // m = 9, k = round(4.5 − 2.3263·√(9·7/12)) = round(−0.83) → clamped to 1: [D(1), D(9)].
        Assert.Equal(-5, r.ShiftLower, Tol);
        Assert.Equal(-1, r.ShiftUpper, Tol);
    }

    [Fact]
    public void Ties_use_mid_ranks_and_tie_corrected_variance()
    {
        // canary {1,2,2,3}, baseline {2,3,4}; pooled sorted 1c 2c 2c 2b 3c 3b 4b.
        // Ranks: 1 → 1; the three 2s share (2+3+4)/3 = 3; the two 3s share (5+6)/2 = 5.5; 4 → 7.
        // Canary ranks 1,3,3,5.5 → R1 = 12.5; U = 12.5 − 4·5/2 = 2.5; mean = 4·3/2 = 6.
        // Tie term Σ(t³−t) = (27−3) + (8−2) = 30; N = 7, N(N−1) = 42.
        // σ² = 12/12·(8 − 30/42) = 7.2857143, σ = 2.6992062.
        // z = (2.5 − 6 + 0.5)/σ = −3/2.6992062 = −1.1114379; p = erfc(1.1114379/√2) = 0.2663799.
        var r = MannWhitney.Compare([1, 2, 2, 3], [2, 3, 4]);

        Assert.Equal(2.5, r.U, Tol);
        Assert.Equal(-1.1114378604524227, r.Z, Tol);
        Assert.Equal(0.2663799233424826, r.PValue, PTol);
        // Differences: 1−{2,3,4} = −1,−2,−3; 2−{..} twice = 0,−1,−2; 3−{..} = 1,0,−1.
        // Sorted (12): −3 −2 −2 −2 −1 −1 −1 −1 0 0 0 1; median = (D6 + D7)/2 = −1.
        Assert.Equal(-1, r.Shift, Tol);
    }

    [Fact]
    public void All_values_equal_gives_p_one_and_zero_shift()
    {
        // Every rank is (1+…+6)/6 = 3.5; U = 3·3.5 − 6 = 4.5 = mean; tie term 6³−6 = 210 = N(N−1)(N+1),
        // so σ² = 0: no spread to test. Result: z = 0, p = 1, every difference 0.
        var r = MannWhitney.Compare([7, 7, 7], [7, 7, 7]);

        Assert.True(r.Tested);
        Assert.Equal(4.5, r.U, Tol);
        Assert.Equal(0, r.Z);
        Assert.Equal(1, r.PValue);
        Assert.Equal(0, r.Shift);
        Assert.Equal(0, r.ShiftLower);
        Assert.Equal(0, r.ShiftUpper);
    }

    [Fact]
    public void One_distinct_value_per_side()
    {
        // canary {5,5}, baseline {3,3,3}: baseline ranks 2 (mid of 1..3), canary ranks 4.5 (mid of 4,5).
        // R1 = 9, U = 9 − 3 = 6 = n1·n2 (complete separation); mean = 3.
        // Tie term (27−3) + (8−2) = 30; N = 5, N(N−1) = 20; σ² = 6/12·(6 − 1.5) = 2.25, σ = 1.5.
        // z = (6 − 3 − 0.5)/1.5 = 1.6666667; p = erfc(1.6666667/√2) = 0.0955807.
        var r = MannWhitney.Compare([5, 5], [3, 3, 3]);

        Assert.Equal(6, r.U, Tol);
        Assert.Equal(2.5 / 1.5, r.Z, Tol);
        Assert.Equal(0.09558070454562939, r.PValue, PTol);
        Assert.Equal(2, r.Shift, Tol);
        Assert.Equal(2, r.ShiftLower, Tol);
        Assert.Equal(2, r.ShiftUpper, Tol);
    }

    [Theory]
    [InlineData(true, false, "canary is empty")]
    [InlineData(false, true, "baseline is empty")]
    [InlineData(true, true, "canary and baseline are empty")]
    public void Empty_sample_is_not_tested(bool canaryEmpty, bool baselineEmpty, string reason)
    {
        double[] some = [1, 2, 3];
        var r = MannWhitney.Compare(canaryEmpty ? [] : some, baselineEmpty ? [] : some);

        Assert.False(r.Tested);
        Assert.Contains(reason, r.NoTestReason);
        Assert.True(double.IsNaN(r.U));
        Assert.True(double.IsNaN(r.PValue));
        Assert.True(double.IsNaN(r.Shift));
    }

    [Fact]
    public void Nan_remove_drops_non_finite_values()
    {
        var r = MannWhitney.Compare([1, double.NaN, 2, 3], [4, 5, double.PositiveInfinity, 6], NanStrategy.Remove);
        var clean = MannWhitney.Compare([1, 2, 3], [4, 5, 6]);

        Assert.Equal(2, r.NonFiniteCount);
        Assert.Equal(3, r.CanarySize);
        Assert.Equal(3, r.BaselineSize);
        Assert.Equal(clean.U, r.U);
        Assert.Equal(clean.PValue, r.PValue);
        Assert.Equal(clean.Shift, r.Shift);
    }

    [Fact]
    public void Nan_replace_with_zero_keeps_the_sample_as_zero()
    {
        // canary {NaN→0, 2}, baseline {1, 3} → pooled 0c 1b 2c 3b, canary ranks 1,3 → R1 = 4, U = 4 − 3 = 1.
        var r = MannWhitney.Compare([double.NaN, 2], [1, 3], NanStrategy.ReplaceWithZero);
        var explicitZero = MannWhitney.Compare([0, 2], [1, 3]);

        Assert.Equal(1, r.NonFiniteCount);
        Assert.Equal(2, r.CanarySize);
        Assert.Equal(1, r.U, Tol);
        Assert.Equal(explicitZero.PValue, r.PValue);
        Assert.Equal(explicitZero.Shift, r.Shift);
        Assert.Equal(1, r.CanaryMean, Tol); // (0 + 2)/2
    }

    [Fact]
    public void Only_nan_on_a_side_with_remove_is_not_tested()
    {
        var r = MannWhitney.Compare([double.NaN, double.NaN], [1, 2]);

        Assert.False(r.Tested);
        Assert.Equal(0, r.CanarySize);
        Assert.Equal(2, r.NonFiniteCount);
    }

    [Fact]
    public void Hodges_lehmann_on_tiny_case()
    {
        // canary {3,5}, baseline {1,2}: differences 3−1=2, 3−2=1, 5−1=4, 5−2=3 → sorted {1,2,3,4}.
        // HL = (2+3)/2 = 2.5. k = round(2 − 2.3263·√(4·5/12)) = round(−1.00) → clamped 1 → [D1, D4] = [1, 4].
        var r = MannWhitney.Compare([3, 5], [1, 2]);

        Assert.Equal(2.5, r.Shift, Tol);
        Assert.Equal(1, r.ShiftLower, Tol);
        Assert.Equal(4, r.ShiftUpper, Tol);
    }

    [Fact]
    public void Hodges_lehmann_confidence_interval_uses_normal_approximation_ranks()
    {
        // baseline {1..10}, canary {1.5..10.5}: differences (i − j) + 0.5 for i, j in 1..10.
        // The value d + 0.5 occurs 10 − |d| times, d = −9..9. Median (D50, D51 both at d = 0) → 0.5.
        // k = round(50 − 2.3263479·√(100·21/12)) = round(50 − 30.7747) = round(19.2253) = 19.
        // Cumulative counts from below: d=−9:1, −8:3, −7:6, −6:10, −5:15, −4:21 → D19 is d = −4 → −3.5.
        // By symmetry D(100+1−19) = D82 is d = +4 → 4.5.
        var baseline = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();
        var canary = baseline.Select(v => v + 0.5).ToArray();
        var r = MannWhitney.Compare(canary, baseline);

        Assert.Equal(0.5, r.Shift, Tol);
        Assert.Equal(-3.5, r.ShiftLower, Tol);
        Assert.Equal(4.5, r.ShiftUpper, Tol);
    }

    [Fact]
    public void Larger_separated_samples_are_significant()
    {
        // baseline {10..19}, canary {30..39}: U = 100 = n1·n2, mean 50, σ² = 100/12·21 = 175.
        // z = (100 − 50 − 0.5)/√175 = 3.7418483; p = erfc(3.7418483/√2) = 1.8267e-4.
        var r = MannWhitney.Compare(Range(30, 10), Range(10, 10));

        Assert.Equal(100, r.U, Tol);
        Assert.Equal(3.7418482827913495, r.Z, Tol);
        Assert.Equal(0.0001826717911095504, r.PValue, 1e-9);
        Assert.Equal(20, r.Shift, Tol);
        Assert.Equal(14.5, r.BaselineMedian, Tol);
    }

    [Fact]
    public void Compare_is_antisymmetric_in_shift_and_z()
    {
        double[] a = [1, 4, 4, 9, 12], b = [2, 3, 4, 8];
        var ab = MannWhitney.Compare(a, b);
        var ba = MannWhitney.Compare(b, a);

        Assert.Equal(ab.PValue, ba.PValue, 1e-12);
        Assert.Equal(-ab.Z, ba.Z, 1e-12);
        Assert.Equal(-ab.Shift, ba.Shift, 1e-12);
        Assert.Equal(ab.U + ba.U, a.Length * b.Length, 1e-12);
    }

    [Fact]
    public void Normal_cdf_matches_known_values()
    {
        Assert.Equal(0.5, NormalDistribution.Cdf(0), 1e-7);
        Assert.Equal(0.8413447460685429, NormalDistribution.Cdf(1), 1e-7);
        Assert.Equal(0.975002104851780, NormalDistribution.Cdf(1.96), 1e-7);
        Assert.Equal(0.99, NormalDistribution.Cdf(NormalDistribution.Z99), 1e-7);
        Assert.Equal(0.05, NormalDistribution.TwoSidedP(1.959963984540054), 1e-7);
    }

    internal static double[] Range(int start, int count) => Enumerable.Range(start, count).Select(i => (double)i).ToArray();

    /// <summary>
    /// An outside vector: ClickHouse's mannWhitneyUTest regression test (tests/queries/0_stateless/01560_mann_whitney.sql)
    /// expects U = 223 and a two-sided, continuity-corrected p of 0.5426959774289482 for these two samples of 20 (ties
    /// included), which is also what R's wilcox.test(exact = FALSE, correct = TRUE) reports.
    /// </summary>
    [Fact]
    public void An_outside_vector_two_samples_of_twenty_with_ties_give_U_223_and_p_0_5427()
    {
        double[] canary = [310, 195, 530, 155, 530, 245, 385, 450, 465, 545, 170, 180, 125, 180, 230, 75, 430, 480, 495, 295];
        double[] baseline = [116, 171, 176, 421, 111, 326, 481, 111, 346, 441, 261, 411, 206, 521, 456, 446, 296, 51, 426, 261];
        var result = MannWhitney.Compare(canary, baseline);
        Assert.Equal(223.0, result.U, Tol);
        Assert.Equal(0.5426959774289482, result.PValue, PTol);
    }
}
