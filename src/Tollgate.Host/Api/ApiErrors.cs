using Microsoft.AspNetCore.Http;
using Tollgate.Durable;

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
        ApiReasons.StorageUnavailable => StatusCodes.Status503ServiceUnavailable,
        ApiReasons.InternalError => StatusCodes.Status500InternalServerError,
        // INVALID_INSTANCE_ID, INVALID_EVENT_NAME, MALFORMED_JSON, INVALID_START_TIME and every other INVALID_*.
        _ => StatusCodes.Status400BadRequest,
    };

    public static IResult Result(string reason, string message)
        => Results.Json(new ApiError(reason, message), ApiJson.Options, statusCode: StatusFor(reason));

    public static IResult Result(DurableClientException refused) => Result(refused.Reason, refused.Message);
}
