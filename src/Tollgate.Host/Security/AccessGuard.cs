using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tollgate.Governance;
using Tollgate.Governance.Identity;
using Tollgate.Host.Api;
using Tollgate.Host.Hosting;
using Tollgate.Host.Settings;
using Tollgate.Ledger.Entries;

namespace Tollgate.Host.Security;

/// <summary>
/// The access check every HTTP function passes before its handler runs: a valid token (401 otherwise), and roles
/// that allow the function's action (403 otherwise). Every refusal, here or later in a handler, answers a reason
/// code and is recorded in the ledger as an <c>access_denied</c> entry.
/// </summary>
public sealed class AccessGuard(HostSettings settings, LedgerHost ledger, TimeProvider clock, ILogger<AccessGuard> logger)
{
    /// <summary>Null when the caller may go on (and is then <see cref="CallerIdentity.Of"/>); else the refusal to answer.</summary>
    public async Task<IResult?> CheckAsync(HttpContext http, GovernanceAction action)
    {
        var result = await http.AuthenticateAsync(TokenAuthentication.Scheme);
        if (result.None || !result.Succeeded)
        {
            var reason = result.None ? GovernanceReasons.TokenMissing : TokenAuthentication.ReasonFor(result.Failure);
            return await DenyAsync(http, action.ToString(), reason, StatusCodes.Status401Unauthorized, TokenAuthentication.MessageFor(reason), null);
        }
        if (CallerIdentity.FromClaims(result.Principal!, settings.Auth) is not { } caller)
            return await DenyAsync(http, action.ToString(), GovernanceReasons.TokenInvalid, StatusCodes.Status401Unauthorized,
                "The token names no subject (oid or sub).", null);
        CallerIdentity.Set(http, caller);
        if (!RoleMatrix.Allows(caller, action))
            return await DenyAsync(http, action.ToString(), GovernanceReasons.RoleDenied, StatusCodes.Status403Forbidden,
                $"{action} needs one of the roles {string.Join(", ", RoleMatrix.RolesFor(action))}; {caller.Subject} has {(caller.Roles.Count == 0 ? "none" : string.Join(", ", caller.Roles))}.",
                caller.Subject);
        return null;
    }

    /// <summary>Records the refusal in the ledger (best effort: a ledger that is down must not turn a 403 into a 500) and returns it.</summary>
    public async Task<IResult> DenyAsync(HttpContext http, string action, string reason, int status, string message, string? subject)
    {
        var route = $"{http.Request.Method} {http.Request.Path}";
        route = new string([.. (route.Length > 200 ? route[..200] : route).Select(c => char.IsControl(c) ? '?' : c)]);
        try
        {
            var entry = LedgerEntry.Create(
                new LedgerEntryFields("access_denied", $"denied:{Guid.NewGuid():N}", clock.GetUtcNow(), subject ?? "anonymous",
                    Correlation(http), null, []),
                new JsonObject
                {
                    ["action"] = action, ["route"] = route, ["reason_code"] = reason, ["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["remote"] = http.Connection.RemoteIpAddress?.ToString(),
                });
            if (ledger.Writer is { } writer) await writer.AppendAsync(entry, http.RequestAborted);
            else logger.LogWarning("Access denied ({Reason}) to {Route} not recorded: the ledger is not open", reason, route);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Access denied ({Reason}) to {Route} not recorded: {Error}", reason, route, e.Message);
        }
        return ApiErrors.Result(reason, message, status);
    }

    /// <summary>The request's trace id in ledger key syntax (printable ASCII, no spaces).</summary>
    private static string Correlation(HttpContext http)
    {
        var id = http.TraceIdentifier;
        return id.Length is > 0 and <= 128 && id.All(c => c is > ' ' and < '\u007f') ? id : Guid.NewGuid().ToString("N");
    }
}
