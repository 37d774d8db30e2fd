namespace Tollgate.Governance;

/// <summary>
/// Every stable reason code governance answers with, and what it means (docs/GOVERNANCE.md prints this table; a
/// test keeps the two in step). Codes from the seeds keep their spelling: the stop-the-line codes of seed 000 §11.2
/// and the check codes a gate reports.
/// </summary>
public static class GovernanceReasons
{
    // Who is calling.
    public const string TokenMissing = "AUTH_TOKEN_MISSING";
    public const string TokenInvalid = "AUTH_TOKEN_INVALID";
    public const string TokenExpired = "AUTH_TOKEN_EXPIRED";
    public const string WrongAudience = "AUTH_WRONG_AUDIENCE";
    public const string WrongIssuer = "AUTH_WRONG_ISSUER";
    public const string BadSignature = "AUTH_BAD_SIGNATURE";
    public const string RoleDenied = "AUTH_ROLE_DENIED";
    public const string SharedAccount = "AUTH_SHARED_ACCOUNT";
    public const string WebhookSignature = "AUTH_WEBHOOK_SIGNATURE";
    public const string ActorMismatch = "AUTH_ACTOR_MISMATCH";

    // What the request says.
    public const string UnknownEnvironment = "ENV_UNKNOWN";
    public const string InvalidRequest = "GOV_INVALID_REQUEST";
    public const string SecretInInput = "GOV_SECRET_IN_INPUT";
    public const string BodyTooLarge = "GOV_BODY_TOO_LARGE";

    // Active Version Map.
    public const string MapNotFound = "VMAP_NOT_FOUND";
    public const string MapMissing = "VMAP_MISSING";
    public const string MapConflict = "VMAP_CONFLICT";
    public const string MapWrongEnvironment = "VMAP_WRONG_ENVIRONMENT";
    public const string MapAlreadyActive = "VMAP_ALREADY_ACTIVE";
    public const string MapNoPrevious = "VMAP_NO_PREVIOUS";
    public const string ApprovalRequired = "APPROVAL_REQUIRED";

    // Gates.
    public const string UnknownGate = "GATE_UNKNOWN";
    public const string EvaluationNotFound = "GATE_EVALUATION_NOT_FOUND";

    // Approvals.
    public const string ApprovalNotFound = "APPROVAL_NOT_FOUND";
    public const string FourEyes = "APPROVAL_FOUR_EYES";
    public const string BlockedByVeto = "APPROVAL_BLOCKED_BY_VETO";
    public const string BlockedByReturn = "APPROVAL_BLOCKED_BY_RETURN";
    public const string BlockedByGate = "APPROVAL_BLOCKED_BY_GATE";
    public const string NotPending = "APPROVAL_NOT_PENDING";
    public const string ChallengeInvalid = "APPROVAL_CHALLENGE_INVALID";
    public const string ChallengeExpired = "APPROVAL_CHALLENGE_EXPIRED";
    public const string ChallengeUsed = "APPROVAL_CHALLENGE_USED";
    public const string NoChallenge = "APPROVAL_NO_CHALLENGE";
    public const string WrongApprover = "APPROVAL_WRONG_APPROVER";
    public const string ReasonCodesRequired = "APPROVAL_REASON_CODES_REQUIRED";
    public const string SubjectMismatch = "APPROVAL_SUBJECT_MISMATCH";
    public const string ApprovalConflict = "APPROVAL_CONFLICT";

    // Kill switch.
    public const string KillConflict = "KILL_CONFLICT";

    // Traffic split (canary).
    public const string SplitConflict = "SPLIT_CONFLICT";
    public const string SplitInvalid = "SPLIT_INVALID";
    public const string SplitNone = "SPLIT_NONE";

