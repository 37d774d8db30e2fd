using Tollgate.Governance.Approvals;

namespace Tollgate.Governance.Tests.Support;

/// <summary>Keeps every approval it is told about.</summary>
internal sealed class RecordingNotifier : IApprovalNotifier
{
    private readonly List<ApprovalCase> told = [];

    public IReadOnlyList<ApprovalCase> Told { get { lock (told) return [.. told]; } }

    /// <summary>While set, every notification fails (the waiting orchestration cannot be reached).</summary>
    public bool Unreachable { get; set; }

    public Task NotifyAsync(ApprovalCase decided, CancellationToken cancellationToken)
    {
        if (Unreachable) throw new HttpRequestException("orchestration host unreachable");
        lock (told) told.Add(decided);
        return Task.CompletedTask;
    }
}
