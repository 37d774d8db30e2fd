namespace Tollgate.Ledger.Bundles;

/// <summary>A member role: a stable name (it is written into manifests, so it never changes) and what a member in it holds.</summary>
public sealed record BundleRole(string Name, string Meaning);
