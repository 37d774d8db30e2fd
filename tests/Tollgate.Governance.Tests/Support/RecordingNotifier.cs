using Tollgate.Governance.Approvals;

namespace Tollgate.Governance.Tests.Support;

/// <summary>Keeps every approval it is told about.</summary>
internal sealed class RecordingNotifier : IApprovalNotifier
{
    private readonly List<ApprovalCase> told = [];

    public IReadOnlyList<ApprovalCase> Told { get { lock (told) return [.. told]; } }

    public Task NotifyAsync(ApprovalCase decided, CancellationToken cancellationToken)
    {
        lock (told) told.Add(decided);
        return Task.CompletedTask;
    }
}
