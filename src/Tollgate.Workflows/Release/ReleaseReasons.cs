namespace Tollgate.Workflows.Release;

/// <summary>Reason codes of the release orchestrations themselves (stages and the judge have their own).</summary>
public static class ReleaseReasons
{
    public const string Aborted = "REL-ABORTED";
    public const string Inconclusive = "CAN-INCONCLUSIVE";
    public const string ApprovalTimeout = "REL-APPROVAL-TIMEOUT";
    public const string ApprovalVetoed = "REL-APPROVAL-VETO";
    public const string ApprovalReturned = "REL-APPROVAL-RETURN";
    public const string RollbackUnconfirmed = "REL-ROLLBACK-UNCONFIRMED";
    public const string RollbackUnhealthy = "REL-ROLLBACK-UNHEALTHY";
    public const string StageFailed = "REL-STAGE-FAILED";
    public const string AnalysisUnavailable = "CAN-ANALYSIS-UNAVAILABLE";
}
