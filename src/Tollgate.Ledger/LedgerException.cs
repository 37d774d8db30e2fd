namespace Tollgate.Ledger;

/// <summary>A ledger request that was refused or could not be carried out; <see cref="Reason"/> is a stable code.</summary>
/// <remarks>A refused append writes nothing: every check runs before the entry reaches a batch.</remarks>
public class LedgerException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}

/// <summary>The stable reason codes of <see cref="LedgerException"/> (documented in docs/LEDGER.md).</summary>
public static class LedgerReason
{
    public const string NotCanonical = "LEDGER_NOT_CANONICAL";
    public const string NotJson = "LEDGER_NOT_JSON";
    public const string TooLarge = "LEDGER_ENTRY_TOO_LARGE";
    public const string MissingField = "LEDGER_MISSING_FIELD";
    public const string UnknownField = "LEDGER_UNKNOWN_FIELD";
    public const string BadField = "LEDGER_BAD_FIELD";
    public const string UnknownKind = "LEDGER_UNKNOWN_KIND";
    public const string BadPayload = "LEDGER_BAD_PAYLOAD";
    public const string KeyConflict = "LEDGER_KEY_CONFLICT";
    public const string NotFound = "LEDGER_NOT_FOUND";
    public const string BadRange = "LEDGER_BAD_RANGE";
    public const string Unavailable = "LEDGER_UNAVAILABLE";
    public const string Closed = "LEDGER_CLOSED";
    public const string Corrupt = "LEDGER_CORRUPT";
    public const string Screened = "LEDGER_ENTRY_SCREENED";
}
