namespace Tollgate.Governance.Identity;

/// <summary>
/// Which role may do what: the one table every endpoint and CLI action is checked against (docs/GOVERNANCE.md
/// prints it; a test keeps the two in step). Seed 000 §13.1: the Operator deploys, switches and rolls back; the
/// Trader alone decides approvals and cannot deploy; the Admin manages settings; the Auditor only reads; and the
/// Pipeline (CI) registers releases, evaluates gates and starts pipelines. Nobody can override a veto: no action
/// here clears one (see <see cref="Approvals.ApprovalRules"/>).
/// </summary>
public static class RoleMatrix
{
    private static readonly GovernanceAction[] Reads =
    [
        GovernanceAction.ReadOrchestrations, GovernanceAction.ReadLedger, GovernanceAction.ReadBundles, GovernanceAction.ReadVersionMaps,
        GovernanceAction.ReadGates, GovernanceAction.ReadApprovals, GovernanceAction.ReadKillSwitch, GovernanceAction.ReadMarketData, GovernanceAction.ReadMetrics,
        GovernanceAction.ReadExecution, GovernanceAction.ReadReleases, GovernanceAction.Identify,
    ];

    private static readonly Dictionary<Role, HashSet<GovernanceAction>> Allowed = new()
    {
        [Role.Operator] =
        [
            .. Reads, GovernanceAction.StartOrchestration, GovernanceAction.ControlOrchestration, GovernanceAction.AppendLedger,
            GovernanceAction.CreateBundle, GovernanceAction.StoreObject, GovernanceAction.RegisterVersionMap, GovernanceAction.SwitchVersionMap,
            GovernanceAction.RollbackVersionMap, GovernanceAction.EvaluateGate, GovernanceAction.RequestApproval, GovernanceAction.WithdrawApproval,
            GovernanceAction.EngageKillSwitch, GovernanceAction.ReleaseKillSwitch, GovernanceAction.PreflightKillSwitch, GovernanceAction.Reconcile,
            GovernanceAction.StartRelease, GovernanceAction.ControlRelease, GovernanceAction.AbortRelease,
        ],
        // Any human who sees something wrong can stop trading; only the Trader decides.
        [Role.Trader] = [.. Reads, GovernanceAction.DecideApproval, GovernanceAction.EngageKillSwitch, GovernanceAction.AbortRelease],
        [Role.Admin] =
        [
            .. Reads, GovernanceAction.ReadSettings, GovernanceAction.PurgeOrchestration, GovernanceAction.WithdrawApproval,
            GovernanceAction.EngageKillSwitch, GovernanceAction.PreflightKillSwitch,
        ],
        [Role.Auditor] = [.. Reads, GovernanceAction.ReadSettings],
        // Stop-the-line automation engages the kill switch; CI never releases it.
        [Role.Pipeline] =
        [
            .. Reads, GovernanceAction.StartOrchestration, GovernanceAction.AppendLedger, GovernanceAction.CreateBundle, GovernanceAction.StoreObject,
            GovernanceAction.RegisterVersionMap, GovernanceAction.EvaluateGate, GovernanceAction.RequestApproval,
            GovernanceAction.EngageKillSwitch, GovernanceAction.PreflightKillSwitch, GovernanceAction.Reconcile, GovernanceAction.StartRelease,
        ],
    };

    public static bool Allows(Role role, GovernanceAction action) => Allowed[role].Contains(action);

    public static bool Allows(Principal principal, GovernanceAction action) => principal.Roles.Any(role => Allows(role, action));

    /// <summary>The roles that may do <paramref name="action"/>, for error messages and the documentation.</summary>
    public static IReadOnlyList<Role> RolesFor(GovernanceAction action) => [.. Enum.GetValues<Role>().Where(role => Allows(role, action))];
}
