namespace Tollgate.Ledger.Bundles;

/// <summary>
/// The files of an exported bundle: the manifest and its signature byte for byte, and each member under its role,
/// so an auditor can open the members by name and <see cref="BundleVerifier.VerifyFolderAsync"/> can check them.
/// </summary>
public static class BundleFolderLayout
{
    public const string ManifestFile = "manifest.json";
    public const string SignatureFile = "manifest.sig";
    public const string MembersFolder = "members";

    /// <summary>A member's path relative to the folder, with '/' separators.</summary>
    public static string Member(BundleMember member) => $"{MembersFolder}/{member.Role}/{member.Name}";
}
