using Microsoft.AspNetCore.Http;
using Tollgate.Governance.Approvals;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Requests;
using Tollgate.Host.Functions;
using Tollgate.Host.Hosting;
using Tollgate.Host.Security;

namespace Tollgate.Host.Api;

/// <summary>
/// Two-step, four-eyes approvals over HTTP. A request names its subject; a Trader approves (and receives a one-time
/// challenge) and confirms with it in time; a Trader may instead veto or return with reason codes.
/// </summary>
public sealed class ApprovalApi(GovernanceHost governance) : IFunctionModule
{
    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("approvals-request", "approvals", ["POST"], FunctionAccess.Requires(GovernanceAction.RequestApproval), RequestAsync))
        .Add(FunctionDefinition.Http("approvals-list", "approvals", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadApprovals), ListAsync))
        .Add(FunctionDefinition.Http("approvals-get", "approvals/{id}", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadApprovals), GetAsync))
        .Add(FunctionDefinition.Http("approvals-approve", "approvals/{id}/approve", ["POST"], FunctionAccess.Requires(GovernanceAction.DecideApproval), ApproveAsync))
        .Add(FunctionDefinition.Http("approvals-confirm", "approvals/{id}/confirm", ["POST"], FunctionAccess.Requires(GovernanceAction.DecideApproval), ConfirmAsync))
        .Add(FunctionDefinition.Http("approvals-veto", "approvals/{id}/veto", ["POST"], FunctionAccess.Requires(GovernanceAction.DecideApproval),
            http => DecideAsync(http, governance.Approvals.VetoAsync)))
        .Add(FunctionDefinition.Http("approvals-return", "approvals/{id}/return", ["POST"], FunctionAccess.Requires(GovernanceAction.DecideApproval),
            http => DecideAsync(http, governance.Approvals.ReturnAsync)))
        .Add(FunctionDefinition.Http("approvals-resubmit", "approvals/{id}/resubmit", ["POST"], FunctionAccess.Requires(GovernanceAction.RequestApproval),
            http => ReasonedAsync(http, governance.Approvals.ResubmitAsync)))
        .Add(FunctionDefinition.Http("approvals-withdraw", "approvals/{id}/withdraw", ["POST"], FunctionAccess.Requires(GovernanceAction.WithdrawApproval),
            http => ReasonedAsync(http, governance.Approvals.WithdrawAsync)));

    private async Task<IResult> RequestAsync(HttpContext http)
    {
        var body = await GovernanceJson.ReadAsync(http, "subject", "operator", "release_id", "instance_id", "reason");
        if (!body.Has("subject")) throw RequestObject.Invalid("body.subject is required: {kind, environment, reference}.");
        var subject = ApprovalSubject.FromRequest(body.Object("subject", "kind", "environment", "reference"));
        var approval = await governance.Approvals.RequestAsync(CallerIdentity.Of(http), subject, body.OptionalId("operator"), body.OptionalId("release_id"),
            body.OptionalId("instance_id"), body.Text("reason"), http.RequestAborted);
        return GovernanceJson.Created(View(approval));
    }

    private async Task<IResult> ListAsync(HttpContext http)
    {
        var approvals = await governance.Approvals.ListAsync(100, http.RequestAborted);
        return GovernanceJson.Ok(new { Approvals = approvals.Select(View) });
    }

    private async Task<IResult> GetAsync(HttpContext http) =>
        GovernanceJson.Ok(View(await governance.Approvals.GetAsync(Id(http), http.RequestAborted)));

    private async Task<IResult> ApproveAsync(HttpContext http)
    {
        await GovernanceJson.ReadAsync(http);
        var (approval, challenge) = await governance.Approvals.ApproveAsync(CallerIdentity.Of(http), Id(http), http.RequestAborted);
        return GovernanceJson.Ok(new { Approval = View(approval), Challenge = challenge, approval.Challenge!.ExpiresAt });
    }

    private async Task<IResult> ConfirmAsync(HttpContext http)
    {
        var body = await GovernanceJson.ReadAsync(http, "challenge");
        var approval = await governance.Approvals.ConfirmAsync(CallerIdentity.Of(http), Id(http), body.Text("challenge", 128), http.RequestAborted);
        return GovernanceJson.Ok(View(approval));
    }

    private static async Task<IResult> DecideAsync(HttpContext http,
        Func<Principal, string, IReadOnlyList<string>, string?, CancellationToken, Task<ApprovalCase>> decide)
    {
        var body = await GovernanceJson.ReadAsync(http, "reason_codes", "reason");
        var approval = await decide(CallerIdentity.Of(http), Id(http), body.TextList("reason_codes", 32, 64), body.OptionalText("reason"), http.RequestAborted);
        return GovernanceJson.Ok(View(approval));
    }

    private static async Task<IResult> ReasonedAsync(HttpContext http, Func<Principal, string, string, CancellationToken, Task<ApprovalCase>> act)
    {
        var body = await GovernanceJson.ReadAsync(http, "reason");
        return GovernanceJson.Ok(View(await act(CallerIdentity.Of(http), Id(http), body.Text("reason"), http.RequestAborted)));
    }

    private static string Id(HttpContext http) => GovernanceJson.Route(http, "id");

    public static object View(ApprovalCase approval) => new
    {
        approval.Id,
        Subject = new { Kind = approval.Subject.KindName, Environment = approval.Subject.Environment.ToString(), approval.Subject.Reference },
        SubjectRef = approval.Subject.ToString(),
        State = approval.State.ToString().ToUpperInvariant(),
        approval.Requester,
        approval.Operator,
        approval.ReleaseId,
        approval.InstanceId,
        approval.Reason,
        approval.RequestedAt,
        approval.DecidedBy,
        approval.ReasonCodes,
        ChallengeIssuedTo = approval.State == ApprovalState.Pending ? approval.Challenge?.Approver : null,
        ChallengeExpiresAt = approval.State == ApprovalState.Pending ? approval.Challenge?.ExpiresAt : null,
        Steps = approval.Steps.Select(step => new { step.Sequence, step.Step, step.Actor, step.At, step.ReasonCodes, step.Reason, step.LedgerIndex }),
    };
}
