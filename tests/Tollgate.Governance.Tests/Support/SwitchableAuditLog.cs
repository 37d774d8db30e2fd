using Tollgate.Governance.Audit;
using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.Tests.Support;

/// <summary>The real ledger audit log, which a test can take down: appends then fail with SYS-AUDIT and it reports itself unavailable.</summary>
internal sealed class SwitchableAuditLog(IAuditLog inner) : IAuditLog
{
    private volatile bool down;

    public bool Down { get => down; set => down = value; }

    public int RefusedAppends => Volatile.Read(ref refused);
    private int refused;

    public Task<AuditReceipt> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        if (down)
        {
            Interlocked.Increment(ref refused);
            throw new GovernanceException(GovernanceReasons.AuditUnavailable, "The audit ledger cannot be written (test: ledger down); nothing was changed.");
        }
        return inner.AppendAsync(entry, cancellationToken);
    }

    public bool IsAvailable => !down && inner.IsAvailable;

    public long? Find(string key) => inner.Find(key);

    public Task<LedgerEntry> ReadAsync(long index, CancellationToken cancellationToken) => inner.ReadAsync(index, cancellationToken);
}
