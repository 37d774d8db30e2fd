using Microsoft.AspNetCore.Http;
using Tollgate.Durable;
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
        // INVALID_INSTANCE_ID, INVALID_EVENT_NAME, MALFORMED_JSON, INVALID_START_TIME and every other INVALID_*.
        _ => StatusCodes.Status400BadRequest,
    };

    public static IResult Result(string reason, string message)
        => Results.Json(new ApiError(reason, message), ApiJson.Options, statusCode: StatusFor(reason));

    public static IResult Result(DurableClientException refused) => Result(refused.Reason, refused.Message);

    public static IResult Result(LedgerException refused) => Result(refused.Reason, refused.Message);
}
