namespace Tollgate.Host.Api;

/// <summary>
/// The HTTP API's own refusal codes, beside the engine's <see cref="Tollgate.Durable.DurableReason"/> codes.
/// Every refusal answers <c>{ "reason": CODE, "message": "..." }</c> and changes nothing.
/// </summary>
public static class ApiReasons
{
    public const string MalformedJson = "MALFORMED_JSON";
    public const string InvalidStartTime = "INVALID_START_TIME";
    public const string InstanceNotEnded = "INSTANCE_NOT_ENDED";
    public const string InvalidStatus = "INVALID_STATUS";
    public const string InvalidTimeRange = "INVALID_TIME_RANGE";
    public const string InvalidPageSize = "INVALID_PAGE_SIZE";
    public const string InvalidContinuationToken = "INVALID_CONTINUATION_TOKEN";
    public const string InvalidQueryParameter = "INVALID_QUERY_PARAMETER";
    public const string StorageUnavailable = "STORAGE_UNAVAILABLE";
    public const string InternalError = "INTERNAL_ERROR";
}
