namespace Tollgate.Evidence;

/// <summary>
/// Every reason code any check can return, with its meaning: the one table operators and the
/// ledger rely on. Codes are stable; a new failure mode gets a new code rather than a new meaning
/// for an old one. Prefixes: <c>REL-</c> release bundle, summary and index; <c>DR-</c> WAL recovery
/// drills; <c>RB-</c> deploy/rollback drills.
/// </summary>
public static class EvidenceReasonCodes
{
    // Release bundle.
    public const string BundleMissing = "REL-BUNDLE-MISSING";
    public const string BundleUnreadable = "REL-BUNDLE-UNREADABLE";
    public const string BundleFormat = "REL-BUNDLE-FORMAT";
    public const string BundleEmpty = "REL-BUNDLE-EMPTY";
    public const string BundleUnsafeMember = "REL-BUNDLE-UNSAFE-MEMBER";
    public const string ChecksumMissing = "REL-CHECKSUM-MISSING";
    public const string ChecksumUnreadable = "REL-CHECKSUM-UNREADABLE";
    public const string ChecksumFormat = "REL-CHECKSUM-FORMAT";
    public const string ChecksumNameMismatch = "REL-CHECKSUM-NAME-MISMATCH";
    public const string ChecksumMismatch = "REL-CHECKSUM-MISMATCH";
    public const string VersionInvalid = "REL-VERSION-INVALID";
    public const string VersionMismatch = "REL-VERSION-MISMATCH";
    public const string VersionUnknown = "REL-VERSION-UNKNOWN";
    public const string VersionFileInvalid = "REL-VERSION-FILE-INVALID";
    public const string VersionFileMismatch = "REL-VERSION-FILE-MISMATCH";

    // Release audit summary.
    public const string SummaryMissing = "REL-SUMMARY-MISSING";
    public const string SummaryUnreadable = "REL-SUMMARY-UNREADABLE";
    public const string SummaryMalformed = "REL-SUMMARY-MALFORMED";
    public const string SummaryMismatch = "REL-SUMMARY-MISMATCH";

    // Release audit index.
    public const string IndexMissing = "REL-INDEX-MISSING";
    public const string IndexUnreadable = "REL-INDEX-UNREADABLE";
    public const string IndexMalformed = "REL-INDEX-MALFORMED";
    public const string IndexTampered = "REL-INDEX-TAMPERED";
    public const string IndexTruncated = "REL-INDEX-TRUNCATED";
    public const string IndexConflict = "REL-INDEX-CONFLICT";
    public const string IndexMissingEntry = "REL-INDEX-MISSING-ENTRY";
    public const string IndexDuplicateEntry = "REL-INDEX-DUPLICATE-ENTRY";
    public const string IndexBusy = "REL-INDEX-BUSY";
    public const string IndexWriteFailed = "REL-INDEX-WRITE-FAILED";

    // WAL recovery drill.
    public const string WalThresholdInvalid = "DR-THRESHOLD-INVALID";
    public const string WalEvidenceFileMissing = "DR-EVIDENCE-FILE-MISSING";
    public const string WalEvidenceUnreadable = "DR-EVIDENCE-UNREADABLE";
    public const string WalEvidenceMalformed = "DR-EVIDENCE-MALFORMED";
    public const string WalEvidenceMissingField = "DR-EVIDENCE-MISSING-FIELD";
    public const string WalEvidenceInvalid = "DR-EVIDENCE-INVALID";
    public const string WalRecoveryFailed = "DR-RECOVERY-FAILED";
    public const string WalRtoExceeded = "DR-RTO-EXCEEDED";
    public const string WalRpoExceeded = "DR-RPO-EXCEEDED";

    // Deploy/rollback drill.
    public const string RollbackThresholdInvalid = "RB-THRESHOLD-INVALID";
    public const string RollbackEvidenceFileMissing = "RB-EVIDENCE-FILE-MISSING";
    public const string RollbackEvidenceUnreadable = "RB-EVIDENCE-UNREADABLE";
    public const string RollbackEvidenceMalformed = "RB-EVIDENCE-MALFORMED";
    public const string RollbackEvidenceMissingField = "RB-EVIDENCE-MISSING-FIELD";
    public const string RollbackEvidenceInvalid = "RB-EVIDENCE-INVALID";
    public const string RollbackTimeExceeded = "RB-TIME-EXCEEDED";
    public const string RollbackHealthFail = "RB-HEALTH-FAIL";

