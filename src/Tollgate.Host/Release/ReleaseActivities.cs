using Tollgate.Host.Api;
using Tollgate.Governance.Audit;
using System.Globalization;
using System.Text.Json.Nodes;
using Tollgate.Durable;
using Tollgate.Governance;
using Tollgate.Governance.Approvals;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Rollouts;
using Tollgate.Ledger.Entries;
using Tollgate.Release.Canary;
using Tollgate.Release.Metrics;
using Tollgate.Release.Policy;
using Tollgate.Workflows.Release;

namespace Tollgate.Host.Release;

/// <summary>
/// The activities of the release orchestrations. Every one with an effect is idempotent by key: ledger entries
/// have stable keys (a retry finds the first attempt's entry), split changes check the current record first, and
/// the pointer switch checks the active map first.
/// </summary>
public sealed class ReleaseActivities(ReleaseServices services, PreparationStages stages)
{
    public void Register(DurableTaskRegistry registry)
    {
        registry.AddActivity<ReleaseStart, ReleasePlan>(ReleaseActivityNames.Plan, (_, start, ct) => PlanAsync(start!, ct));
        registry.AddActivity<StageRequest, StageOutcome>(ReleaseActivityNames.RunStage, (_, request, ct) => stages.RunAsync(request!, ct));
        registry.AddActivity<StageRecord, StageOutcome>(ReleaseActivityNames.RecordStage, (_, record, ct) => RecordStageAsync(record!, ct));
        registry.AddActivity<ControlRecord, long>(ReleaseActivityNames.RecordControl, (context, record, ct) => RecordControlAsync(context, record!, ct));
        registry.AddActivity<ApprovalRequest, ApprovalRequested>(ReleaseActivityNames.RequestApproval, (context, request, ct) => RequestApprovalAsync(context, request!, ct));
        registry.AddActivity<WeightRequest, long>(ReleaseActivityNames.SetWeight, (_, request, ct) => SetWeightAsync(request!, ct));
        registry.AddActivity<AnalysisRequest, AnalysisOutcome>(ReleaseActivityNames.Analyze, (_, request, ct) => new CanaryAnalysis(services).RunAsync(request!, ct));
        registry.AddActivity<CompleteRequest, StageOutcome>(ReleaseActivityNames.Complete, (_, request, ct) => CompleteAsync(request!, ct));
        registry.AddActivity<RollbackRequest, RevertOutcome>(ReleaseActivityNames.RevertTraffic, (_, request, ct) => RevertAsync(request!, ct));
        registry.AddActivity<AcknowledgementWait, AcknowledgementOutcome>(ReleaseActivityNames.AwaitAcknowledgements, (_, wait, ct) => AwaitAcknowledgementsAsync(wait!, ct));
        registry.AddActivity<string, bool>(ReleaseActivityNames.VerifyHealth, async (_, _, ct) => (await services.Health.CheckAsync(ct)).Status != HealthApi.Fail);
        registry.AddActivity<KillRequest, long>(ReleaseActivityNames.EngageKillSwitch, (_, request, ct) => EngageAsync(request!, ct));
        registry.AddActivity<IncidentOpen, long>(ReleaseActivityNames.OpenIncident, (context, incident, ct) => OpenIncidentAsync(context, incident!, ct));
        registry.AddActivity<DeployEventRequest, StageOutcome>(ReleaseActivityNames.WriteDeployEvent, (_, request, ct) => new DeployEventWriter(services).WriteAsync(request!, ct));
    }

    private async Task<ReleasePlan> PlanAsync(ReleaseStart start, CancellationToken cancellationToken)
    {
        var release = await services.ContextAsync(start.ReleaseId, cancellationToken);
        var policy = release.Policy;
        var needsSwitchApproval = EnvironmentCatalog.Profile(release.Environment).RequiresApproval;
        // The pointer switch at the end needs an approval where the environment does: the step to 100% waits for it.
        var steps = policy.Steps.Select((s, i) => new PlanStep(s.WeightBasisPoints, (int)s.Watch.TotalSeconds,
            s.ApprovalBefore || (needsSwitchApproval && i == policy.Steps.Count - 1))).ToList();
        return new ReleasePlan(release.Request.ReleaseId, release.Request.Environment, policy.Kind == ReleaseKind.Code ? "code" : "config_bundle",
            release.Candidate.Id, policy.Rev, steps, (int)policy.AnalysisInterval.TotalSeconds, (int)policy.FinalWatch.TotalSeconds,
            policy.OnInconclusive == InconclusiveAction.Abort ? "abort" : "pause", (int)policy.MaxRollbackTime.TotalSeconds, policy.ApprovalBeforeActivate,
            (int)policy.ApprovalTimeout.TotalSeconds, release.Request.RequestedBy);
    }

