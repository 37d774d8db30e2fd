namespace Tollgate.Evidence;

/// <summary>The reason codes one drill kind uses for the failures every KEY=VALUE evidence file shares.</summary>
internal sealed record DrillCodes(
    string FileMissing,
    string Unreadable,
    string Malformed,
    string MissingField,
    string Invalid,
    string ThresholdInvalid)
{
    public static readonly DrillCodes Wal = new(
        EvidenceReasonCodes.WalEvidenceFileMissing,
        EvidenceReasonCodes.WalEvidenceUnreadable,
        EvidenceReasonCodes.WalEvidenceMalformed,
        EvidenceReasonCodes.WalEvidenceMissingField,
        EvidenceReasonCodes.WalEvidenceInvalid,
        EvidenceReasonCodes.WalThresholdInvalid);

    public static readonly DrillCodes Rollback = new(
        EvidenceReasonCodes.RollbackEvidenceFileMissing,
        EvidenceReasonCodes.RollbackEvidenceUnreadable,
        EvidenceReasonCodes.RollbackEvidenceMalformed,
        EvidenceReasonCodes.RollbackEvidenceMissingField,
        EvidenceReasonCodes.RollbackEvidenceInvalid,
        EvidenceReasonCodes.RollbackThresholdInvalid);
}
