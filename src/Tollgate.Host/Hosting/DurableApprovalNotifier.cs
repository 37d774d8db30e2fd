using Tollgate.Durable;
using Tollgate.Governance.Approvals;

namespace Tollgate.Host.Hosting;

/// <summary>
/// Raises an approval's decision as the <c>approval</c> external event of the orchestration waiting on it (the
/// pipeline's WaitForExternalEvent), once the decision is in the ledger.
/// </summary>
public sealed class DurableApprovalNotifier(DurableTaskClient client) : IApprovalNotifier
{
    public Task NotifyAsync(ApprovalCase decided, CancellationToken cancellationToken) =>
        client.RaiseEventAsync(decided.InstanceId!, IApprovalNotifier.EventName, new
        {
            approval_id = decided.Id,
            state = decided.State.ToString().ToUpperInvariant(),
            subject_ref = decided.Subject.ToString(),
            decided_by = decided.DecidedBy,
            reason_codes = decided.ReasonCodes,
            ledger_index = decided.Steps[^1].LedgerIndex,
        }, cancellationToken);
}
