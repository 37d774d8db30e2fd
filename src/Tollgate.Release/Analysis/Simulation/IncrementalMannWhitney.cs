namespace Tollgate.Release.Analysis.Simulation;

/// <summary>
/// The z and two-sided p of <see cref="MannWhitney.Compare"/> (tie-corrected variance, continuity correction) on a
/// growing pair of samples, for re-testing at every look. <see cref="MannWhitney.Compare"/> also builds the n₁·n₂
/// pairwise differences for the Hodges-Lehmann interval, which at a thousand samples per side is a million-element
/// sort per look; the simulation needs only the rank test, so this keeps both sides sorted (each look merges its
/// sorted new samples in, O(n)) and ranks them by one merge walk. Non-finite samples are not expected: the
/// simulated distributions never produce them.
/// </summary>
internal sealed class IncrementalMannWhitney
{
    private double[] _canary = [];
    private double[] _baseline = [];

    /// <summary>Adds a look's new samples.</summary>
    public void Add(IReadOnlyList<double> canaryNew, IReadOnlyList<double> baselineNew)
    {
        _canary = MergeSorted(_canary, canaryNew);
        _baseline = MergeSorted(_baseline, baselineNew);
    }

    /// <summary>z and two-sided p of the samples so far; (0, 1) when every value is equal, as in <see cref="MannWhitney.Compare"/>.</summary>
    public (double Z, double P) Test()
    {
        if (_canary.Length == 0 || _baseline.Length == 0) throw new InvalidOperationException("both sides need samples before a test");
        double n1 = _canary.Length, n2 = _baseline.Length, n = n1 + n2;
        double rankSumCanary = 0, tieTerm = 0;
        int i = 0, j = 0, rank = 0;
        while (i < _canary.Length || j < _baseline.Length)
        {
            var value = j >= _baseline.Length || (i < _canary.Length && _canary[i] <= _baseline[j]) ? _canary[i] : _baseline[j];
            int canaryTies = 0, baselineTies = 0;
            while (i < _canary.Length && _canary[i] == value) { i++; canaryTies++; }
            while (j < _baseline.Length && _baseline[j] == value) { j++; baselineTies++; }
            double t = canaryTies + baselineTies;
            var midRank = rank + (t + 1) / 2; // ranks rank+1 .. rank+t share their mean
            rankSumCanary += canaryTies * midRank;
            tieTerm += t * t * t - t;
            rank += canaryTies + baselineTies;
        }

        var u = rankSumCanary - n1 * (n1 + 1) / 2;
        var variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)));
        if (variance <= 0) return (0, 1);
        var diff = u - n1 * n2 / 2;
        var z = (diff - 0.5 * Math.Sign(diff)) / Math.Sqrt(variance);
        return (z, NormalDistribution.TwoSidedP(z));
    }

    private static double[] MergeSorted(double[] sorted, IReadOnlyList<double> added)
    {
        double[] batch = [.. added];
        Array.Sort(batch);
        var merged = new double[sorted.Length + batch.Length];
        int a = 0, b = 0, k = 0;
        while (a < sorted.Length && b < batch.Length) merged[k++] = sorted[a] <= batch[b] ? sorted[a++] : batch[b++];
        while (a < sorted.Length) merged[k++] = sorted[a++];
        while (b < batch.Length) merged[k++] = batch[b++];
        return merged;
    }
}