    private async Task<StageOutcome> RecordStageAsync(StageRecord record, CancellationToken cancellationToken)
    {
        var release = await services.ContextAsync(record.ReleaseId, cancellationToken);
        return await PreparationStages.RecordAsync(services, release, record.Stage, record.Result, record.ReasonCodes, record.Facts, cancellationToken);
    }

    private async Task<long> RecordControlAsync(TaskActivityContext context, ControlRecord record, CancellationToken cancellationToken)
    {
        var release = await services.ContextAsync(record.ReleaseId, cancellationToken);
        var payload = new JsonObject
        {
            ["release_id"] = record.ReleaseId, ["stage"] = $"CONTROL_{record.Control.Action.ToUpperInvariant().Replace('-', '_')}", ["result"] = "PASS",
            ["reason_codes"] = new JsonArray(),
            ["facts"] = new JsonObject
            {
                ["actor"] = record.Control.Actor, ["reason"] = record.Control.Reason, ["step"] = record.Step.ToString(CultureInfo.InvariantCulture),
                ["was_paused"] = record.WasPaused ? "true" : "false",
            },
        };
        return await services.AppendOnceAsync(services.Entry(LedgerKinds.ReleaseStage, $"release:{record.ReleaseId}:control:{context.IdempotencyKey}", release, payload), cancellationToken);
    }

    private async Task<ApprovalRequested> RequestApprovalAsync(TaskActivityContext context, ApprovalRequest request, CancellationToken cancellationToken)
    {
        var release = await services.ContextAsync(request.ReleaseId, cancellationToken);
        // One approval per request of the orchestration: a retried activity finds the one its first attempt opened.
        var key = $"release:{request.ReleaseId}:approval:{context.IdempotencyKey}";
        if (await services.FindOwnAsync(key, cancellationToken) is { } index)
            return new ApprovalRequested((await services.Governance.Audit.ReadAsync(index, cancellationToken)).PayloadOf().GetProperty("facts").GetProperty("approval_id").GetString()!);
        var approval = await services.Governance.Approvals.RequestAsync(ReleaseServices.Principal,
            new ApprovalSubject(SubjectKind.ActivateVersionMap, release.Environment, release.Candidate.Id), release.Request.RequestedBy, request.ReleaseId,
            request.InstanceId, $"release {request.ReleaseId} ({release.Policy.Name}): {request.Purpose}", cancellationToken);
        await services.AppendOnceAsync(services.Entry(LedgerKinds.ReleaseStage, key, release, new JsonObject
        {
            ["release_id"] = request.ReleaseId, ["stage"] = "APPROVAL_REQUESTED", ["result"] = "PASS", ["reason_codes"] = new JsonArray(),
            ["facts"] = new JsonObject { ["approval_id"] = approval.Id, ["purpose"] = request.Purpose },
        }, approval.Id), cancellationToken);
        await services.Records.AddApprovalAsync(request.ReleaseId, approval.Id, request.Purpose, services.Clock.GetUtcNow(), cancellationToken);
        return new ApprovalRequested(approval.Id);
    }

    private async Task<long> SetWeightAsync(WeightRequest request, CancellationToken cancellationToken)
    {
        var release = await services.ContextAsync(request.ReleaseId, cancellationToken);
        var current = await services.SplitAsync(release, cancellationToken);
        if (current is { IsActive: true } && current.ReleaseId == request.ReleaseId && current.WeightBasisPoints == request.WeightBasisPoints && current.Action == SplitAction.Weight)
            return current.Sequence; // set by this activity's first attempt
        var split = await services.Governance.Splits.SetWeightAsync(ReleaseServices.Principal, release.Environment, request.ReleaseId, request.WeightBasisPoints,
            request.Reason, current?.Sequence ?? 0, cancellationToken);
        return split.Sequence;
    }

