using Tollgate.Ledger;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Writing;

namespace Tollgate.Governance.Audit;

/// <summary><see cref="IAuditLog"/> over the host's ledger writer, which may not be open yet.</summary>
public sealed class LedgerAuditLog(Func<LedgerWriter?> writer) : IAuditLog
{
    public async Task<AuditReceipt> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var receipt = await Writer().AppendAsync(entry, cancellationToken);
            return new AuditReceipt(receipt.Index, receipt.Existing);
        }
        catch (LedgerException e) when (e.Reason is LedgerReason.Unavailable or LedgerReason.Closed)
        {
            throw Unavailable(e.Message);
        }
    }

    public bool IsAvailable => writer() is { IsClosed: false };

    public long? Find(string key) => writer()?.Find(key);

    public async Task<LedgerEntry> ReadAsync(long index, CancellationToken cancellationToken) =>
        LedgerEntry.Parse(await Writer().ReadEntryAsync(index, cancellationToken));

    private LedgerWriter Writer() => writer() ?? throw Unavailable("the audit ledger is not open yet");

    private static GovernanceException Unavailable(string why) =>
        new(GovernanceReasons.AuditUnavailable, $"The audit ledger cannot be written ({why}); nothing was changed.");
}
