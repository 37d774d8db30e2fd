using Tollgate.Governance.Identity;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Durable;
using Tollgate.Durable.Worker;
using Tollgate.Host.Functions;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Api;

/// <summary>
/// The orchestration HTTP API: start, inspect, query, signal, control and purge instances. Every
/// request is checked before anything is written; a refusal answers a reason code and changes nothing.
/// </summary>
public sealed class OrchestrationApi(DurableTaskClient client, DurableWorkerOptions workerOptions, HostSettings settings) : IFunctionModule
{
    private const string Route = "orchestrations";

    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("orchestrations-start", $"{Route}/{{name}}", ["POST"], FunctionAccess.Requires(GovernanceAction.StartOrchestration), StartAsync))
        .Add(FunctionDefinition.Http("orchestrations-get", $"{Route}/{{id}}", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadOrchestrations), GetAsync))
        .Add(FunctionDefinition.Http("orchestrations-list", Route, ["GET"], FunctionAccess.Requires(GovernanceAction.ReadOrchestrations), ListAsync))
        .Add(FunctionDefinition.Http("orchestrations-raise-event", $"{Route}/{{id}}/events/{{eventName}}", ["POST"], FunctionAccess.Requires(GovernanceAction.ControlOrchestration), RaiseEventAsync))
        .Add(FunctionDefinition.Http("orchestrations-terminate", $"{Route}/{{id}}/terminate", ["POST"], FunctionAccess.Requires(GovernanceAction.ControlOrchestration), http => ControlAsync(http, client.TerminateInstanceAsync)))
        .Add(FunctionDefinition.Http("orchestrations-suspend", $"{Route}/{{id}}/suspend", ["POST"], FunctionAccess.Requires(GovernanceAction.ControlOrchestration), http => ControlAsync(http, client.SuspendInstanceAsync)))
        .Add(FunctionDefinition.Http("orchestrations-resume", $"{Route}/{{id}}/resume", ["POST"], FunctionAccess.Requires(GovernanceAction.ControlOrchestration), http => ControlAsync(http, client.ResumeInstanceAsync)))
        .Add(FunctionDefinition.Http("orchestrations-purge", $"{Route}/{{id}}", ["DELETE"], FunctionAccess.Requires(GovernanceAction.PurgeOrchestration), PurgeAsync));

    private async Task<IResult> StartAsync(HttpContext http)
    {
        var name = RouteValue(http, "name");
        var query = http.Request.Query;
        var instanceId = query.TryGetValue("instanceId", out var id) ? id.ToString() : null;
        DateTimeOffset? startAt = null;
        if (query.TryGetValue("startAt", out var startText))
        {
            if (!QueryValues.TryParseInstant(startText, out var at))
                return ApiErrors.Result(ApiReasons.InvalidStartTime, $"startAt '{startText}' is not an ISO 8601 time (e.g. 2030-01-31T09:00:00Z).");
            startAt = at;
        }

        var body = await RequestBody.ReadJsonAsync(http.Request, workerOptions.MaxPayloadBytes, http.RequestAborted);
        if (body.Refusal is { } refused) return refused;

        var started = await client.ScheduleNewOrchestrationInstanceAsync(name, body.Value, new StartOrchestrationOptions(instanceId, startAt), http.RequestAborted);
        var location = $"{http.Request.PathBase}/{settings.RoutePrefix}/{Route}/{Uri.EscapeDataString(started)}";
        var statusUri = $"{http.Request.Scheme}://{http.Request.Host}{location}";
        return Results.Accepted(location, new { id = started, statusUri });
    }

    private async Task<IResult> GetAsync(HttpContext http)
    {
        var showInput = false;
        if (http.Request.Query.TryGetValue("showInput", out var showText) && !QueryValues.TryParseBool(showText, out showInput))
            return ApiErrors.Result(ApiReasons.InvalidQueryParameter, $"showInput must be true or false, got '{showText}'.");
        var id = RouteValue(http, "id");
        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, http.RequestAborted);
        return instance is null
            ? ApiErrors.Result(DurableReason.InstanceNotFound, $"No instance '{id}'.")
            : Results.Json(OrchestrationView.From(instance, showInput), ApiJson.Options);
    }

    private async Task<IResult> ListAsync(HttpContext http)
    {
        var parsed = ParseListQuery(http.Request.Query, out var query);
        if (parsed is not null) return parsed;
        OrchestrationPage page;
        try
        {
            page = await client.QueryInstancesAsync(query, http.RequestAborted);
        }
        catch (Exception e) when (query.ContinuationToken is not null && e is FormatException or ArgumentException or JsonException)
        {
            return ApiErrors.Result(ApiReasons.InvalidContinuationToken, "continuationToken is not one this host issued.");
        }
        return Results.Json(new OrchestrationListView(page.Instances.Select(i => OrchestrationView.From(i, includeInput: false)).ToList(), page.ContinuationToken), ApiJson.Options);
    }

    private static IResult? ParseListQuery(IQueryCollection values, out OrchestrationQuery query)
    {
        query = new OrchestrationQuery();
        if (values.TryGetValue("status", out var statusValues))
        {
            var statuses = new List<OrchestrationRuntimeStatus>();
            foreach (var text in statusValues.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            {
                if (int.TryParse(text, out _) || !Enum.TryParse<OrchestrationRuntimeStatus>(text, ignoreCase: true, out var status))
                    return ApiErrors.Result(ApiReasons.InvalidStatus,
                        $"status '{text}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.");
                statuses.Add(status);
            }
            if (statuses.Count == 0) return ApiErrors.Result(ApiReasons.InvalidStatus, "status is empty.");
            query = query with { Statuses = statuses };
        }
        foreach (var (key, apply) in new (string, Func<OrchestrationQuery, DateTimeOffset, OrchestrationQuery>)[]
                 { ("createdFrom", (q, at) => q with { CreatedFrom = at }), ("createdTo", (q, at) => q with { CreatedTo = at }) })
        {
            if (!values.TryGetValue(key, out var text)) continue;
            if (!QueryValues.TryParseInstant(text, out var at))
                return ApiErrors.Result(ApiReasons.InvalidTimeRange, $"{key} '{text}' is not an ISO 8601 time.");
            query = apply(query, at);
        }
        if (query.CreatedFrom > query.CreatedTo)
            return ApiErrors.Result(ApiReasons.InvalidTimeRange, "createdFrom is after createdTo.");
        if (values.TryGetValue("prefix", out var prefix))
            query = query with { InstanceIdPrefix = prefix.ToString() };
        if (values.TryGetValue("pageSize", out var sizeText))
        {
            if (!int.TryParse(sizeText, out var size) || size is < 1 or > 1000)
                return ApiErrors.Result(ApiReasons.InvalidPageSize, $"pageSize must be a whole number from 1 to 1000, got '{sizeText}'.");
            query = query with { PageSize = size };
        }
        if (values.TryGetValue("continuationToken", out var token))
        {
            if (string.IsNullOrWhiteSpace(token)) return ApiErrors.Result(ApiReasons.InvalidContinuationToken, "continuationToken is empty.");
            query = query with { ContinuationToken = token.ToString() };
        }
        return null;
    }

    private async Task<IResult> RaiseEventAsync(HttpContext http)
    {
        var body = await RequestBody.ReadJsonAsync(http.Request, workerOptions.MaxPayloadBytes, http.RequestAborted);
        if (body.Refusal is { } refused) return refused;
        var id = RouteValue(http, "id");
        var eventName = RouteValue(http, "eventName");
        await client.RaiseEventAsync(id, eventName, body.Value, http.RequestAborted);
        return Results.Json(new { id, eventName }, ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>terminate / suspend / resume: an optional body <c>{ "reason": "..." }</c>.</summary>
    private async Task<IResult> ControlAsync(HttpContext http, Func<string, string?, CancellationToken, Task> control)
    {
        var body = await RequestBody.ReadJsonAsync(http.Request, workerOptions.MaxPayloadBytes, http.RequestAborted);
        if (body.Refusal is { } refused) return refused;
        string? reason = null;
        switch (body.Value)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                break;
            case { ValueKind: JsonValueKind.Object } value when !value.TryGetProperty("reason", out _):
                break;
            case { ValueKind: JsonValueKind.Object } value when value.GetProperty("reason").ValueKind is JsonValueKind.String or JsonValueKind.Null:
                reason = value.GetProperty("reason").GetString();
                break;
            default:
                return ApiErrors.Result(ApiReasons.MalformedJson, "The body must be empty or { \"reason\": \"...\" }.");
        }
        var id = RouteValue(http, "id");
        await control(id, reason, http.RequestAborted);
        return Results.Json(new { id }, ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private async Task<IResult> PurgeAsync(HttpContext http)
    {
        var id = RouteValue(http, "id");
        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: false, http.RequestAborted);
        if (instance is null) return ApiErrors.Result(DurableReason.InstanceNotFound, $"No instance '{id}'.");
        if (!instance.IsCompleted)
            return ApiErrors.Result(ApiReasons.InstanceNotEnded, $"Instance '{id}' is {instance.RuntimeStatus}; terminate it or let it end before purging.");
        var result = await client.PurgeInstanceAsync(id, http.RequestAborted);
        return Results.Json(new { purged = result.PurgedInstanceCount }, ApiJson.Options);
    }

    private static string RouteValue(HttpContext http, string name) => http.Request.RouteValues[name]?.ToString() ?? "";
}
