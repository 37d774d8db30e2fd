using Tollgate.Governance.Audit;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Durable;
using Tollgate.Governance;
using Tollgate.Governance.Identity;
using Tollgate.Host.Api;
using Tollgate.Host.Functions;
using Tollgate.Host.Security;
using Tollgate.Release.Releases;
using Tollgate.Workflows.Release;

namespace Tollgate.Host.Release;

/// <summary>
/// Releases over HTTP: <c>POST /api/releases</c> (CI's call, or <c>tollgate release start</c>) registers a release and
/// starts its <see cref="DeployPipeline"/>; <c>GET /api/releases/{id}</c> shows its stages, canary step and weight, and
/// every analysis with its per-metric values; <c>POST /api/releases/{id}/{action}</c> steers the canary (pause,
/// resume, promote, promote-full, abort), each authorized here and recorded by the orchestration with its actor.
/// </summary>
public sealed class ReleaseApi(ReleaseServices services, DurableTaskClient client, TimeProvider clock) : IFunctionModule
{
    private const int MaxBodyBytes = 64 * 1024;

    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("releases-start", "releases", ["POST"], FunctionAccess.Requires(GovernanceAction.StartRelease), StartAsync))
        .Add(FunctionDefinition.Http("releases-list", "releases", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadReleases), ListAsync))
        .Add(FunctionDefinition.Http("releases-get", "releases/{id}", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadReleases), GetAsync))
        .Add(FunctionDefinition.Http("releases-abort", "releases/{id}/abort", ["POST"], FunctionAccess.Requires(GovernanceAction.AbortRelease),
            http => ControlAsync(http, ReleaseControls.Abort)))
        .Add(FunctionDefinition.Http("releases-control", "releases/{id}/{action}", ["POST"], FunctionAccess.Requires(GovernanceAction.ControlRelease),
            http => ControlAsync(http, GovernanceJson.Route(http, "action"))));

    private async Task<IResult> StartAsync(HttpContext http)
    {
        var body = await RequestBody.ReadJsonAsync(http.Request, MaxBodyBytes, http.RequestAborted);
        if (body.Refusal is { } refused) return refused;
        var caller = CallerIdentity.Of(http);
        ReleaseRequest request;
        try
        {
            request = ReleaseRequestReader.Parse(body.Value ?? default, caller.Subject, clock.GetUtcNow());
            var candidate = await services.Governance.VersionMaps.GetAsync(request.CandidateMap, http.RequestAborted);
            if (candidate.Map.Environment.ToString() != request.Environment)
                throw new ReleaseRequestException(ReleaseRequestReasons.MapInvalid, [$"map {request.CandidateMap} was registered for {candidate.Map.Environment}, not {request.Environment}"]);
            var policy = await services.PolicyOfAsync(candidate.Map, http.RequestAborted);
            if (policy.Kind != request.Kind)
                throw new ReleaseRequestException(ReleaseRequestReasons.PolicyInvalid, [$"policy {policy.Name} governs {policy.Kind} releases, the request is a {request.Kind} release"]);
            // CI's gate inputs are read now as the gate API reads them: a bad document index is refused here, not in Verify.
            PreparationStages.GateRequestOf(new ReleaseContext(request, candidate.Map.Environment, candidate.Map, policy));
        }
        catch (ReleaseRequestException e)
        {
            return ApiErrors.Result(e.Code, string.Join("; ", e.Problems));
        }
        catch (GovernanceException e) when (e.Reason == GovernanceReasons.MapNotFound)
        {
            return ApiErrors.Result(ReleaseRequestReasons.MapInvalid, e.Message, StatusCodes.Status400BadRequest);
        }
        var created = await services.Records.TryAddAsync(request, http.RequestAborted);
        if (created)
            await client.ScheduleNewOrchestrationInstanceAsync(DeployPipeline.Name, new ReleaseStart(request.ReleaseId, caller.Subject),
                new StartOrchestrationOptions(request.ReleaseId), http.RequestAborted);
        var view = new { release_id = request.ReleaseId, existing = !created, instance_id = request.ReleaseId, status = $"/api/releases/{request.ReleaseId}" };
        return created ? GovernanceJson.Created(view) : GovernanceJson.Ok(view);
    }

    private async Task<IResult> ListAsync(HttpContext http)
    {
        var ids = await services.Records.ListAsync(100, http.RequestAborted);
        var items = new List<object>();
        foreach (var id in ids)
        {
            var instance = await client.GetInstanceAsync(id, cancellationToken: http.RequestAborted);
            items.Add(new { release_id = id, status = instance?.RuntimeStatus.ToString(), progress = Progress(instance) });
        }
        return GovernanceJson.Ok(new { releases = items });
    }

    private async Task<IResult> GetAsync(HttpContext http)
    {
        var id = GovernanceJson.Route(http, "id");
        var request = await services.Records.FindAsync(id, http.RequestAborted);
        if (request is null) return ApiErrors.Result(ReleaseApiReasons.NotFound, $"No release '{RequestObjectText(id)}'.");
        var pipeline = await client.GetInstanceAsync(id, getInputsAndOutputs: true, http.RequestAborted);
        var canary = await client.GetInstanceAsync($"{id}:canary", cancellationToken: http.RequestAborted);
        var rollback = await client.GetInstanceAsync($"{id}:rollback", getInputsAndOutputs: true, http.RequestAborted);
        var stages = new List<object>();
        foreach (var stage in ReleaseStages.All.Append("SWITCH"))
            if (await services.FindOwnAsync(PreparationStages.StageKey(id, stage), http.RequestAborted) is { } index)
            {
                var p = (await services.Governance.Audit.ReadAsync(index, http.RequestAborted)).PayloadOf();
                stages.Add(new { stage, result = p.GetProperty("result").GetString(), reason_codes = p.GetProperty("reason_codes"), facts = p.GetProperty("facts"), ledger_index = index });
            }
        var analyses = await services.Records.AnalysesAsync(id, http.RequestAborted);
        var analysisViews = new List<object>();
        foreach (var a in analyses)
        {
            var entry = (await services.Governance.Audit.ReadAsync(a.LedgerIndex, http.RequestAborted)).PayloadOf();
            analysisViews.Add(new { a.AnalysisId, a.Step, a.Look, a.WindowStart, a.WindowEnd, a.Decision, a.ReasonCodes, a.Summary, a.RecordSha256, a.LedgerIndex,
                metrics = entry.GetProperty("metrics"), guard_rails = entry.GetProperty("guard_rails"), score = entry.GetProperty("score") });
        }
        var deploy = await services.FindOwnAsync($"deploy:{id}", http.RequestAborted) is { } deployIndex
            ? (object)new { ledger_index = deployIndex, payload = (await services.Governance.Audit.ReadAsync(deployIndex, http.RequestAborted)).PayloadOf() }
            : null;
        var approvals = new List<object>();
        foreach (var (approvalId, purpose) in await services.Records.ApprovalsAsync(id, http.RequestAborted))
        {
            var approval = await services.Governance.Approvals.GetAsync(approvalId, http.RequestAborted);
            approvals.Add(new { approval_id = approvalId, purpose, state = approval.State.ToString().ToUpperInvariant(), decided_by = approval.DecidedBy });
        }
        var split = await services.Governance.Splits.CurrentAsync(Enum.Parse<Governance.Environments.DeploymentEnvironment>(request.Environment), http.RequestAborted);
        return GovernanceJson.Ok(new
        {
            release = JsonDocument.Parse(request.ToJson().ToJsonString()).RootElement,
            status = pipeline?.RuntimeStatus.ToString(),
            progress = Progress(canary is { IsRunning: true } ? canary : pipeline),
            canary_status = canary?.RuntimeStatus.ToString(),
            result = pipeline?.IsCompleted == true && pipeline.SerializedOutput is { } output ? JsonDocument.Parse(output).RootElement : (JsonElement?)null,
            failure = pipeline?.FailureDetails?.ErrorMessage,
            stages,
            split = split?.ReleaseId == id ? new { split.Sequence, Action = split.Action.ToString().ToUpperInvariant(), split.StableMap, split.CanaryMap, weight_pct = split.WeightPercent } : null,
            approvals,
            analyses = analysisViews,
            rollback = rollback?.IsCompleted == true && rollback.SerializedOutput is { } rolled ? JsonDocument.Parse(rolled).RootElement : (JsonElement?)null,
            deploy_event = deploy,
        });
    }

    private async Task<IResult> ControlAsync(HttpContext http, string action)
    {
        var id = GovernanceJson.Route(http, "id");
        if (!ReleaseControls.All.Contains(action))
            return ApiErrors.Result(ReleaseApiReasons.UnknownAction, $"'{RequestObjectText(action)}' is not one of {string.Join(", ", ReleaseControls.All)}.");
        var caller = CallerIdentity.Of(http);
        var body = await GovernanceJson.ReadAsync(http, "reason");
        var reason = body.Text("reason");
        if (await services.Records.FindAsync(id, http.RequestAborted) is null) return ApiErrors.Result(ReleaseApiReasons.NotFound, $"No release '{RequestObjectText(id)}'.");
        var canary = await client.GetInstanceAsync($"{id}:canary", cancellationToken: http.RequestAborted);
        if (canary is not { IsRunning: true })
            return ApiErrors.Result(ReleaseApiReasons.NotRunning,
                $"Release {id} has no running canary ({canary?.RuntimeStatus.ToString() ?? "not started"}): controls apply while it runs; before it, refuse the approval.");
        await client.RaiseEventAsync($"{id}:canary", ReleaseEvents.Control, new ReleaseControl(action, caller.Subject, reason), http.RequestAborted);
        return GovernanceJson.Ok(new { release_id = id, action, actor = caller.Subject, accepted = true });
    }

    private static object? Progress(OrchestrationMetadata? instance) =>
        instance?.SerializedCustomStatus is { } status ? JsonDocument.Parse(status).RootElement : null;

    private static string RequestObjectText(string text) => Governance.Requests.RequestObject.Printable(text.Length > 64 ? text[..64] : text);
}
