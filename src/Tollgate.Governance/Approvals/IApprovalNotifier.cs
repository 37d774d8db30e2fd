namespace Tollgate.Governance.Approvals;

/// <summary>
/// Tells whatever waits on an approval (a pipeline orchestration, by the approval's instance id) that it was
/// decided. The decision is recorded before this is called; a failed notification loses nothing.
/// </summary>
public interface IApprovalNotifier
{
    /// <summary>The external event name the waiting orchestration listens for.</summary>
    public const string EventName = "approval";

    Task NotifyAsync(ApprovalCase decided, CancellationToken cancellationToken);
}

/// <summary>The standing gate verdicts of a release, which block its approvals while any is VETO or RETURN.</summary>
public interface IGateVerdicts
{
    Task<IReadOnlyList<StandingVerdict>> StandingAsync(string releaseId, CancellationToken cancellationToken);
}
