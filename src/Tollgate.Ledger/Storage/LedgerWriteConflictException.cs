namespace Tollgate.Ledger.Storage;

/// <summary>
/// A write-once or append-position condition failed: the object exists, or the segment is not the length the
/// writer last saw (another writer appended, or an earlier attempt whose outcome was unknown did land).
/// Nothing was written by the failing call.
/// </summary>
public sealed class LedgerWriteConflictException(string name, string message)
    : LedgerException("LEDGER_WRITE_CONFLICT", $"{name}: {message}")
{
    public string Name { get; } = name;
}
