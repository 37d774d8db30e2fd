using Microsoft.AspNetCore.Http;
using Tollgate.Durable;
using Tollgate.Governance;
using Tollgate.Host.Markets;
using Tollgate.Ledger;

namespace Tollgate.Host.Api;

/// <summary>The error body of every refused request.</summary>
public sealed record ApiError(string Reason, string Message);

/// <summary>The one place a reason code becomes an HTTP status.</summary>
public static class ApiErrors
{
    public static int StatusFor(string reason) => reason switch
    {
        DurableReason.OrchestratorNotFound or DurableReason.InstanceNotFound => StatusCodes.Status404NotFound,
        DurableReason.InstanceExists or DurableReason.InstanceNotRunning or ApiReasons.InstanceNotEnded => StatusCodes.Status409Conflict,
        DurableReason.InputTooLarge => StatusCodes.Status413PayloadTooLarge,
        LedgerReason.NotFound or "BUNDLE_NOT_FOUND" => StatusCodes.Status404NotFound,
        "BUNDLE_TOO_LARGE" => StatusCodes.Status413PayloadTooLarge,
        LedgerReason.KeyConflict => StatusCodes.Status409Conflict,
        LedgerReason.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ApiReasons.StorageUnavailable or LedgerReason.Unavailable or LedgerReason.Closed => StatusCodes.Status503ServiceUnavailable,
        ApiReasons.InternalError => StatusCodes.Status500InternalServerError,
        LedgerReason.Screened => StatusCodes.Status400BadRequest,
        GovernanceReasons.BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        GovernanceReasons.TokenMissing or GovernanceReasons.TokenInvalid or GovernanceReasons.TokenExpired or GovernanceReasons.WrongAudience
            or GovernanceReasons.WrongIssuer or GovernanceReasons.BadSignature or GovernanceReasons.WebhookSignature => StatusCodes.Status401Unauthorized,
        GovernanceReasons.RoleDenied or GovernanceReasons.SharedAccount or GovernanceReasons.FourEyes or GovernanceReasons.WrongApprover
            or GovernanceReasons.ActorMismatch
            => StatusCodes.Status403Forbidden,
        GovernanceReasons.MapNotFound or GovernanceReasons.MapMissing or GovernanceReasons.EvaluationNotFound or GovernanceReasons.ApprovalNotFound
            or GovernanceReasons.UnknownGate => StatusCodes.Status404NotFound,
        GovernanceReasons.MapConflict or GovernanceReasons.MapAlreadyActive or GovernanceReasons.MapNoPrevious or GovernanceReasons.MapWrongEnvironment
            or GovernanceReasons.ApprovalRequired or GovernanceReasons.BlockedByVeto or GovernanceReasons.BlockedByReturn or GovernanceReasons.BlockedByGate
            or GovernanceReasons.NotPending or GovernanceReasons.ChallengeExpired or GovernanceReasons.ChallengeUsed or GovernanceReasons.ChallengeInvalid
            or GovernanceReasons.NoChallenge or GovernanceReasons.SubjectMismatch or GovernanceReasons.ApprovalConflict or GovernanceReasons.KillConflict
            => StatusCodes.Status409Conflict,
        GovernanceReasons.AuditUnavailable or GovernanceReasons.KillSwitchUnavailable => StatusCodes.Status503ServiceUnavailable,
        MarketReasons.UnknownInstrument or MarketReasons.PlaneOff => StatusCodes.Status404NotFound,
        MarketReasons.NotRunning => StatusCodes.Status503ServiceUnavailable,
        Execution.ExecutionApiReasons.Off or Execution.ExecutionApiReasons.UnknownOrder => StatusCodes.Status404NotFound,
        Execution.ExecutionApiReasons.NotRunning => StatusCodes.Status503ServiceUnavailable,
        Release.ReleaseApiReasons.NotFound or GovernanceReasons.SplitNone => StatusCodes.Status404NotFound,
        Release.ReleaseApiReasons.NotRunning or GovernanceReasons.SplitConflict => StatusCodes.Status409Conflict,
        // INVALID_INSTANCE_ID, INVALID_EVENT_NAME, MALFORMED_JSON, INVALID_START_TIME and every other INVALID_*.
        _ => StatusCodes.Status400BadRequest,
    };

    public static IResult Result(string reason, string message)
        => Results.Json(new ApiError(reason, message), ApiJson.Options, statusCode: StatusFor(reason));

    public static IResult Result(string reason, string message, int status)
        => Results.Json(new ApiError(reason, message), ApiJson.Options, statusCode: status);

    public static IResult Result(GovernanceException refused) => Result(refused.Reason, refused.Message);

    public static IResult Result(DurableClientException refused) => Result(refused.Reason, refused.Message);

    public static IResult Result(LedgerException refused) => Result(refused.Reason, refused.Message);
}
