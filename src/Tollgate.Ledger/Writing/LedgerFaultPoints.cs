namespace Tollgate.Ledger.Writing;

/// <summary>The writer steps at which a crash is most likely to lose or double entries, as named injection points.</summary>
public static class LedgerFaultPoints
{
    /// <summary>A group commit's block is in the segment; no checkpoint covers it and no append is acknowledged.</summary>
    public const string AfterBlockBeforeCheckpoint = "ledger-after-block";
}
