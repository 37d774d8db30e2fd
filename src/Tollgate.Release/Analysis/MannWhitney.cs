namespace Tollgate.Release.Analysis;

/// <summary>
/// Two-sample Mann-Whitney (Wilcoxon rank-sum) comparison of a canary against its baseline,
/// as Kayenta's NetflixACAJudge runs it per metric (normal approximation, 98% confidence).
/// <para>Definitions (n₁ = canary size, n₂ = baseline size, N = n₁ + n₂):</para>
/// <list type="bullet">
/// <item>U = R₁ − n₁(n₁+1)/2, R₁ the sum of the canary's mid-ranks in the pooled sample.</item>
/// <item>σ² = n₁n₂/12 · ((N+1) − Σ(t³−t)/(N(N−1))), t the size of each tie group.</item>
/// <item>z = (U − n₁n₂/2 − 0.5·sign(U − n₁n₂/2)) / σ (R's <c>wilcox.test(correct=TRUE)</c>).</item>
/// <item>p = 2·P(Z ≥ |z|), capped at 1. σ = 0 (every value equal) gives z = 0, p = 1.</item>
/// <item>Shift = Hodges-Lehmann estimate: median of the n₁n₂ differences canaryᵢ − baselineⱼ.</item>
/// <item>98% CI: sorted differences D₍₁₎..D₍ₘ₎, m = n₁n₂; k = round(m/2 − z₀.₉₉·√(m(N+1)/12))
/// (halves round up), clamped to [1, ⌈m/2⌉]; interval [D₍ₖ₎, D₍ₘ₊₁₋ₖ₎]. The rank uses the
/// no-ties variance (Hollander &amp; Wolfe). When k is clamped to 1 (tiny samples) the interval
/// is the full range of differences and does not reach 98% coverage.</item>
/// </list>
/// </summary>
public static class MannWhitney
{
    /// <summary>Compares <paramref name="canary"/> with <paramref name="baseline"/>.</summary>
    public static MannWhitneyResult Compare(
        IReadOnlyList<double> canary,
        IReadOnlyList<double> baseline,
        NanStrategy nanStrategy = NanStrategy.Remove)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(baseline);

        var x = Clean(canary, nanStrategy, out var nonFiniteX);
        var y = Clean(baseline, nanStrategy, out var nonFiniteY);
        var nonFinite = nonFiniteX + nonFiniteY;

        if (x.Length == 0 || y.Length == 0)
        {
            var which = x.Length == 0 && y.Length == 0 ? "canary and baseline are" : x.Length == 0 ? "canary is" : "baseline is";
            return new MannWhitneyResult
            {
                Tested = false,
                NoTestReason = $"no test: {which} empty after NaN handling ({nanStrategy})",
                CanarySize = x.Length,
                BaselineSize = y.Length,
                NonFiniteCount = nonFinite,
            };
        }

        double n1 = x.Length, n2 = y.Length, n = n1 + n2;

        // Pooled mid-ranks; tie term Σ(t³ − t).
        var pooled = new (double Value, bool IsCanary)[x.Length + y.Length];
        for (var i = 0; i < x.Length; i++) pooled[i] = (x[i], true);
        for (var j = 0; j < y.Length; j++) pooled[x.Length + j] = (y[j], false);
        Array.Sort(pooled, (a, b) => a.Value.CompareTo(b.Value));

        double rankSumCanary = 0, tieTerm = 0;
        for (var start = 0; start < pooled.Length;)
        {
            var end = start;
            while (end + 1 < pooled.Length && pooled[end + 1].Value == pooled[start].Value) end++;
            var midRank = (start + end + 2) / 2.0; // ranks are 1-based: (start+1 + end+1)/2
            double t = end - start + 1;
            tieTerm += t * t * t - t;
            for (var r = start; r <= end; r++)
                if (pooled[r].IsCanary) rankSumCanary += midRank;
            start = end + 1;
        }

        var u = rankSumCanary - n1 * (n1 + 1) / 2;
        var mean = n1 * n2 / 2;
        var variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)));
        double z, p;
        if (variance <= 0)
        {
            z = 0;
            p = 1;
        }
        else
        {
            var diff = u - mean;
            z = (diff - 0.5 * Math.Sign(diff)) / Math.Sqrt(variance);
            p = NormalDistribution.TwoSidedP(z);
        }

        // Hodges-Lehmann estimate and its CI from the order statistics of the differences.
        var d = new double[x.Length * y.Length];
        var idx = 0;
        foreach (var xi in x)
            foreach (var yj in y)
                d[idx++] = xi - yj;
        Array.Sort(d);
        var m = d.Length;
        var shift = Median(d);
        var kRaw = m / 2.0 - NormalDistribution.Z99 * Math.Sqrt(m * (n + 1) / 12.0);
        var k = (int)Math.Floor(kRaw + 0.5);
        k = Math.Clamp(k, 1, (m + 1) / 2);

        return new MannWhitneyResult
        {
            Tested = true,
            CanarySize = x.Length,
            BaselineSize = y.Length,
            NonFiniteCount = nonFinite,
            U = u,
            Z = z,
            PValue = p,
            Shift = shift,
            ShiftLower = d[k - 1],
            ShiftUpper = d[m - k],
            CanaryMean = x.Average(),
            BaselineMean = y.Average(),
            BaselineMedian = Median(SortedCopy(y)),
        };
    }

    private static double[] Clean(IReadOnlyList<double> values, NanStrategy strategy, out int nonFinite)
    {
        var kept = new List<double>(values.Count);
        nonFinite = 0;
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                kept.Add(v);
                continue;
            }

            nonFinite++;
            if (strategy == NanStrategy.ReplaceWithZero) kept.Add(0.0);
        }

        return kept.ToArray();
    }

    private static double[] SortedCopy(double[] values)
    {
        var copy = (double[])values.Clone();
        Array.Sort(copy);
        return copy;
    }

    /// <summary>Median of an already sorted, non-empty array.</summary>
    internal static double Median(double[] sorted)
    {
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
