using Tollgate.Markets.Strategy;

namespace Tollgate.Release.Bundles;

/// <summary>
/// One thing wrong with a config bundle, or one reason a candidate is rejected: a stable code, where it is as a JSON
/// path into the bundle (<c>$.factors.size_mult.value</c>, <c>$.rules.rules[0].when[1]</c>; <c>$</c> for the bundle
/// as a whole) and what is wrong.
/// </summary>
public sealed record BundleProblem(string Code, string Path, string Message)
{
    public override string ToString() => $"{Code} at {Path}: {Message}";
}

/// <summary>
/// The codes a bundle lint and the acceptance report. They are written into refusals and the audit ledger and never
/// change meaning; the rules' own lint adds its <see cref="RuleProblemCodes"/> (STRAT-*) unchanged, except that a
/// rule symbol outside the bundle's universe is <see cref="Universe"/> (the rules are linted against that universe).
/// </summary>
public static class BundleReasons
{
    /// <summary>Not JSON; a field of the wrong JSON kind; a required field missing or given twice; an unsupported format; an empty universe.</summary>
    public const string Schema = "BUNDLE-SCHEMA";
    /// <summary>A field the format does not have, or a factor Tollgate does not know (a typo is refused, never ignored).</summary>
    public const string UnknownField = "BUNDLE-UNKNOWN-FIELD";
    /// <summary>
    /// A factor that is not a finite plain decimal, min above max, a value outside its declared [min, max], a size
    /// multiplier not above 0 or one that leaves a rule's quantity at 0 or off its step; in acceptance, a declared
    /// range outside the release policy's.
    /// </summary>
    public const string Bounds = "BUNDLE-BOUNDS";
    /// <summary>A universe entry that is not a <c>MARKET:SYMBOL</c> key, is listed twice or is not on the exchange; a rule symbol outside the universe.</summary>
    public const string Universe = "BUNDLE-UNIVERSE";
    /// <summary>Acceptance: the share of decision points whose decision the candidate changes is over the threshold.</summary>
    public const string FlipHigh = "BUNDLE-FLIP-HIGH";
    /// <summary>Acceptance: the candidate's decisions overlap the active rules' less than the minimum Jaccard index.</summary>
    public const string JaccardLow = "BUNDLE-JACCARD-LOW";
    /// <summary>Acceptance: some parameter's local Lipschitz estimate (flip_pct per unit relative change) is over the limit.</summary>
    public const string Sensitive = "BUNDLE-SENSITIVE";
    /// <summary>Acceptance: neither rule set decided often enough on the capture for its figures to mean anything.</summary>
    public const string NoEvidence = "BUNDLE-NO-EVIDENCE";

    public static readonly IReadOnlyList<string> All = [Schema, UnknownField, Bounds, Universe, FlipHigh, JaccardLow, Sensitive, NoEvidence];
}

/// <summary>A bundle that does not lint, with every problem found, not only the first; the HTTP layer answers it with a 400.</summary>
public sealed class BundleLintException(IReadOnlyList<BundleProblem> problems)
    : FormatException($"the config bundle has {problems.Count} problem(s): {string.Join("; ", problems)}")
{
    public IReadOnlyList<BundleProblem> Problems { get; } = problems;
}
