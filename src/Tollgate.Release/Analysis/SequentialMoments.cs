using System.Text.Json.Nodes;

namespace Tollgate.Release.Analysis;

/// <summary>
/// The sufficient statistics of one side's sample: count, mean and M2 (the sum of squared deviations from the
/// mean), updated one value at a time by Welford's method (1962). Welford's update stays accurate where the
/// textbook Σx² − n·x̄² cancels catastrophically (latencies of 10⁶ ns with a spread of 10), and it makes a look
/// cost O(new samples): the state never keeps the samples themselves.
/// <para>Adding the same values in the same order gives the same bits, so a canary looked at every interval and
/// one recomputation over all its samples agree exactly.</para>
/// </summary>
/// <param name="Count">Samples added.</param>
/// <param name="Mean">Their mean; 0 while <paramref name="Count"/> is 0.</param>
/// <param name="SumSquaredDeviations">M2 = Σ(x − mean)².</param>
public readonly record struct SequentialMoments(long Count, double Mean, double SumSquaredDeviations)
{
    /// <summary>The moments with <paramref name="value"/> added.</summary>
    public SequentialMoments Add(double value)
    {
        var count = Count + 1;
        var delta = value - Mean;
        var mean = Mean + delta / count;
        return new(count, mean, SumSquaredDeviations + delta * (value - mean));
    }

    /// <summary>Unbiased sample variance M2/(n − 1); NaN below two samples.</summary>
    public double Variance => Count < 2 ? double.NaN : SumSquaredDeviations / (Count - 1);

    /// <summary>The mean, or NaN when there are no samples (rather than the 0 the update starts from).</summary>
    public double MeanOrNaN => Count == 0 ? double.NaN : Mean;

    internal JsonObject ToJson() => new()
    {
        ["count"] = Count,
        ["mean"] = SequentialJson.Number(Mean),
        ["m2"] = SequentialJson.Number(SumSquaredDeviations),
    };

    internal static SequentialMoments FromJson(JsonObject json) =>
        new(SequentialJson.Integer(json, "count"), SequentialJson.ReadNumber(json, "mean"), SequentialJson.ReadNumber(json, "m2"));
}
