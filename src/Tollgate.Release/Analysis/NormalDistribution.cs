namespace Tollgate.Release.Analysis;

/// <summary>
/// The standard normal CDF, implemented here rather than taken from a package.
/// <para>
/// erfc uses the Chebyshev fit of Numerical Recipes (2nd ed., §6.2, <c>erfcc</c>), whose
/// fractional error is below 1.2e-7 everywhere. That is ample for a p-value compared against
/// a 0.02 significance level; callers must not rely on more than ~7 significant digits.
/// </para>
/// </summary>
internal static class NormalDistribution
{
    /// <summary>z such that P(Z ≤ z) = 0.99: the two-sided 98% quantile.</summary>
    public const double Z99 = 2.3263478740408408;

    /// <summary>Complementary error function, fractional error &lt; 1.2e-7.</summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + 0.5 * z);
        var ans = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
            t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2.0 - ans;
    }

    /// <summary>Φ(z) = P(Z ≤ z) = erfc(−z/√2)/2.</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2.0));

    /// <summary>Two-sided p-value 2·P(Z ≥ |z|) = erfc(|z|/√2), capped at 1.</summary>
    public static double TwoSidedP(double z) => Math.Min(1.0, Erfc(Math.Abs(z) / Math.Sqrt(2.0)));
}
