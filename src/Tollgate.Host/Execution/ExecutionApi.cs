using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Governance.Identity;
using Tollgate.Host.Api;
using Tollgate.Host.Functions;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Strategy;

namespace Tollgate.Host.Execution;

/// <summary>Reason codes of the execution API.</summary>
public static class ExecutionApiReasons
{
    public const string Off = "EXE_PLANE_OFF";
    public const string NotRunning = "EXE_NOT_RUNNING";
    public const string UnknownOrder = "EXE_UNKNOWN_ORDER";
}

/// <summary>
/// The order path over HTTP: <c>GET /api/execution</c> (state, rules in force, positions, open orders, per-cohort
/// metrics for the canary analysis, the last reconciliation, the latest results), <c>GET /api/execution/orders/{intentId}</c>
/// (one order's events and fills), <c>POST /api/reconcile</c> (reconcile now), and the reconciliation timer.
/// </summary>
public sealed class ExecutionApi(ExecutionPlane plane, OrderRouterFunction router, TimeProvider time) : IFunctionModule
{
    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("execution-summary", "execution", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadExecution), SummaryAsync))
        .Add(FunctionDefinition.Http("execution-order", "execution/orders/{intentId}", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadExecution), OrderAsync))
        .Add(FunctionDefinition.Http("execution-reconcile", "reconcile", ["POST"], FunctionAccess.Requires(GovernanceAction.Reconcile), ReconcileAsync))
        .Add(FunctionDefinition.Http("execution-rules-lint", "execution/rules/lint", ["POST"], FunctionAccess.Requires(GovernanceAction.ReadExecution), LintAsync))
        .Add(FunctionDefinition.Timer("execution-reconcile-timer", plane.Settings.ReconcileCron, "UTC", async (_, _, cancellationToken) =>
        {
            if (plane.Router is not null) await plane.ReconcileAsync("timer", cancellationToken);
        }));

    private Task<IResult> SummaryAsync(HttpContext http)
    {
        if (Refusal() is { } refused) return Task.FromResult(refused);
        var r = plane.Router;
        return Task.FromResult(Results.Json(new
        {
            plane.Environment,
            State = plane.State.ToString().ToUpperInvariant(),
            plane.Failure,
            Channel = r?.Channel.Name,
            plane.RulesRev,
            plane.RulesProblem,
            Decisions = plane.Loop?.Decisions ?? 0,
            Closes = plane.Loop?.Closes ?? 0,
            MalformedIntents = router.Malformed,
            OpenOrders = r?.OpenClientOrderIds ?? [],
            Positions = r?.Positions.Snapshots(time.GetUtcNow()) ?? [],
            Cohorts = plane.Metrics.Snapshot().Where(c => c.Environment == plane.Environment),
            LastReconciliation = plane.LastReconciliation,
            RecentResults = router.Recent.TakeLast(20).Select(v => JsonDocument.Parse(v.Json).RootElement).ToList(),
        }, ApiJson.Options));
    }

    private async Task<IResult> OrderAsync(HttpContext http)
    {
        if (Refusal() is { } refused) return refused;
        var intentId = GovernanceJson.Route(http, "intentId");
        if (plane.Store is not { } store || intentId.Length is 0 or > IntentValidation.MaxIntentIdLength)
            return ApiErrors.Result(ExecutionApiReasons.UnknownOrder, $"'{intentId}' is not an intent id (1-{IntentValidation.MaxIntentIdLength} characters).");
        var clientOrderId = ClientOrderId.For(intentId);
        if (await store.GetOrderAsync(clientOrderId, http.RequestAborted) is not { } order)
            return ApiErrors.Result(ExecutionApiReasons.UnknownOrder, $"No order was routed for intent '{intentId}'.");
        var fills = await store.FillsAsync(clientOrderId, http.RequestAborted);
        return Results.Json(new
        {
            order.Order,
            Status = order.Status.Code(),
            Events = order.Events.Select(e => new { e.Sequence, Status = e.Status.Code(), e.At, e.Reason, e.Detail, e.ExecutedQuantity, e.AveragePrice, e.ExchangeOrderId }),
            Fills = fills,
        }, ApiJson.Options);
    }

    private async Task<IResult> ReconcileAsync(HttpContext http)
    {
        if (Refusal() is { } refused) return refused;
        if (plane.Router is null) return ApiErrors.Result(ExecutionApiReasons.NotRunning, "The order path is starting: its startup reconciliation has not finished.");
        return Results.Json(await plane.ReconcileAsync("api", http.RequestAborted), ApiJson.Options);
    }

    /// <summary>Lints a rule set against the instruments this host routes: its rev (the config version a map must name) or every problem. Stores nothing.</summary>
    private async Task<IResult> LintAsync(HttpContext http)
    {
        if (Refusal() is { } refused) return refused;
        if (plane.Universe is not { } universe) return ApiErrors.Result(ExecutionApiReasons.NotRunning, "The order path is starting: its instruments are not known yet.");
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var buffer = new char[MaxRulesChars + 1];
        var read = await reader.ReadBlockAsync(buffer, http.RequestAborted);
        if (read > MaxRulesChars) return ApiErrors.Result(RuleProblemCodes.Schema, $"A rule set may be at most {MaxRulesChars} characters.");
        try
        {
            var rules = RuleSet.Parse(new string(buffer, 0, read), universe);
            return Results.Json(new { rules.Rev, rules.Name, Rules = rules.Rules.Count, rules.Canonical }, ApiJson.Options);
        }
        catch (RuleSetException e)
        {
            return ApiErrors.Result(e.Problems[0].Code, $"{e.Problems.Count} problem(s): {string.Join("; ", e.Problems)}");
        }
    }

    private const int MaxRulesChars = 256 * 1024;

    private IResult? Refusal() => plane.State switch
    {
        ExecutionState.Off => ApiErrors.Result(ExecutionApiReasons.Off, "The order path is off: set Tollgate:Execution:Environment (Paper or Live) with the market plane on."),
        ExecutionState.Failed => ApiErrors.Result(ExecutionApiReasons.NotRunning, $"The order path failed to start: {plane.Failure}"),
        _ => null,
    };
}
