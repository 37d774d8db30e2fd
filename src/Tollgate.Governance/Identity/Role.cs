namespace Tollgate.Governance.Identity;

/// <summary>
/// The Ops roles of seed 000 §13.1, plus <see cref="Pipeline"/> for CI. A caller's roles come from the token's
/// <c>roles</c> claim (Entra ID app roles, or the same claim in a local token).
/// </summary>
public enum Role
{
    /// <summary>Deploys, switches and rolls back; cannot override a risk veto.</summary>
    Operator,

    /// <summary>The human decision: approves, vetoes or returns; cannot deploy.</summary>
    Trader,

    /// <summary>Manages settings and access; cannot override a veto either.</summary>
    Admin,

    /// <summary>Reads audit records and replays; changes nothing.</summary>
    Auditor,

    /// <summary>CI: registers releases, evaluates gates, starts pipelines.</summary>
    Pipeline,
}