    private async Task<StageOutcome> CompleteAsync(CompleteRequest request, CancellationToken cancellationToken)
    {
        var release = await services.ContextAsync(request.ReleaseId, cancellationToken);
        var facts = new Dictionary<string, string> { ["to_map"] = release.Candidate.Id };
        try
        {
            var split = await services.SplitAsync(release, cancellationToken);
            var active = await services.Governance.VersionMaps.FindActiveAsync(release.Environment, cancellationToken);
            if (active?.Map.Id != release.Candidate.Id)
            {
                var switched = await services.Governance.VersionMaps.ActivateAsync(ReleaseServices.Principal, release.Environment, release.Candidate.Id,
                    $"release {request.ReleaseId} promoted: every canary step and the final watch passed", split?.StableMap, checkExpected: true,
                    request.ApprovalId, cancellationToken);
                facts["switch_ledger_index"] = switched.LedgerIndex.ToString(CultureInfo.InvariantCulture);
            }
            if (split is { IsActive: true } && split.ReleaseId == request.ReleaseId)
            {
                var completed = await services.Governance.Splits.CompleteAsync(ReleaseServices.Principal, release.Environment, request.ReleaseId,
                    "the candidate is the Active Version Map", split.Sequence, cancellationToken);
                facts["split_sequence"] = completed.Sequence.ToString(CultureInfo.InvariantCulture);
            }
            return await PreparationStages.RecordAsync(services, release, "SWITCH", "PASS", [], facts, cancellationToken);
        }
        catch (GovernanceException e)
        {
            facts["problem"] = e.Message;
            return await PreparationStages.RecordAsync(services, release, "SWITCH", "FAIL", [e.Reason], facts, cancellationToken);
        }
    }

    private async Task<RevertOutcome> RevertAsync(RollbackRequest request, CancellationToken cancellationToken)
    {
        var began = services.Clock.GetUtcNow().UtcDateTime;
        var environment = Enum.Parse<DeploymentEnvironment>(request.Environment);
        var current = await services.Governance.Splits.CurrentAsync(environment, cancellationToken);
        if (current is null || current.ReleaseId != request.ReleaseId) return new RevertOutcome(current?.Sequence ?? 0, began); // never staged: nothing served it
        if (!current.IsActive) return new RevertOutcome(current.Sequence, began); // reverted by this activity's first attempt (or completed)
        var aborted = await services.Governance.Splits.AbortAsync(ReleaseServices.Principal, environment, request.ReleaseId,
            $"rollback ({request.Trigger}): {string.Join(", ", request.ReasonCodes)}", current.Sequence, cancellationToken);
        return new RevertOutcome(aborted.Sequence, began);
    }

    private async Task<AcknowledgementOutcome> AwaitAcknowledgementsAsync(AcknowledgementWait wait, CancellationToken cancellationToken)
    {
        var environment = Enum.Parse<DeploymentEnvironment>(wait.Environment);
        var deadline = new DateTimeOffset(DateTime.SpecifyKind(wait.TriggeredAt, DateTimeKind.Utc)).AddSeconds(wait.MaxRollbackSeconds);
        var state = await AcknowledgementWaiter.WaitAsync(services, environment, wait.SplitSequence, deadline, cancellationToken);
        var last = state.Acknowledged.Count == 0 ? services.Clock.GetUtcNow() : state.Acknowledged.Max(a => a.At);
        var elapsed = (last - new DateTimeOffset(DateTime.SpecifyKind(wait.TriggeredAt, DateTimeKind.Utc))).TotalMilliseconds;
        return new AcknowledgementOutcome(state.Complete, [.. state.Acknowledged.Select(a => a.HostId)], state.Missing, Math.Max(0, elapsed));
    }

    private async Task<long> EngageAsync(KillRequest request, CancellationToken cancellationToken)
    {
        var state = await services.KillSwitch.EngageAsync(ReleaseServices.Principal, Enum.Parse<DeploymentEnvironment>(request.Environment), request.Reason,
            request.ReasonCodes, cancellationToken);
        return state.Sequence;
    }

    private async Task<long> OpenIncidentAsync(TaskActivityContext context, IncidentOpen incident, CancellationToken cancellationToken)
    {
        var id = $"inc-{incident.ReleaseId}-{context.TaskId}";
        var payload = new JsonObject
        {
            ["incident_id"] = id, ["class"] = incident.Class, ["severity"] = incident.Severity, ["summary"] = incident.Summary,
            ["reason_codes"] = JsonFacts.Strings(incident.ReasonCodes), ["release_id"] = incident.ReleaseId, ["state"] = "OPEN",
        };
        var entry = LedgerEntry.Create(new LedgerEntryFields(LedgerKinds.Incident.Name, $"incident:{id}", services.Clock.GetUtcNow(), ReleaseServices.Principal.Subject,
            incident.ReleaseId, incident.Environment, [incident.ReleaseId]), payload);
        return await services.AppendOnceAsync(entry, cancellationToken);
    }
}
