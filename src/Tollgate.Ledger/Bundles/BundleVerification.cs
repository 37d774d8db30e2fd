namespace Tollgate.Ledger.Bundles;

/// <summary>What verifying a bundle found.</summary>
/// <param name="Manifest">The manifest when it could be read and parsed (even if other checks failed), else null.</param>
public sealed record BundleVerification(bool Ok, IReadOnlyList<BundleProblem> Problems, BundleManifest? Manifest);
