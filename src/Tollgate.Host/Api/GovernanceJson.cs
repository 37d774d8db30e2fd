using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Governance.Secrets;
using Tollgate.Governance.Requests;

namespace Tollgate.Host.Api;

/// <summary>
/// The governance API's JSON: snake_case like the ledger it records into (<c>reason_codes</c>, <c>evaluation_id</c>),
/// enums as names. Request bodies are read strictly (<see cref="RequestObject"/>): unknown members are refused.
/// </summary>
public static class GovernanceJson
{
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static IResult Ok(object value) => Results.Json(value, Options);

    public static IResult Created(object value) => Results.Json(value, Options, statusCode: StatusCodes.Status201Created);

    /// <summary>The body as a strict JSON object with only <paramref name="members"/>; refusals are thrown as governance errors.</summary>
    public static async Task<RequestObject> ReadAsync(HttpContext http, params string[] members)
    {
        var body = await RequestBody.ReadBytesAsync(http.Request, MaxBodyBytes, http.RequestAborted);
        if (body.Refusal is not null)
            throw new Governance.GovernanceException(Governance.GovernanceReasons.BodyTooLarge, $"The body is over the limit of {MaxBodyBytes} bytes.");
        if (http.RequestServices.GetRequiredService<SecretRedactor>().Finds(body.Bytes.Span))
            throw new Governance.GovernanceException(Governance.GovernanceReasons.SecretInInput,
                "The body carries a secret value; nothing was done, and it was not recorded.");
        return RequestObject.Parse(body.Bytes.Span.IsEmpty ? "{}"u8 : body.Bytes.Span, members);
    }

    public static string Route(HttpContext http, string name) => http.Request.RouteValues[name]?.ToString() ?? "";
}
