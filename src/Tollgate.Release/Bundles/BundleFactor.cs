namespace Tollgate.Release.Bundles;

/// <summary>
/// A named numeric parameter of a bundle, with the range it is declared to be tuned in: <see cref="Min"/> ≤
/// <see cref="Value"/> ≤ <see cref="Max"/>. The range is what a sensitivity analysis may probe and what a release
/// policy compares against its own (<see cref="AcceptanceThresholds"/>).
/// </summary>
public sealed record BundleFactor(string Name, decimal Value, decimal Min, decimal Max);

/// <summary>
/// The factors Tollgate knows. The rule set format has no way to name a parameter (its thresholds and quantities are
/// literal decimals), so each factor is a documented transform of the rules rather than a reference from them:
/// <list type="bullet">
/// <item><c>size_mult</c> (seed 002's size_mult): every rule's quantity × the value, rounded down to the coarsest step
/// of the rule's instruments (as risk rounds a health-scaled size); it must stay above 0 and on every instrument's
/// step. Without the factor the multiplier is 1 and the quantities are the rules' own.</item>
/// </list>
/// A factor not in this list is refused (<see cref="BundleReasons.UnknownField"/>): a factor with no effect would be a
/// parameter that looks tuned and is not.
/// </summary>
public static class BundleFactors
{
    public const string SizeMult = "size_mult";

    public static readonly IReadOnlyList<string> Known = [SizeMult];
}
