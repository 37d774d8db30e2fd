namespace Tollgate.Ledger.Bundles;

/// <summary>The stable reason codes of <see cref="BundleException"/> and <see cref="BundleProblem"/>.</summary>
public static class BundleReason
{
    // Refusals: nothing is written.
    public const string BadRequest = "BUNDLE_BAD_REQUEST";
    public const string UnknownRole = "BUNDLE_UNKNOWN_ROLE";
    public const string DuplicateMember = "BUNDLE_DUPLICATE_MEMBER";
    public const string TooLarge = "BUNDLE_TOO_LARGE";

    /// <summary>Storage holds an object under a content-hash name whose bytes do not match it.</summary>
    public const string StoreCorrupt = "BUNDLE_STORE_CORRUPT";

    /// <summary>An export target folder already holds files.</summary>
    public const string ExportTargetNotEmpty = "BUNDLE_EXPORT_TARGET_NOT_EMPTY";

    // Verification findings.
    public const string NotFound = "BUNDLE_NOT_FOUND";
    public const string ManifestHashMismatch = "BUNDLE_MANIFEST_HASH_MISMATCH";
    public const string ManifestInvalid = "BUNDLE_MANIFEST_INVALID";
    public const string BadSignature = "BUNDLE_BAD_SIGNATURE";
    public const string MemberMissing = "BUNDLE_MEMBER_MISSING";
    public const string MemberHashMismatch = "BUNDLE_MEMBER_HASH_MISMATCH";
    public const string MemberSizeMismatch = "BUNDLE_MEMBER_SIZE_MISMATCH";
    public const string LedgerProofInvalid = "BUNDLE_LEDGER_PROOF_INVALID";
    public const string CheckpointInvalid = "BUNDLE_CHECKPOINT_INVALID";
    public const string Incomplete = "BUNDLE_INCOMPLETE";

    /// <summary>An exported folder holds a file the manifest does not account for.</summary>
    public const string StrayFile = "BUNDLE_STRAY_FILE";
}
