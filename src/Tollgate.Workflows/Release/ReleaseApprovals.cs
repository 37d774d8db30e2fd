using Tollgate.Durable;

namespace Tollgate.Workflows.Release;

/// <summary>The two-step, four-eyes approval a release waits for: requested by an activity, decided by a Trader, delivered as the approval event.</summary>
public static class ReleaseApprovals
{
    /// <summary>The approval's id, and the codes that refused it (null: approved).</summary>
    public sealed record Waited(string ApprovalId, IReadOnlyList<string>? RefusedWith);

    /// <param name="onControl">Given inside the canary: each operator control that comes while the approval is awaited
    /// (the caller records it). Abort refuses the approval, so a release waiting on a human can still be rolled back
    /// (Flagger #1801); the other controls do not apply to a step that has not started.</param>
    public static async Task<Waited> AwaitAsync(TaskOrchestrationContext context, ReleasePlan plan, string purpose, Func<ReleaseControl, Task>? onControl = null)
    {
        var requested = await context.CallActivityAsync<ApprovalRequested>(ReleaseActivityNames.RequestApproval,
            new ApprovalRequest(plan.ReleaseId, purpose, context.InstanceId));
        using var approvalCancel = new CancellationTokenSource();
        using var timeoutCancel = new CancellationTokenSource();
        var approval = context.WaitForExternalEvent<ApprovalDecision>(ReleaseEvents.Approval, approvalCancel.Token);
        var timeout = context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(plan.ApprovalTimeoutSeconds), timeoutCancel.Token);
        while (true)
        {
            using var controlCancel = new CancellationTokenSource();
            var control = onControl is null ? null : context.WaitForExternalEvent<ReleaseControl>(ReleaseEvents.Control, controlCancel.Token);
            var first = await Task.WhenAny(control is null ? [approval, timeout] : [approval, timeout, control]);
            if (first == control)
            {
                var command = await control;
                await onControl!(command);
                if (command.Action != ReleaseControls.Abort) continue;
                approvalCancel.Cancel();
                timeoutCancel.Cancel();
                return new Waited(requested.ApprovalId, [ReleaseReasons.Aborted]);
            }
            controlCancel.Cancel();
            if (first == timeout)
            {
                approvalCancel.Cancel();
                return new Waited(requested.ApprovalId, [ReleaseReasons.ApprovalTimeout]);
            }
            timeoutCancel.Cancel();
            var decision = await approval;
            return decision.state switch
            {
                "APPROVED" => new Waited(requested.ApprovalId, null),
                "VETOED" => new Waited(requested.ApprovalId, [ReleaseReasons.ApprovalVetoed, .. decision.reason_codes ?? []]),
                _ => new Waited(requested.ApprovalId, [ReleaseReasons.ApprovalReturned, .. decision.reason_codes ?? []]),
            };
        }
    }
}
