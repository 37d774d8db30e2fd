using Tollgate.Durable;

namespace Tollgate.Workflows.Release;

/// <summary>
/// The canary of a release (issue 8 item 4; Argo Rollouts' steps, Kayenta's judge): each step sets the canary's
/// share of decisions, then watches it for the step's window, analysing every interval. A guard-rail breach or
/// sequential harm at any look rolls back at once; at the end of a window the judge PROMOTEs to the next step, or
/// is INCONCLUSIVE (the policy pauses for a human or aborts) — an inconclusive window is never promoted by itself.
/// After the last step (100%) the final watch (the pipeline's Monitor stage) runs the same way. Operators steer
/// with the <see cref="ReleaseEvents.Control"/> event: pause (analysis and guard rails go on, the step does not
/// advance), resume, promote (next step now), promote-full (100% now), abort (roll back).
/// </summary>
public static class CanaryProgression
{
    public const string Name = "CanaryProgression";
    public const int ConsecutiveErrorLimit = 3;

    public static void Register(DurableTaskRegistry registry) => registry.AddOrchestrator<ReleasePlan, CanaryResult>(Name, RunAsync);

    public static async Task<CanaryResult> RunAsync(TaskOrchestrationContext context, ReleasePlan? plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var analyses = new List<AnalysisOutcome>();
        var total = plan.Steps.Count + 1;
        var step = 0;
        string? approvalId = null;
        while (step < plan.Steps.Count)
        {
            var planned = plan.Steps[step];
            if (planned.ApprovalBefore)
            {
                Publish(context, plan, "APPROVAL", step, "WAITING", analyses, waitingFor: $"approval before {Percent(planned.WeightBasisPoints)}");
                var at = step + 1;
                var approval = await ReleaseApprovals.AwaitAsync(context, plan, $"before step {at} ({Percent(planned.WeightBasisPoints)})",
                    control => context.CallActivityAsync<long>(ReleaseActivityNames.RecordControl, new ControlRecord(plan.ReleaseId, at, control, WasPaused: false)));
                if (approval.RefusedWith is { } refused) return await RollBackAsync(context, plan, $"approval {approval.ApprovalId}", refused, step, analyses);
                approvalId = approval.ApprovalId;
            }
            await context.CallActivityAsync<long>(ReleaseActivityNames.SetWeight,
                new WeightRequest(plan.ReleaseId, step + 1, planned.WeightBasisPoints, $"step {step + 1} of {plan.Steps.Count}: {Percent(planned.WeightBasisPoints)}"));
            if (planned.WatchSeconds == 0) { step++; continue; } // a step not watched: the next step's (or the final) watch judges it
            var watched = await WatchAsync(context, plan, step, planned.WatchSeconds, analyses);
            switch (watched.Outcome)
            {
                case WatchOutcome.RolledBack: return await RollBackAsync(context, plan, watched.Trigger!, watched.ReasonCodes, step, analyses);
                case WatchOutcome.PromoteFull: step = plan.Steps.Count - 1 == step ? step + 1 : plan.Steps.Count - 1; break;
                default: step++; break;
            }
        }

        // Monitor: the final watch at 100% before the pointer switch.
        var final = await WatchAsync(context, plan, plan.Steps.Count, plan.FinalWatchSeconds, analyses);
        if (final.Outcome == WatchOutcome.RolledBack) return await RollBackAsync(context, plan, final.Trigger!, final.ReasonCodes, plan.Steps.Count, analyses);
        Publish(context, plan, "PROMOTED", total, "PROMOTED", analyses);
        return new CanaryResult("PROMOTED", [], plan.Steps.Count, null, analyses, approvalId);
    }

    private enum WatchOutcome { Promoted, PromoteFull, RolledBack }

    private sealed record Watched(WatchOutcome Outcome, string? Trigger, IReadOnlyList<string> ReasonCodes);

