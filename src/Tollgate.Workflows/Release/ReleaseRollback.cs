using Tollgate.Durable;

namespace Tollgate.Workflows.Release;

/// <summary>
/// The rollback of a release (issue 8 item 5): one traffic-split record returns every decision to the stable map
/// (Only-Add, atomic per host: each host swaps its whole rule selection), then every data-plane host that served
/// the canary must acknowledge the stable rules within the policy's max rollback time, then health is verified.
/// Hosts that do not acknowledge in time cannot be trusted to have stopped the canary: the kill switch is engaged
/// for the environment (REL-ROLLBACK-UNCONFIRMED), so nothing is decided under a half-switched state.
/// </summary>
public static class ReleaseRollback
{
    public const string Name = "ReleaseRollback";

    public static void Register(DurableTaskRegistry registry) => registry.AddOrchestrator<RollbackRequest, RollbackResult>(Name, RunAsync);

    public static async Task<RollbackResult> RunAsync(TaskOrchestrationContext context, RollbackRequest? request)
    {
        ArgumentNullException.ThrowIfNull(request);
        context.SetCustomStatus(new WorkflowProgress("revert", 0, 3, $"traffic back to the stable map ({request.Trigger})"));
        var reverted = await context.CallActivityAsync<RevertOutcome>(ReleaseActivityNames.RevertTraffic, request);

        context.SetCustomStatus(new WorkflowProgress("acknowledge", 1, 3, $"waiting for every host to serve split #{reverted.SplitSequence}"));
        var acks = await context.CallActivityAsync<AcknowledgementOutcome>(ReleaseActivityNames.AwaitAcknowledgements,
            new AcknowledgementWait(request.ReleaseId, request.Environment, reverted.SplitSequence, reverted.RevertedAt, request.MaxRollbackSeconds));
        var codes = new List<string>();
        if (!acks.Complete)
        {
            codes.Add(ReleaseReasons.RollbackUnconfirmed);
            await context.CallActivityAsync<long>(ReleaseActivityNames.EngageKillSwitch, new KillRequest(request.Environment,
                $"rollback of {request.ReleaseId} not acknowledged within {request.MaxRollbackSeconds}s by {string.Join(", ", acks.Missing)}", [ReleaseReasons.RollbackUnconfirmed]));
        }

        context.SetCustomStatus(new WorkflowProgress("verify", 2, 3, "health after the rollback"));
        var healthy = await context.CallActivityAsync<bool>(ReleaseActivityNames.VerifyHealth, request.Environment);
        if (!healthy) codes.Add(ReleaseReasons.RollbackUnhealthy);
        context.SetCustomStatus(new WorkflowProgress("done", 3, 3, $"{acks.Acknowledged.Count} host(s) acknowledged in {acks.TriggerToAckMs:0.#} ms"));
        return new RollbackResult(codes.Count == 0 ? "COMPLETE" : "INCOMPLETE", reverted.SplitSequence, acks.Acknowledged, acks.Missing, acks.TriggerToAckMs, healthy, codes);
    }
}

/// <summary>Input of the kill-switch activity a release uses when it cannot confirm a rollback.</summary>
public sealed record KillRequest(string Environment, string Reason, IReadOnlyList<string> ReasonCodes);
