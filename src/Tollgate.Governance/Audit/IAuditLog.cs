using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.Audit;

/// <summary>Where an audited entry landed: its ledger index, and whether it was there already (a retried act).</summary>
public sealed record AuditReceipt(long Index, bool Existing);

/// <summary>The audit ledger as governance uses it: append an entry, find one by key, read one back.</summary>
public interface IAuditLog
{
    /// <summary>Appends <paramref name="entry"/>, or returns where the same entry already is.</summary>
    /// <exception cref="GovernanceException"><see cref="GovernanceReasons.AuditUnavailable"/> when the ledger cannot be written.</exception>
    /// <exception cref="Ledger.LedgerException"><see cref="Ledger.LedgerReason.KeyConflict"/> when the key holds another entry.</exception>
    Task<AuditReceipt> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken);

    /// <summary>Whether the ledger is open for writing (the kill-switch preflight's "audited").</summary>
    bool IsAvailable { get; }

    /// <summary>The index of the entry with <paramref name="key"/>, if the ledger holds one.</summary>
    long? Find(string key);

    /// <summary>The entry at <paramref name="index"/>.</summary>
    Task<LedgerEntry> ReadAsync(long index, CancellationToken cancellationToken);
}
