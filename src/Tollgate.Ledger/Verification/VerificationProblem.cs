namespace Tollgate.Ledger.Verification;

/// <summary>One thing verification found wrong.</summary>
/// <param name="Index">The first entry index concerned, when the problem is about entries; null for a whole-ledger problem.</param>
/// <param name="Subject">What is wrong, named as an auditor would look it up (a segment, a checkpoint, an index row).</param>
public sealed record VerificationProblem(long? Index, string Reason, string Subject, string Detail)
{
    public override string ToString() => Index is { } index ? $"index {index}: {Reason} ({Subject}): {Detail}" : $"{Reason} ({Subject}): {Detail}";
}

/// <summary>The stable reason codes a verification reports (docs/LEDGER.md).</summary>
public static class VerificationReason
{
    public const string EntryInvalid = "VERIFY_ENTRY_INVALID";
    public const string RootMismatch = "VERIFY_ROOT_MISMATCH";
    public const string LeafMismatch = "VERIFY_LEAF_MISMATCH";
    public const string BadSignature = "VERIFY_BAD_SIGNATURE";
    public const string BadCheckpoint = "VERIFY_BAD_CHECKPOINT";
    public const string NoCheckpoint = "VERIFY_NO_CHECKPOINT";
    public const string Truncated = "VERIFY_TRUNCATED";
    public const string SegmentGap = "VERIFY_SEGMENT_GAP";
    public const string TornSegment = "VERIFY_TORN_SEGMENT";
    public const string StrayObject = "VERIFY_STRAY_OBJECT";
    public const string IndexMismatch = "VERIFY_INDEX_MISMATCH";
    public const string IndexMissing = "VERIFY_INDEX_MISSING";
    public const string DuplicateKey = "VERIFY_DUPLICATE_KEY";
    public const string KeyMismatch = "VERIFY_KEY_MISMATCH";
    public const string Forked = "VERIFY_FORKED";
}
