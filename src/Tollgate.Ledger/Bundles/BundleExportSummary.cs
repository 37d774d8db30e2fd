namespace Tollgate.Ledger.Bundles;

/// <summary>What an export wrote.</summary>
/// <param name="MissingMembers">Members the store did not hold (as members/&lt;role&gt;/&lt;name&gt;); verifying the folder reports them.</param>
/// <param name="SignatureWritten">False when the store held no signature for the bundle.</param>
public sealed record BundleExportSummary(string ManifestSha256, int MembersWritten, IReadOnlyList<string> MissingMembers, bool SignatureWritten);
