namespace Tollgate.Release.Analysis;

/// <summary>
/// The mixture sequential probability ratio test's e-values (mSPRT: Robbins 1970; Johari, Pekelis &amp; Walsh 2017;
/// Lindon, Sanden &amp; Shirikian, KDD 2022), in log form so they neither overflow nor underflow.
/// <para><b>Model.</b> An estimate d̂ of an effect d (a difference of means, or a margin contrast) with plug-in
/// variance V (s_c²/n_c + s_b²/n_b for the difference). In information time I = 1/V the score d̂/V behaves as a Brownian motion with
/// drift d (exactly so for Gaussian samples of known variance; asymptotically by the CLT, Waudby-Smith et al. 2021).
/// For a fixed alternative effect u ≠ 0 the likelihood ratio against d = 0 is
/// L(u) = exp(u·d̂/V − u²/(2V)), a non-negative martingale under d = 0.</para>
/// <para><b>Two-sided</b> (<see cref="LogTwoSided"/>): mixing L(u) over u ~ N(0, τ²) gives
/// Λ = √(V/(V+τ²))·exp(d̂²τ²/(2V(V+τ²))) = √(V/(V+τ²))·exp(x²/2), with x = d̂·τ/√(V(V+τ²)). A mixture of martingales
/// is a martingale, so by Ville's inequality P(∃ look: Λ ≥ 1/α | d = 0) ≤ α however often one looks.</para>
/// <para><b>One-sided</b> (<see cref="LogOneSided"/>, alternative d &gt; 0): the half-normal mixture, i.e. the
/// N(0, τ²) mixture restricted to u &gt; 0 and renormalized by 2. Completing the square,
/// Λ⁺ = 2·Φ(x)·Λ. It is valid for the whole composite null d ≤ 0, not just d = 0: writing the score as
/// S = d̂/V = d·I + W(I), L(u) = exp(u·S − u²I/2) = exp(u(S − d·I) − u²I/2)·exp(u·d·I), a mean-one martingale
/// under effect d times a factor that, for u &gt; 0 and d ≤ 0, is ≤ 1 and non-increasing in I. So each L(u) with
/// u &gt; 0 is a supermartingale under every d ≤ 0, and so is their mixture (Fubini); Ville's inequality then
/// bounds P(∃ look: Λ⁺ ≥ 1/α) ≤ α. The two one-sided mixtures average to the two-sided one ((Λ⁺ + Λ⁻)/2 = Λ, as
/// Φ(x) + Φ(−x) = 1), so a one-sided test gains at most a factor 2 in evidence over the two-sided test in its
/// direction, and has almost none (Λ⁺ → 0) when the estimate points the other way.</para>
/// <para><b>Zero variance</b> (V = 0: each side constant). The normal approximation has no scale there, so the
/// mixtures are not used (they require V &gt; 0) and <see cref="SequentialState"/> applies <see cref="LogZeroSpread"/>
/// instead.</para>
/// </summary>
internal static class SequentialMixture
{
    private const double Ln2 = 0.69314718055994530942;
    private const double Ln4 = 1.38629436111989061883;
    private const double HalfLn2Pi = 0.91893853320467274178;

    /// <summary>Below this x, Φ(x) is taken from its asymptotic series: Φ(−20) ≈ 2.8e-89, and further out
    /// the erfc fit underflows to 0 while Λ⁺ = 2Φ(x)·e^{x²/2}·√(V/(V+τ²)) stays finite.</summary>
    private const double AsymptoticTail = -20;

    /// <summary>log Λ of the two-sided N(0, τ²) mixture for estimate <paramref name="estimate"/> of variance <paramref name="variance"/> &gt; 0.</summary>
    public static double LogTwoSided(double estimate, double variance, double tau)
    {
        var x = Standardized(estimate, variance, tau);
        return -0.5 * Math.Log(1 + tau * tau / variance) + 0.5 * x * x;
    }

    /// <summary>log Λ⁺ of the half-normal mixture whose alternative is effect &gt; 0 (variance &gt; 0).</summary>
    public static double LogOneSided(double estimate, double variance, double tau)
    {
        var x = Standardized(estimate, variance, tau);
        return Ln2 - 0.5 * Math.Log(1 + tau * tau / variance) + LogCdfPlusHalfSquare(x);
    }

    /// <summary>
    /// Half-width of the confidence sequence {d₀ : two-sided Λ(d̂ − d₀) &lt; 1/α}:
    /// (d̂ − d₀)² &lt; V(V+τ²)/τ² · (2·ln(1/α) + ln((V+τ²)/V)), for V &gt; 0.
    /// </summary>
    public static double ConfidenceRadius(double variance, double tau, double alpha) =>
        Math.Sqrt(variance * (1 + variance / (tau * tau)) * (2 * Math.Log(1 / alpha) + Math.Log(1 + tau * tau / variance)));

    /// <summary>
    /// log e for "the canary differs" when both sides are constant (V = 0) at different values, with
    /// <paramref name="perSide"/> = min(n_c, n_b) samples: (n − 1)·ln 4. This is exact, not asymptotic: if both sides
    /// come from one distribution with atoms P(a), the chance that the first n per side are all a on one side and all
    /// b ≠ a on the other is Σ_{a≠b} (P(a)P(b))ⁿ ≤ max(P(a)P(b))ⁿ⁻¹ · Σ P(a)P(b) ≤ 4^{−(n−1)}, since P(a)P(b) ≤ 1/4.
    /// Samples only accumulate, so the case at n per side implies it at every smaller n: reaching e ≥ 1/α this way
    /// has probability ≤ α on its own. (Added to the mixture's α it is negligible from ~10 per side, 4⁻⁹ ≈ 4e-6; at a
    /// minimum of 2–4 per side a two-valued metric can reach it, which the simulation's small-sample sweep shows.)
    /// Constant samples at equal values, or a difference in the good direction, are no evidence: e = 1.
    /// </summary>
    public static double LogZeroSpread(long perSide) => (perSide - 1) * Ln4;

    /// <summary>x = d̂·τ/√(V(V+τ²)), written as (d̂/√V)·(τ/√(V+τ²)) so tiny V does not underflow.</summary>
    private static double Standardized(double estimate, double variance, double tau) =>
        estimate / Math.Sqrt(variance) * (tau / Math.Sqrt(variance + tau * tau));

    /// <summary>
    /// log Φ(x) + x²/2, the part of log Λ⁺ that depends on x. For x ≥ −20 from the erfc fit (relative error
    /// &lt; 1.2e-7); below, from Φ(x) = φ(x)/|x|·(1 − 1/x² + 3/x⁴ − 15/x⁶ + …), whose truncation error is below
    /// 105/x⁸ &lt; 4e-9 there, so the x²/2 terms cancel exactly instead of as −∞ + ∞.
    /// </summary>
    internal static double LogCdfPlusHalfSquare(double x)
    {
        if (x >= AsymptoticTail) return Math.Log(NormalDistribution.Cdf(x)) + 0.5 * x * x;
        var inverseSquare = 1 / (x * x);
        return -HalfLn2Pi - Math.Log(-x) + Math.Log(1 - inverseSquare * (1 - inverseSquare * (3 - 15 * inverseSquare)));
    }
}
