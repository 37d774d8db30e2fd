using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Governance.Approvals;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.KillSwitch;
using Tollgate.Host.Functions;
using Tollgate.Host.Hosting;
using Tollgate.Host.Security;

namespace Tollgate.Host.Api;

/// <summary>
/// The kill switch over HTTP: read it, engage it (any Operator, Trader, Admin or the Pipeline), release it (an
/// Operator; on Paper and Live with a Trader's approval of that very engagement), preflight it, and follow it as a
/// server-sent event stream. A change made here is pushed to every other host at once (<see cref="KillSwitchPropagation"/>).
/// </summary>
public sealed class KillSwitchApi(GovernanceHost governance, KillSwitchPropagation propagation) : IFunctionModule
{
    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("kill-switch-all", "kill-switch", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadKillSwitch), AllAsync))
        .Add(FunctionDefinition.Http("kill-switch-events", "kill-switch/events", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadKillSwitch),
            http => Task.FromResult<IResult>(new KillSwitchEvents(governance.KillSwitch.Board))))
        .Add(FunctionDefinition.Http("kill-switch-get", "kill-switch/{environment}", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadKillSwitch), GetAsync))
        .Add(FunctionDefinition.Http("kill-switch-engage", "kill-switch/{environment}/engage", ["POST"], FunctionAccess.Requires(GovernanceAction.EngageKillSwitch),
            EngageAsync))
        .Add(FunctionDefinition.Http("kill-switch-release", "kill-switch/{environment}/release", ["POST"], FunctionAccess.Requires(GovernanceAction.ReleaseKillSwitch),
            ReleaseAsync))
        .Add(FunctionDefinition.Http("kill-switch-release-request", "kill-switch/{environment}/release-requests", ["POST"],
            FunctionAccess.Requires(GovernanceAction.RequestApproval), RequestReleaseAsync))
        .Add(FunctionDefinition.Http("kill-switch-preflight", "kill-switch/{environment}/preflight", ["POST"],
            FunctionAccess.Requires(GovernanceAction.PreflightKillSwitch), PreflightAsync))
        .Add(FunctionDefinition.Http("kill-switch-notify", "kill-switch/notify", ["POST"],
            FunctionAccess.Open("another host's hint to re-read the kill switch from storage; it carries no state and is never trusted"), NotifyAsync));

    private async Task<IResult> AllAsync(HttpContext http)
    {
        var states = new List<object>();
        foreach (var environment in EnvironmentCatalog.All) states.Add(View(await governance.KillSwitch.RefreshAsync(environment, http.RequestAborted)));
        return GovernanceJson.Ok(new { KillSwitches = states });
    }

    private async Task<IResult> GetAsync(HttpContext http) =>
        GovernanceJson.Ok(View(await governance.KillSwitch.RefreshAsync(Environment(http), http.RequestAborted)));

    private async Task<IResult> EngageAsync(HttpContext http)
    {
        var environment = Environment(http);
        var body = await GovernanceJson.ReadAsync(http, "reason", "reason_codes");
        var codes = body.TextList("reason_codes", 16, 64);
        if (codes.FirstOrDefault(code => !Governance.ReasonCode.IsValid(code)) is { } bad)
            throw Governance.Requests.RequestObject.Invalid($"'{Governance.Requests.RequestObject.Printable(bad)}' is not a reason code.");
        // Stop first, record next: this host and every other one block orders now; the durable record follows.
        var state = await propagation.EngageAsync(CallerIdentity.Of(http), environment, body.Text("reason"), codes, http.RequestAborted);
        return GovernanceJson.Ok(View(state));
    }

    private async Task<IResult> ReleaseAsync(HttpContext http)
    {
        var environment = Environment(http);
        var body = await GovernanceJson.ReadAsync(http, "reason", "approval_id");
        var state = await governance.KillSwitch.ReleaseAsync(CallerIdentity.Of(http), environment, body.Text("reason"), body.OptionalId("approval_id"),
            http.RequestAborted);
        await propagation.PushAsync(environment);
        return GovernanceJson.Ok(View(state));
    }

    /// <summary>Asks for the approval releasing the current engagement needs; the answer is the approval a Trader decides.</summary>
    private async Task<IResult> RequestReleaseAsync(HttpContext http)
    {
        var environment = Environment(http);
        var body = await GovernanceJson.ReadAsync(http, "reason");
        var current = await governance.KillSwitch.ReadAsync(environment, http.RequestAborted);
        if (!current.Engaged)
            throw new Governance.GovernanceException(Governance.GovernanceReasons.NotPending, $"The {environment} kill switch is not engaged; there is nothing to release.");
        var approval = await governance.Approvals.RequestAsync(CallerIdentity.Of(http), governance.KillSwitch.ReleaseSubject(current), null, null, null,
            body.Text("reason"), http.RequestAborted);
        return GovernanceJson.Created(ApprovalApi.View(approval));
    }

    private async Task<IResult> PreflightAsync(HttpContext http)
    {
        var environment = Environment(http);
        // It takes no members, but a body is read as strictly as every other: what a caller sends is never ignored.
        await GovernanceJson.ReadAsync(http);
        var preflight = await governance.KillSwitch.PreflightAsync(environment, http.RequestAborted);
        return GovernanceJson.Ok(new
        {
            Environment = preflight.Environment.ToString(), preflight.Ok, preflight.CanTrigger, preflight.CanReport, preflight.Audited, preflight.Problems,
            ReasonCodes = preflight.Ok ? [] : new[] { Governance.GovernanceReasons.KillSwitchUnavailable },
        });
    }

    private async Task<IResult> NotifyAsync(HttpContext http)
    {
        var body = await GovernanceJson.ReadAsync(http, "environment", "sequence", "actor", "at", "reason", "reason_codes", "signature");
        var environment = EnvironmentCatalog.Parse(body.Text("environment", 16));
        var engagement = body.Has("signature")
            ? new SignedEngagement(environment.ToString(), body.OptionalInteger("sequence", 0, long.MaxValue) ?? 0, body.Text("actor", 256), body.Text("at", 32),
                body.Text("reason"), [.. body.TextList("reason_codes", 16, 64)], body.Text("signature", 64))
            : null;
        await propagation.HintAsync(environment, engagement);
        return Results.NoContent();
    }

    private static DeploymentEnvironment Environment(HttpContext http) => EnvironmentCatalog.Parse(GovernanceJson.Route(http, "environment"));

    public static object View(KillSwitchState state) => new
    {
        Environment = state.Environment.ToString(),
        State = state.StateName,
        state.Engaged,
        state.Sequence,
        state.Reason,
        state.ReasonCodes,
        state.Actor,
        state.At,
        state.Audited,
        state.LedgerIndex,
    };

    /// <summary>Server-sent events: every environment's state at once, then each change the moment this host applies it.</summary>
    private sealed class KillSwitchEvents(KillSwitchBoard board) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            var changes = System.Threading.Channels.Channel.CreateUnbounded<KillSwitchState>();
            using var subscription = board.Subscribe(state => changes.Writer.TryWrite(state));
            foreach (var environment in EnvironmentCatalog.All) changes.Writer.TryWrite(board.Current(environment));
            var cancel = http.RequestAborted;
            try
            {
                while (!cancel.IsCancellationRequested)
                {
                    using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                    keepAlive.CancelAfter(TimeSpan.FromSeconds(15));
                    try
                    {
                        var state = await changes.Reader.ReadAsync(keepAlive.Token);
                        await http.Response.WriteAsync($"event: kill-switch\ndata: {JsonSerializer.Serialize(View(state), GovernanceJson.Options)}\n\n", cancel);
                    }
                    catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                    {
                        await http.Response.WriteAsync(": keep-alive\n\n", cancel);
                    }
                    await http.Response.Body.FlushAsync(cancel);
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                // The subscriber went away.
            }
        }
    }
}
