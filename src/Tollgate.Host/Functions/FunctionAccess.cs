using Tollgate.Governance.Identity;

namespace Tollgate.Host.Functions;

/// <summary>
/// Who may call an HTTP function. Every HTTP function declares one, so none is reachable by accident: either a
/// <see cref="GovernanceAction"/> the caller's roles must allow (<see cref="RoleMatrix"/>), or open with the reason
/// it is open.
/// </summary>
public abstract record FunctionAccess
{
    private protected FunctionAccess() { }

    public static FunctionAccess Requires(GovernanceAction action) => new RequiresAction(action);

    /// <summary>No bearer token: <paramref name="why"/> says why (a health probe, a webhook that proves itself by its signature).</summary>
    public static FunctionAccess Open(string why) => new OpenAccess(why);
}

public sealed record RequiresAction(GovernanceAction Action) : FunctionAccess;

public sealed record OpenAccess(string Why) : FunctionAccess;
