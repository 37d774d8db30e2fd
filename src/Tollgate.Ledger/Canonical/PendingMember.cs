namespace Tollgate.Ledger.Canonical;

/// <summary>A member whose name is written and whose value is being written.</summary>
internal readonly record struct PendingMember(int KeyStart, int Start);
