using Microsoft.AspNetCore.Http;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Gates;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Requests;
using Tollgate.Host.Functions;
using Tollgate.Host.Hosting;
using Tollgate.Host.Security;

namespace Tollgate.Host.Api;

/// <summary>
/// Release gates for CI (docs/CI.md). <c>POST /api/gates/{gate}/evaluations</c> evaluates one gate and answers 201
/// with the verdict, every check and the ledger index; <c>?mode=azure-devops</c> answers 200 with the same body, as
/// Azure DevOps' "Invoke Azure Function" check expects before it applies its success criteria.
/// <c>POST /api/gates/evaluations</c> evaluates all four.
/// </summary>
public sealed class GateApi(GovernanceHost governance) : IFunctionModule
{
    public const string AzureDevOpsMode = "azure-devops";
    public static readonly IReadOnlyList<string> Members = ["environment", "release_id", "version_map_id", "document_index", "veto_reason_codes"];

    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("gates-evaluate", "gates/{gate}/evaluations", ["POST"], FunctionAccess.Requires(GovernanceAction.EvaluateGate), EvaluateAsync))
        .Add(FunctionDefinition.Http("gates-evaluate-all", "gates/evaluations", ["POST"], FunctionAccess.Requires(GovernanceAction.EvaluateGate), EvaluateAllAsync))
        .Add(FunctionDefinition.Http("gates-evaluation", "gates/{gate}/evaluations/{id}", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadGates), GetAsync))
        .Add(FunctionDefinition.Http("gates-checks", "gates", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadGates), http => Task.FromResult(CatalogView())));

    private async Task<IResult> EvaluateAsync(HttpContext http)
    {
        var gate = GateNames.Parse(GovernanceJson.Route(http, "gate"));
        var azureDevOps = Mode(http);
        var request = ParseRequest(await GovernanceJson.ReadAsync(http, [.. Members]));
        var evaluation = await governance.Gates.EvaluateAsync(CallerIdentity.Of(http), gate, request, http.RequestAborted);
        return azureDevOps ? GovernanceJson.Ok(View(evaluation)) : GovernanceJson.Created(View(evaluation));
    }

    private async Task<IResult> EvaluateAllAsync(HttpContext http)
    {
        var azureDevOps = Mode(http);
        var request = ParseRequest(await GovernanceJson.ReadAsync(http, [.. Members]));
        var evaluations = await EvaluateAllAsync(governance.Gates, CallerIdentity.Of(http), request, http.RequestAborted);
        var view = new
        {
            Verdict = GateNames.Of(Combine(evaluations)),
            request.ReleaseId,
            Environment = request.Environment.ToString(),
            Gates = evaluations.Select(View),
        };
        return azureDevOps ? GovernanceJson.Ok(view) : GovernanceJson.Created(view);
    }

    private async Task<IResult> GetAsync(HttpContext http)
    {
        var gate = GateNames.Parse(GovernanceJson.Route(http, "gate"));
        var evaluation = await governance.Gates.GetAsync(GovernanceJson.Route(http, "id"), http.RequestAborted);
        if (evaluation.Gate != gate)
            throw new Governance.GovernanceException(Governance.GovernanceReasons.EvaluationNotFound, $"Evaluation {evaluation.EvaluationId} is of {GateNames.Of(evaluation.Gate)}.");
        return GovernanceJson.Ok(View(evaluation));
    }

    /// <summary>Every gate in turn; each evaluation is its own ledger entry.</summary>
    public static async Task<IReadOnlyList<GateEvaluation>> EvaluateAllAsync(GateService gates, Governance.Identity.Principal caller, GateRequest request,
        CancellationToken cancellationToken)
    {
        var evaluations = new List<GateEvaluation>();
        foreach (var gate in GateNames.All) evaluations.Add(await gates.EvaluateAsync(caller, gate, request, cancellationToken));
        return evaluations;
    }

    public static GateVerdict Combine(IReadOnlyList<GateEvaluation> evaluations) => GateNames.Overall(evaluations.Select(evaluation => evaluation.Verdict));

    public static GateRequest ParseRequest(RequestObject body) => new(
        EnvironmentCatalog.Parse(body.Text("environment", 16)),
        body.Id("release_id"),
        body.OptionalId("version_map_id"),
        body.Has("document_index")
            ? [.. body.ObjectList("document_index", 500, "doc_key", "version", "status").Select(document =>
                new IndexedDocument(document.Id("doc_key"), document.Text("version", 128), DocumentStatus(document.Text("status", 16))))]
            : null,
        body.Has("veto_reason_codes")
            ? [.. body.ObjectList("veto_reason_codes", 500, "code", "description").Select(code =>
                new VetoCode(code.Text("code", 64), code.Text("description", 512)))]
            : null);

    public static object View(GateEvaluation evaluation) => new
    {
        Gate = GateNames.Of(evaluation.Gate),
        Verdict = GateNames.Of(evaluation.Verdict),
        Checks = evaluation.Checks.Select(check => new
        {
            check.Id,
            Title = GateCatalog.All.FirstOrDefault(known => known.Id == check.Id)?.Title,
            Verdict = GateNames.Of(check.Verdict),
            check.ReasonCodes,
            check.Detail,
        }),
        evaluation.EvaluationId,
        evaluation.LedgerIndex,
        evaluation.Request.ReleaseId,
        evaluation.Request.VersionMapId,
        Environment = evaluation.Request.Environment.ToString(),
        evaluation.EvaluatedBy,
        evaluation.At,
    };

    private static IResult CatalogView() => GovernanceJson.Ok(new
    {
        Gates = GateNames.All.Select(gate => new
        {
            Gate = GateNames.Of(gate),
            Checks = GateCatalog.Of(gate).Select(check => new { check.Id, check.Title }),
        }),
    });

    private static bool Mode(HttpContext http) => http.Request.Query.TryGetValue("mode", out var mode) && mode.ToString() switch
    {
        AzureDevOpsMode => true,
        _ => throw new Governance.GovernanceException(Governance.GovernanceReasons.InvalidRequest,
            $"mode '{RequestObject.Printable(mode.ToString())}' is not known; the only mode is {AzureDevOpsMode}."),
    };

    private static string DocumentStatus(string status) => status is "ACTIVE" or "DRAFT" or "DEPRECATED" or "SUPERSEDED"
        ? status
        : throw RequestObject.Invalid($"document_index status must be ACTIVE, DRAFT, DEPRECATED or SUPERSEDED, not '{RequestObject.Printable(status)}'.");
}
