using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Tollgate.Governance.Identity;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Security;

/// <summary>The caller of a request, as its validated token says; set by the access check before a handler runs.</summary>
public static class CallerIdentity
{
    private const string ItemKey = "tollgate.caller";

    /// <summary>Entra ID app roles may be named <c>Tollgate.Operator</c> or <c>Operator</c>; both mean <see cref="Role.Operator"/>.</summary>
    private const string RolePrefix = "Tollgate.";

    public static Principal Of(HttpContext http) =>
        Find(http) ?? throw new InvalidOperationException("The access check did not run for this request.");

    /// <summary>The caller, or null before the access check (or for an open function).</summary>
    public static Principal? Find(HttpContext http) => http.Items.TryGetValue(ItemKey, out var caller) ? caller as Principal : null;

    public static void Set(HttpContext http, Principal principal) => http.Items[ItemKey] = principal;

    /// <summary>A <see cref="Principal"/> from validated claims; null when the token names no subject.</summary>
    public static Principal? FromClaims(ClaimsPrincipal claims, AuthSettings settings)
    {
        // oid is Entra ID's stable object id (sub is pairwise per app); local tokens carry sub.
        var subject = claims.FindFirst("oid")?.Value ?? claims.FindFirst("sub")?.Value;
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > 256 || subject.Any(c => char.IsControl(c) || c == ' ')) return null;
        var roles = claims.FindAll("roles").Select(claim => claim.Value.StartsWith(RolePrefix, StringComparison.Ordinal) ? claim.Value[RolePrefix.Length..] : claim.Value)
            .Select(name => Enum.TryParse<Role>(name, ignoreCase: false, out var role) && Enum.IsDefined(role) && role.ToString() == name ? role : (Role?)null)
            .OfType<Role>().ToHashSet();
        var name = claims.FindFirst("name")?.Value ?? claims.FindFirst("preferred_username")?.Value;
        var shared = settings.SharedAccounts.Contains(subject) || claims.FindFirst("tollgate_shared")?.Value == "true";
        return new Principal(subject, name, roles, shared);
    }
}
