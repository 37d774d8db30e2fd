namespace Tollgate.Release.Analysis;

/// <summary>
/// What to do with NaN samples before comparing (Kayenta's <c>nanStrategy</c>).
/// Infinite samples are treated exactly like NaN: a pairwise difference of two infinities is
/// undefined, so they cannot enter the rank test or the shift estimate as they are.
/// </summary>
public enum NanStrategy
{
    /// <summary>Drop non-finite samples (Kayenta's default, <c>remove</c>).</summary>
    Remove,

    /// <summary>Replace non-finite samples with 0 (Kayenta's <c>replace</c>).</summary>
    ReplaceWithZero,
}
