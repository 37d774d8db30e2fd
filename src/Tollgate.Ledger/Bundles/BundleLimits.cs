namespace Tollgate.Ledger.Bundles;

/// <summary>Bounds on a bundle, so that a manifest stays small enough to read whole and a verifier's memory stays bounded.</summary>
public static class BundleLimits
{
    public const int MaxMembers = 10_000;
    public const long MaxMemberBytes = 256L * 1024 * 1024;
    public const int MaxNameLength = 200;
    public const int MaxMediaTypeLength = 255;
    public const int MaxIdLength = 256;
    public const int MaxLedgerIndexes = 10_000;
}
