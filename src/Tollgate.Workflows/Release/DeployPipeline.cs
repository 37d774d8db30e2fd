using Tollgate.Durable;

namespace Tollgate.Workflows.Release;

/// <summary>
/// The nine-stage deploy pipeline of seed 000 §6.1 for one release, started by CI (<c>POST /api/releases</c>) or
/// <c>tollgate release start</c>: Build → Test → Package → Sign/Hash → Deploy → Verify, each one activity that
/// checks, records a <c>release_stage</c> ledger entry and answers PASS or FAIL with reason codes; then the
/// approval the policy asks for; Activate (the <see cref="CanaryProgression"/>, whose last window is the Monitor
/// stage's final watch at 100%); the pointer switch to the candidate; and Audit Record (the deploy event with every
/// field of seed 000 §6.2 and the release's replay bundle). A failure stops the line there; if the canary had any
/// weight it is rolled back; the deploy event is written whatever the result (SUCCESS, FAIL or ROLLED_BACK).
/// </summary>
public static class DeployPipeline
{
    public const string Name = "DeployPipeline";

    public static void Register(DurableTaskRegistry registry) => registry.AddOrchestrator<ReleaseStart, PipelineResult>(Name, RunAsync);

    public static async Task<PipelineResult> RunAsync(TaskOrchestrationContext context, ReleaseStart? start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var stages = new List<StageOutcome>();
        var total = ReleaseStages.All.Count;
        void Publish(string stage, string state, string? detail = null, string? waitingFor = null) =>
            context.SetCustomStatus(new ReleaseProgress(stage, stages.Count, total, detail ?? stage.ToLowerInvariant(), state, 0, 0, 0, null, waitingFor));

        Publish("PLAN", "RUNNING", "reading the release and its policy");
        var plan = await context.CallActivityAsync<ReleasePlan>(ReleaseActivityNames.Plan, start);

        foreach (var stage in ReleaseStages.Preparation)
        {
            Publish(stage, "RUNNING");
            var outcome = await context.CallActivityAsync<StageOutcome>(ReleaseActivityNames.RunStage, new StageRequest(plan.ReleaseId, stage));
            stages.Add(outcome);
            if (!outcome.Passed)
            {
                var codes = new List<string>([.. outcome.ReasonCodes, ReleaseReasons.StageFailed]);
                if (stages.Any(s => s.Stage == ReleaseStages.Deploy && s.Passed))
                {
                    // Staged but never served: the split returns to the stable map alone, acknowledged like any rollback.
                    var unstaged = await context.CallSubOrchestratorAsync<RollbackResult>(ReleaseRollback.Name,
                        new RollbackRequest(plan.ReleaseId, plan.Environment, $"{stage} failed", outcome.ReasonCodes, plan.MaxRollbackSeconds),
                        new SubOrchestrationOptions(instanceId: $"{plan.ReleaseId}:rollback"));
                    codes.AddRange(unstaged.ReasonCodes);
                }
                return await FinishAsync(context, plan, "FAIL", codes, stages, null);
            }
        }

        if (plan.ApprovalBeforeActivate)
        {
            Publish(ReleaseStages.Approval, "WAITING", "four-eyes approval before Activate", "a Trader's two-step approval");
            var approval = await ReleaseApprovals.AwaitAsync(context, plan, "before Activate");
            stages.Add(await RecordAsync(context, plan, ReleaseStages.Approval, approval.RefusedWith is null ? "PASS" : "FAIL", approval.RefusedWith ?? [],
                new Dictionary<string, string> { ["approval_id"] = approval.ApprovalId }));
            if (approval.RefusedWith is { } refused) return await FinishAsync(context, plan, "FAIL", refused, stages, null);
        }
        else
        {
            stages.Add(await RecordAsync(context, plan, ReleaseStages.Approval, "SKIPPED", [],
                new Dictionary<string, string> { ["why"] = "the policy asks for no approval before Activate" }));
        }

        Publish(ReleaseStages.Activate, "RUNNING", "canary");
        var canary = await context.CallSubOrchestratorAsync<CanaryResult>(CanaryProgression.Name, plan,
            new SubOrchestrationOptions(instanceId: $"{plan.ReleaseId}:canary"));
        var promoted = canary.Result == "PROMOTED";
        var monitorFailed = !promoted && canary.StepsCompleted >= plan.Steps.Count;
        stages.Add(await RecordAsync(context, plan, ReleaseStages.Activate, promoted || monitorFailed ? "PASS" : "FAIL", monitorFailed ? [] : canary.ReasonCodes,
            new Dictionary<string, string> { ["steps_completed"] = canary.StepsCompleted.ToString(System.Globalization.CultureInfo.InvariantCulture), ["analyses"] = canary.Analyses.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        if (!promoted && !monitorFailed) return await FinishAsync(context, plan, "ROLLED_BACK", canary.ReasonCodes, stages, canary);
        stages.Add(await RecordAsync(context, plan, ReleaseStages.Monitor, promoted ? "PASS" : "FAIL", promoted ? [] : canary.ReasonCodes,
            new Dictionary<string, string> { ["final_watch_seconds"] = plan.FinalWatchSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        if (!promoted) return await FinishAsync(context, plan, "ROLLED_BACK", canary.ReasonCodes, stages, canary);

        Publish(ReleaseStages.Activate, "RUNNING", "switching the Active Version Map to the candidate");
        var completed = await context.CallActivityAsync<StageOutcome>(ReleaseActivityNames.Complete, new CompleteRequest(plan.ReleaseId, canary.ApprovalId));
        stages.Add(completed);
        if (!completed.Passed)
        {
            // The pointer did not move: the canary's 100% split is returned to the stable map like any failed step.
            var rollback = await context.CallSubOrchestratorAsync<RollbackResult>(ReleaseRollback.Name,
                new RollbackRequest(plan.ReleaseId, plan.Environment, "the pointer switch failed", completed.ReasonCodes, plan.MaxRollbackSeconds),
                new SubOrchestrationOptions(instanceId: $"{plan.ReleaseId}:rollback"));
            return await FinishAsync(context, plan, "ROLLED_BACK", [.. completed.ReasonCodes, .. rollback.ReasonCodes], stages, canary with { Rollback = rollback });
        }
        return await FinishAsync(context, plan, "SUCCESS", [], stages, canary);
    }

    private static Task<StageOutcome> RecordAsync(TaskOrchestrationContext context, ReleasePlan plan, string stage, string result, IReadOnlyList<string> codes,
        IReadOnlyDictionary<string, string> facts) =>
        context.CallActivityAsync<StageOutcome>(ReleaseActivityNames.RecordStage, new StageRecord(plan.ReleaseId, stage, result, codes, facts));

    /// <summary>Audit Record: the deploy event is written whatever the result, then the result is returned.</summary>
    private static async Task<PipelineResult> FinishAsync(TaskOrchestrationContext context, ReleasePlan plan, string result, IReadOnlyList<string> codes,
        List<StageOutcome> stages, CanaryResult? canary)
    {
        context.SetCustomStatus(new ReleaseProgress(ReleaseStages.AuditRecord, stages.Count, ReleaseStages.All.Count, "writing the deploy event", "RUNNING", 0, 0, 0,
            canary?.Analyses.LastOrDefault()));
        var audit = await context.CallActivityAsync<StageOutcome>(ReleaseActivityNames.WriteDeployEvent, new DeployEventRequest(plan.ReleaseId, result, codes, stages, canary));
        stages.Add(audit);
        context.SetCustomStatus(new ReleaseProgress("DONE", ReleaseStages.All.Count, ReleaseStages.All.Count, $"{result}{(codes.Count == 0 ? "" : ": " + string.Join(", ", codes))}",
            result, canary?.StepsCompleted ?? 0, plan.Steps.Count, result == "SUCCESS" ? 10_000 : 0, canary?.Analyses.LastOrDefault()));
        return new PipelineResult(plan.ReleaseId, result, codes, stages, canary, audit.LedgerIndex);
    }
}

/// <summary>Input of the record-stage activity: a stage decided in the orchestration (approval, activate, monitor).</summary>
public sealed record StageRecord(string ReleaseId, string Stage, string Result, IReadOnlyList<string> ReasonCodes, IReadOnlyDictionary<string, string> Facts);

/// <summary>Input of the pointer switch: the approval it uses where the environment needs one.</summary>
public sealed record CompleteRequest(string ReleaseId, string? ApprovalId);
