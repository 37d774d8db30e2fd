using Microsoft.AspNetCore.Http;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Host.Functions;
using Tollgate.Host.Security;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Api;

/// <summary>Who the caller is (<c>GET /api/auth/whoami</c>), and the settings that govern everyone (<c>GET /api/settings</c>, Admin and Auditor).</summary>
public sealed class IdentityApi(HostSettings settings) : IFunctionModule
{
    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("auth-whoami", "auth/whoami", ["GET"], FunctionAccess.Requires(GovernanceAction.Identify), WhoAmI))
        .Add(FunctionDefinition.Http("settings", "settings", ["GET"], FunctionAccess.Requires(GovernanceAction.ReadSettings), Settings));

    private static Task<IResult> WhoAmI(HttpContext http)
    {
        var caller = CallerIdentity.Of(http);
        return Task.FromResult(GovernanceJson.Ok(new
        {
            caller.Subject,
            caller.Name,
            Roles = caller.Roles.Order().Select(role => role.ToString()),
            caller.IsShared,
            Allowed = Enum.GetValues<GovernanceAction>().Where(action => RoleMatrix.Allows(caller, action)).Select(action => action.ToString()),
        }));
    }

    /// <summary>What governs the host, without a single secret: no keys, no connection strings.</summary>
    private Task<IResult> Settings(HttpContext http) => Task.FromResult(GovernanceJson.Ok(new
    {
        Auth = new { Mode = settings.Auth.Mode.ToString(), settings.Auth.Issuer, settings.Auth.Audience, SharedAccounts = settings.Auth.SharedAccounts.Order() },
        Approvals = new { ChallengeSeconds = settings.Approvals.ChallengeTtl.TotalSeconds },
        Environments = EnvironmentCatalog.All.Select(environment => EnvironmentCatalog.Profile(environment)).Select(profile => new
        {
            Environment = profile.Environment.ToString(),
            Data = profile.Data.ToString(),
            Clock = profile.Clock.ToString(),
            Channel = profile.Channel.ToString(),
            Governance = profile.Governance.ToString(),
            profile.RequiresApproval,
            profile.ForbidsSharedAccounts,
        }),
        Ledger = new { settings.Ledger.Origin, SigningKey = settings.Ledger.KeyVaultUri is null ? "dev key file" : "Key Vault secret" },
        GitHub = settings.GitHub is { } github ? new { github.AppId, ApiUrl = github.ApiUrl.ToString(), Environments = github.Environments.ToDictionary(pair => pair.Key, pair => pair.Value.ToString()) } : null,
        Storage = settings.Storage.Describe(),
        settings.TaskHub,
    }));
}