    private static readonly (string Code, string Meaning)[] Table =
    [
        (BundleMissing, "The bundle file does not exist."),
        (BundleUnreadable, "The bundle could not be read, or is not a valid gzip-compressed tar archive."),
        (BundleFormat, "The bundle's name does not end in .tar.gz or .tgz."),
        (BundleEmpty, "The archive holds no regular file."),
        (BundleUnsafeMember, "An archive member's path or link target is absolute or climbs out with '..'."),
        (ChecksumMissing, "The checksum file does not exist."),
        (ChecksumUnreadable, "The checksum file could not be read."),
        (ChecksumFormat, "The checksum file is not exactly one sha256sum line: '<64 hex>  <name>' or '<64 hex> *<name>'."),
        (ChecksumNameMismatch, "The file name in the checksum file is not the bundle's file name."),
        (ChecksumMismatch, "The bundle's SHA-256 differs from the one in the checksum file."),
        (VersionInvalid, "The expected version is empty or holds characters outside [A-Za-z0-9._+-]."),
        (VersionMismatch, "The bundle's name (or the summary) does not carry the expected version."),
        (VersionUnknown, "No version was given and none could be read from the VERSION file or the bundle's name."),
        (VersionFileInvalid, "The archive's root VERSION file is empty, too long, not one line of UTF-8, or present twice."),
        (VersionFileMismatch, "The archive's root VERSION file holds a different version."),
        (SummaryMissing, "The summary file does not exist."),
        (SummaryUnreadable, "The summary file could not be read."),
        (SummaryMalformed, "The summary is not a JSON object with exactly the summary's fields and types."),
        (SummaryMismatch, "A value in the summary differs from the value recomputed from the bundle, or from the summary's other values."),
        (IndexMissing, "The audit index file does not exist."),
        (IndexUnreadable, "The audit index file could not be read."),
        (IndexMalformed, "An index line is empty or not an index entry (JSON object with exactly the entry's fields and types)."),
        (IndexTampered, "An index line was edited, removed or moved: its hash, sequence number or predecessor hash does not hold."),
        (IndexTruncated, "The index ends inside a line, or lacks a line an anchor recorded."),
        (IndexConflict, "The index holds (or would hold) two different bundles for one version, or one bundle under two versions."),
        (IndexMissingEntry, "The summary's release has no line in the index."),
        (IndexDuplicateEntry, "The summary's release has more than one line in the index."),
        (IndexBusy, "Another writer held the index lock for the whole wait."),
        (IndexWriteFailed, "The index could not be created or appended to."),
        (WalThresholdInvalid, "A WAL recovery threshold is negative."),
        (WalEvidenceFileMissing, "The WAL recovery evidence file does not exist."),
        (WalEvidenceUnreadable, "The WAL recovery evidence file could not be read."),
        (WalEvidenceMalformed, "A line of the WAL recovery evidence is not KEY=VALUE, or a key appears twice."),
        (WalEvidenceMissingField, "A required WAL recovery field is absent or empty."),
        (WalEvidenceInvalid, "A WAL recovery field does not parse, or the fields contradict each other (RTO vs timestamps, RPO vs event counts)."),
        (WalRecoveryFailed, "The drill itself reported STATUS=FAIL."),
        (WalRtoExceeded, "The measured recovery time is above the maximum RTO."),
        (WalRpoExceeded, "More events were lost than the maximum RPO allows."),
        (RollbackThresholdInvalid, "The rollback time limit is negative."),
        (RollbackEvidenceFileMissing, "The rollback drill evidence file does not exist."),
        (RollbackEvidenceUnreadable, "The rollback drill evidence file could not be read."),
        (RollbackEvidenceMalformed, "A line of the rollback evidence is not KEY=VALUE, or a key appears twice."),
        (RollbackEvidenceMissingField, "A required rollback drill field is absent or empty."),
        (RollbackEvidenceInvalid, "A rollback drill field does not parse, or the fields contradict each other (seconds vs timestamps, same from and to version)."),
        (RollbackTimeExceeded, "The rollback took longer than the maximum rollback time."),
        (RollbackHealthFail, "The health check after the rollback reported FAIL."),
    ];

    /// <summary>Code to meaning, for every code above.</summary>
    public static IReadOnlyDictionary<string, string> Meanings { get; } =
        Table.ToDictionary(row => row.Code, row => row.Meaning, StringComparer.Ordinal);

    /// <summary>The meaning of <paramref name="code"/>, or null for a code this catalogue does not know.</summary>
    public static string? Describe(string code) => Meanings.GetValueOrDefault(code);
}
