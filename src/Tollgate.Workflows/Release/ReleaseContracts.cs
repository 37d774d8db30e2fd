namespace Tollgate.Workflows.Release;

/// <summary>The nine stages of seed 000 §6.1, in order; their names are the stable ids in the ledger and the status.</summary>
public static class ReleaseStages
{
    public const string Build = "BUILD";
    public const string Test = "TEST";
    public const string Package = "PACKAGE";
    public const string Sign = "SIGN";
    public const string Deploy = "DEPLOY";
    public const string Verify = "VERIFY";
    public const string Approval = "APPROVAL";
    public const string Activate = "ACTIVATE";
    public const string Monitor = "MONITOR";
    public const string AuditRecord = "AUDIT_RECORD";

    /// <summary>The stages run by one activity each, before the human approval and the canary.</summary>
    public static readonly IReadOnlyList<string> Preparation = [Build, Test, Package, Sign, Deploy, Verify];

    public static readonly IReadOnlyList<string> All = [Build, Test, Package, Sign, Deploy, Verify, Approval, Activate, Monitor, AuditRecord];
}

/// <summary>What starts a release: its id (also the pipeline's instance id) and who asked.</summary>
public sealed record ReleaseStart(string ReleaseId, string RequestedBy);

/// <summary>One canary step of a plan: the canary's share of decisions, how long it is watched, and whether a human approves before it.</summary>
public sealed record PlanStep(int WeightBasisPoints, int WatchSeconds, bool ApprovalBefore);

/// <summary>
/// What the orchestrations need of a release and its policy, resolved once by the plan activity (so replays see the
/// same plan even if the policy object were read again later).
/// </summary>
public sealed record ReleasePlan(
    string ReleaseId,
    string Environment,
    string Kind,
    string CandidateMap,
    string PolicyRev,
    IReadOnlyList<PlanStep> Steps,
    int AnalysisIntervalSeconds,
    int FinalWatchSeconds,
    string OnInconclusive,
    int MaxRollbackSeconds,
    bool ApprovalBeforeActivate,
    int ApprovalTimeoutSeconds,
    string RequestedBy);

/// <summary>A stage's result: PASS, FAIL or SKIPPED, its reason codes and the facts that decided it (all in its ledger entry).</summary>
public sealed record StageOutcome(string Stage, string Result, IReadOnlyList<string> ReasonCodes, IReadOnlyDictionary<string, string> Facts, long LedgerIndex)
{
    public bool Passed => Result is "PASS" or "SKIPPED";
}

/// <summary>Input of the per-stage activity.</summary>
public sealed record StageRequest(string ReleaseId, string Stage);

/// <summary>An operator's control of a running release, raised as the <see cref="ReleaseEvents.Control"/> event by the API once authorized.</summary>
/// <param name="Action">pause, resume, promote (next step), promote-full, abort.</param>
public sealed record ReleaseControl(string Action, string Actor, string Reason);

/// <summary>An approval's decision, as the approval notifier raises it.</summary>
public sealed record ApprovalDecision(string approval_id, string state, string? decided_by, IReadOnlyList<string>? reason_codes, long ledger_index);

public static class ReleaseEvents
{
    public const string Control = "control";
    public const string Approval = "approval";
}

public static class ReleaseControls
{
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Promote = "promote";
    public const string PromoteFull = "promote-full";
    public const string Abort = "abort";

    public static readonly IReadOnlyList<string> All = [Pause, Resume, Promote, PromoteFull, Abort];
}

/// <summary>Input of the canary's weight activity.</summary>
public sealed record WeightRequest(string ReleaseId, int Step, int WeightBasisPoints, string Reason);

/// <summary>
/// Input of the analysis activity: which step, which look, and the window it judges (orchestration time).
/// <paramref name="GuardRailsOnly"/>: at 100% (and in the final watch) every decision is the canary's, so there is no
/// baseline to compare with; the look judges the guard rails alone, as seed 001's final check does.
/// </summary>
public sealed record AnalysisRequest(string ReleaseId, int Step, int Look, DateTime WindowStart, DateTime WindowEnd, bool Final, bool GuardRailsOnly = false);

/// <summary>
/// The analysis activity's answer: CONTINUE, PROMOTE, ROLLBACK or INCONCLUSIVE, why, and where its full record
/// (every metric's values, sample sizes, statistics and verdicts) is in the ledger.
/// </summary>
public sealed record AnalysisOutcome(string AnalysisId, string Decision, IReadOnlyList<string> ReasonCodes, string Summary, long LedgerIndex);

/// <summary>Input of the Rollback orchestration.</summary>
public sealed record RollbackRequest(string ReleaseId, string Environment, string Trigger, IReadOnlyList<string> ReasonCodes, int MaxRollbackSeconds);

/// <summary>What the rollback did: the split record that returned traffic, who acknowledged it and how long it took from trigger to last acknowledgement.</summary>
public sealed record RollbackResult(string Result, long SplitSequence, IReadOnlyList<string> Acknowledged, IReadOnlyList<string> Missing, double TriggerToAckMs,
    bool Healthy, IReadOnlyList<string> ReasonCodes);

/// <summary>The rollback's revert activity's answer.</summary>
public sealed record RevertOutcome(long SplitSequence, DateTime RevertedAt);

/// <summary>Input of the acknowledgement wait: which split record, from when, and the policy's limit.</summary>
public sealed record AcknowledgementWait(string ReleaseId, string Environment, long SplitSequence, DateTime TriggeredAt, int MaxRollbackSeconds);

/// <summary>The acknowledgement wait's answer.</summary>
public sealed record AcknowledgementOutcome(bool Complete, IReadOnlyList<string> Acknowledged, IReadOnlyList<string> Missing, double TriggerToAckMs);

/// <summary>
/// What the canary ended in: PROMOTED (every step passed, the final watch too) or ROLLED_BACK, with the codes and the
/// rollback; <see cref="ApprovalId"/> is the approval given before the last approved step, which the pointer switch uses.
/// </summary>
public sealed record CanaryResult(string Result, IReadOnlyList<string> ReasonCodes, int StepsCompleted, RollbackResult? Rollback, IReadOnlyList<AnalysisOutcome> Analyses,
    string? ApprovalId);

/// <summary>What the pipeline ended in (the deploy event's result) and every stage's outcome.</summary>
public sealed record PipelineResult(string ReleaseId, string Result, IReadOnlyList<string> ReasonCodes, IReadOnlyList<StageOutcome> Stages, CanaryResult? Canary,
    long DeployEventIndex);

/// <summary>Input of the deploy-event activity (Audit Record): the run's result and its codes.</summary>
public sealed record DeployEventRequest(string ReleaseId, string Result, IReadOnlyList<string> ReasonCodes, IReadOnlyList<StageOutcome> Stages, CanaryResult? Canary);

/// <summary>The approval-request activity's input and answer.</summary>
public sealed record ApprovalRequest(string ReleaseId, string Purpose, string InstanceId);
public sealed record ApprovalRequested(string ApprovalId);

/// <summary>Input of the incident-opening activity.</summary>
public sealed record IncidentOpen(string Class, string Severity, string Environment, string Summary, IReadOnlyList<string> ReasonCodes, string ReleaseId);
