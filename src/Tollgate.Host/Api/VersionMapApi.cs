using Microsoft.AspNetCore.Http;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.VersionMaps;
using Tollgate.Host.Functions;
using Tollgate.Host.Hosting;
using Tollgate.Host.Security;

namespace Tollgate.Host.Api;

/// <summary>
/// The Active Version Map over HTTP: register maps (CI or an Operator), read an environment's active map and its
/// history, activate and roll back (an Operator; with an approved approval on Paper and Live).
/// </summary>
public sealed class VersionMapApi(GovernanceHost governance) : IFunctionModule
{
    private static readonly string[] MapMembers = ["environment", "docs", "policy", "model", "config", "code", "rulebook_snapshot_ref", "artifacts"];

    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("version-maps-register", "version-maps", ["POST"], FunctionAccess.Requires(GovernanceAction.RegisterVersionMap), RegisterAsync))
        .Add(FunctionDefinition.Http("version-maps-get", "version-maps/{id}", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadVersionMaps), GetAsync))
        .Add(FunctionDefinition.Http("version-map-active", "environments/{environment}/version-map", ["GET"],
            FunctionAccess.Requires(GovernanceAction.ReadVersionMaps), ActiveAsync))
        .Add(FunctionDefinition.Http("version-map-history", "environments/{environment}/version-map/history", ["GET"],
            FunctionAccess.Requires(GovernanceAction.ReadVersionMaps), HistoryAsync))
        .Add(FunctionDefinition.Http("version-map-activate", "environments/{environment}/version-map/activate", ["POST"],
            FunctionAccess.Requires(GovernanceAction.SwitchVersionMap), ActivateAsync))
        .Add(FunctionDefinition.Http("version-map-rollback", "environments/{environment}/version-map/rollback", ["POST"],
            FunctionAccess.Requires(GovernanceAction.RollbackVersionMap), RollbackAsync));

    private async Task<IResult> RegisterAsync(HttpContext http)
    {
        var map = VersionMap.FromRequest(await GovernanceJson.ReadAsync(http, MapMembers));
        var registered = await governance.VersionMaps.RegisterAsync(CallerIdentity.Of(http), map, http.RequestAborted);
        var view = MapView(registered);
        return registered.Existing ? GovernanceJson.Ok(view) : GovernanceJson.Created(view);
    }

    private async Task<IResult> GetAsync(HttpContext http) =>
        GovernanceJson.Ok(MapView(await governance.VersionMaps.GetAsync(GovernanceJson.Route(http, "id"), http.RequestAborted)));

    private async Task<IResult> ActiveAsync(HttpContext http)
    {
        var active = await governance.VersionMaps.ActiveAsync(Environment(http), http.RequestAborted);
        return GovernanceJson.Ok(new { Active = SwitchView(active.Switch), Map = active.Map.ToJson() });
    }

    private async Task<IResult> HistoryAsync(HttpContext http)
    {
        var history = await governance.VersionMaps.HistoryAsync(Environment(http), 200, http.RequestAborted);
        return GovernanceJson.Ok(new { Switches = history.Select(SwitchView) });
    }

    private async Task<IResult> ActivateAsync(HttpContext http)
    {
        var environment = Environment(http);
        var body = await GovernanceJson.ReadAsync(http, "map_id", "reason", "expected_from", "approval_id");
        var change = await governance.VersionMaps.ActivateAsync(CallerIdentity.Of(http), environment, body.Id("map_id"), body.Text("reason"),
            body.OptionalId("expected_from"), body.Mentions("expected_from"), body.OptionalId("approval_id"), http.RequestAborted);
        return GovernanceJson.Created(SwitchView(change));
    }

    private async Task<IResult> RollbackAsync(HttpContext http)
    {
        var environment = Environment(http);
        var body = await GovernanceJson.ReadAsync(http, "to_map", "reason", "expected_from", "approval_id");
        var change = await governance.VersionMaps.RollbackAsync(CallerIdentity.Of(http), environment, body.OptionalId("to_map"), body.Text("reason"),
            body.OptionalId("expected_from"), body.Mentions("expected_from"), body.OptionalId("approval_id"), http.RequestAborted);
        return GovernanceJson.Created(SwitchView(change));
    }

    private static DeploymentEnvironment Environment(HttpContext http) => EnvironmentCatalog.Parse(GovernanceJson.Route(http, "environment"));

    private static object MapView(RegisteredMap registered) => new
    {
        Map = registered.Map.ToJson(),
        registered.RegisteredBy,
        registered.RegisteredAt,
        registered.LedgerIndex,
        registered.Existing,
    };

    public static object SwitchView(VersionSwitch change) => new
    {
        Environment = change.Environment.ToString(),
        change.Sequence,
        Action = change.Action == SwitchAction.Activate ? "ACTIVATE" : "ROLLBACK",
        change.FromMap,
        change.ToMap,
        change.ConfigVersion,
        change.Reason,
        change.Operator,
        change.Approver,
        change.ApprovalId,
        change.At,
        change.LedgerIndex,
    };
}