    // Stop-the-line codes, seed 000 §11.2.
    public const string KillSwitchUnavailable = "EXE-KILL-01";
    public const string TokenChainBroken = "SYS-VERIFY";
    public const string ReconciliationFailed = "EXE-RECON-FAIL";
    public const string AuditUnavailable = "SYS-AUDIT";
    public const string ProvenanceBroken = "SYS-PROV";

    /// <summary>What each code means, for error bodies, the console and the documentation.</summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        [TokenMissing] = "no bearer token was sent",
        [TokenInvalid] = "the bearer token is not a valid token",
        [TokenExpired] = "the bearer token has expired or is not valid yet",
        [WrongAudience] = "the bearer token was issued for another audience",
        [WrongIssuer] = "the bearer token was issued by an issuer Tollgate does not trust",
        [BadSignature] = "the bearer token's signature does not verify",
        [RoleDenied] = "the caller's roles do not allow this action",
        [SharedAccount] = "a shared account may not act on a live-grade environment (seed 000 §8.1)",
        [WebhookSignature] = "the webhook's signature does not verify",
        [ActorMismatch] = "the record names another actor than the caller's token; nobody records acts in someone else's name",
        [UnknownEnvironment] = "not one of Research, Backtest, Simulation, Paper, Live",
        [InvalidRequest] = "the request body or a parameter is missing, malformed or out of range",
        [SecretInInput] = "the request carries a secret value, which must never reach the ledger",
        [BodyTooLarge] = "the request body is larger than the endpoint takes",
        [MapNotFound] = "no version map has this id",
        [MapMissing] = "the environment has no Active Version Map, which blocks (seed 000 §3.1)",
        [MapConflict] = "the Active Version Map moved since the caller looked; read it again",
        [MapWrongEnvironment] = "the version map was registered for another environment",
        [MapAlreadyActive] = "the version map is already the active one",
        [MapNoPrevious] = "there is no earlier map to roll back to",
        [ApprovalRequired] = "a live-grade environment needs an approved four-eyes approval for this",
        [UnknownGate] = "not one of VERSION_AUDIT, RISK_COMPLIANCE, EXECUTION_CONTROL, UI_SPEC",
        [EvaluationNotFound] = "no gate evaluation has this id",
        [ApprovalNotFound] = "no approval has this id",
        [FourEyes] = "the approver may be neither the requester nor the operator of what is approved",
        [BlockedByVeto] = "a VETO stands; nothing can approve this subject",
        [BlockedByReturn] = "a RETURN stands until the requester resubmits",
        [BlockedByGate] = "a release gate's latest verdict for this subject is VETO or RETURN",
        [NotPending] = "the approval is no longer open for this step",
        [ChallengeInvalid] = "the confirmation does not carry this approval's challenge",
        [ChallengeExpired] = "the challenge has expired; approve again for a new one",
        [ChallengeUsed] = "the challenge was already used",
        [NoChallenge] = "confirm needs a challenge from the approve step first",
        [WrongApprover] = "only the approver who received the challenge can confirm it",
        [ReasonCodesRequired] = "VETO and RETURN carry at least one reason code",
        [SubjectMismatch] = "the approval is for another subject",
        [ApprovalConflict] = "another decision on this approval landed at the same moment; read it again",
        [KillConflict] = "the kill switch changed at the same moment; read it again",
        [SplitConflict] = "the traffic split changed since the caller looked (another release step or rollback); read it again",
        [SplitInvalid] = "the traffic split asked for is not possible: weight outside 0-10000 basis points, or a map of another environment",
        [SplitNone] = "no canary is staged or running in this environment",
        [KillSwitchUnavailable] = "the kill switch cannot be triggered, reported or audited (stop the line)",
        [TokenChainBroken] = "the token verification chain failed (stop the line)",
        [ReconciliationFailed] = "reconciliation disagrees with the exchange (stop the line)",
        [AuditUnavailable] = "the audit ledger cannot be written (stop the line)",
        [ProvenanceBroken] = "data provenance is broken (stop the line)",
    };
}