    /// <summary>One window: analysis every interval, operator controls in between, until the judge or an operator ends it.</summary>
    private static async Task<Watched> WatchAsync(TaskOrchestrationContext context, ReleasePlan plan, int step, int watchSeconds, List<AnalysisOutcome> analyses)
    {
        var stage = step < plan.Steps.Count ? "CANARY" : "MONITOR";
        var windowStart = context.CurrentUtcDateTime;
        var windowEnd = windowStart.AddSeconds(watchSeconds);
        var paused = false;
        var look = 0;
        var errors = 0;
        var interval = TimeSpan.FromSeconds(Math.Max(1, plan.AnalysisIntervalSeconds));
        while (true)
        {
            Publish(context, plan, stage, step, paused ? "PAUSED" : "RUNNING", analyses,
                waitingFor: paused ? "an operator: resume, promote, promote-full or abort" : null);
            var next = context.CurrentUtcDateTime + interval;
            if (!paused && next > windowEnd) next = windowEnd;
            using var timerCancel = new CancellationTokenSource();
            using var eventCancel = new CancellationTokenSource();
            var control = context.WaitForExternalEvent<ReleaseControl>(ReleaseEvents.Control, eventCancel.Token);
            var timer = context.CreateTimer(next, timerCancel.Token);
            if (await Task.WhenAny(control, timer) == control)
            {
                timerCancel.Cancel();
                var command = await control;
                await context.CallActivityAsync<long>(ReleaseActivityNames.RecordControl, new ControlRecord(plan.ReleaseId, step + 1, command, paused));
                switch (command.Action)
                {
                    case ReleaseControls.Pause: paused = true; continue;
                    case ReleaseControls.Resume:
                        if (paused && context.CurrentUtcDateTime >= windowEnd)
                        {
                            // A window that ended inconclusive or paused is watched for another watch, keeping the samples
                            // it has (too few is the usual reason): resume never promotes by itself, a later PASS does.
                            windowEnd = context.CurrentUtcDateTime.AddSeconds(watchSeconds);
                        }
                        paused = false;
                        continue;
                    case ReleaseControls.Promote: return new Watched(WatchOutcome.Promoted, null, []);
                    case ReleaseControls.PromoteFull: return new Watched(WatchOutcome.PromoteFull, null, []);
                    case ReleaseControls.Abort: return new Watched(WatchOutcome.RolledBack, $"abort by {command.Actor}", [ReleaseReasons.Aborted]);
                    default: continue; // the API refuses other actions; an old event is recorded and ignored
                }
            }
            eventCancel.Cancel();
            look++;
            var final = !paused && context.CurrentUtcDateTime >= windowEnd;
            AnalysisOutcome analysis;
            try
            {
                analysis = await context.CallActivityAsync<AnalysisOutcome>(ReleaseActivityNames.Analyze,
                    new AnalysisRequest(plan.ReleaseId, step + 1, look, windowStart, context.CurrentUtcDateTime, final,
                        GuardRailsOnly: step >= plan.Steps.Count || plan.Steps[step].WeightBasisPoints >= 10_000));
                errors = 0;
            }
            catch (TaskFailedException failure)
            {
                // Argo's consecutiveErrorLimit: a judge that cannot look is never a pass; three failed looks in a row roll back.
                if (++errors >= ConsecutiveErrorLimit)
                    return new Watched(WatchOutcome.RolledBack, $"{errors} analyses in a row failed: {failure.Message}", [ReleaseReasons.AnalysisUnavailable]);
                if (final) windowEnd = context.CurrentUtcDateTime.Add(interval); // the final look is taken again
                continue;
            }
            analyses.Add(analysis);
            switch (analysis.Decision)
            {
                case "ROLLBACK": return new Watched(WatchOutcome.RolledBack, $"analysis {analysis.AnalysisId}", analysis.ReasonCodes);
                case "PROMOTE" when final: return new Watched(WatchOutcome.Promoted, null, []);
                case "INCONCLUSIVE" when final:
                    if (plan.OnInconclusive == "abort") return new Watched(WatchOutcome.RolledBack, $"analysis {analysis.AnalysisId} inconclusive", [.. analysis.ReasonCodes, ReleaseReasons.Inconclusive]);
                    paused = true; // a human decides: promote, abort, or resume to watch again
                    break;
                default:
                    if (final) paused = true; // CONTINUE at a window's end cannot promote
                    break;
            }
        }
    }

    private static async Task<CanaryResult> RollBackAsync(TaskOrchestrationContext context, ReleasePlan plan, string trigger, IReadOnlyList<string> codes, int step,
        List<AnalysisOutcome> analyses)
    {
        Publish(context, plan, "ROLLBACK", step, "ROLLING_BACK", analyses, waitingFor: "every data-plane host to acknowledge the stable rules");
        var rollback = await context.CallSubOrchestratorAsync<RollbackResult>(ReleaseRollback.Name,
            new RollbackRequest(plan.ReleaseId, plan.Environment, trigger, codes, plan.MaxRollbackSeconds),
            new SubOrchestrationOptions(instanceId: $"{plan.ReleaseId}:rollback"));
        await context.CallActivityAsync<long>(ReleaseActivityNames.OpenIncident, new IncidentOpen("INC-OPS", codes.Contains(ReleaseReasons.Aborted) ? "P2" : "P1",
            plan.Environment, $"release {plan.ReleaseId} rolled back at step {step + 1}: {trigger} ({string.Join(", ", codes)}); rollback {rollback.Result} in {rollback.TriggerToAckMs:0.#} ms",
            [.. codes, .. rollback.ReasonCodes], plan.ReleaseId));
        Publish(context, plan, "ROLLED_BACK", step, "ROLLED_BACK", analyses);
        return new CanaryResult("ROLLED_BACK", [.. codes, .. rollback.ReasonCodes], step, rollback, analyses, null);
    }

    private static void Publish(TaskOrchestrationContext context, ReleasePlan plan, string stage, int step, string state, List<AnalysisOutcome> analyses, string? waitingFor = null)
    {
        var weight = step < plan.Steps.Count ? plan.Steps[step].WeightBasisPoints : 10_000;
        var detail = step < plan.Steps.Count ? $"step {step + 1} of {plan.Steps.Count}: {Percent(weight)}" : "final watch at 100%";
        context.SetCustomStatus(new ReleaseProgress(stage, Math.Min(step, plan.Steps.Count + 1), plan.Steps.Count + 1, $"{detail} ({state.ToLowerInvariant()})",
            state, Math.Min(step + 1, plan.Steps.Count), plan.Steps.Count, weight, analyses.Count == 0 ? null : analyses[^1], waitingFor));
    }

    private static string Percent(int basisPoints) => $"{basisPoints / 100m:0.##}%";
}

/// <summary>An operator's control as the release records it: which step it came in, and whether the canary was paused.</summary>
public sealed record ControlRecord(string ReleaseId, int Step, ReleaseControl Control, bool WasPaused);
