using Tollgate.Governance.Identity;
using Tollgate.Governance.Tests.Support;
using static Tollgate.Governance.Identity.GovernanceAction;

namespace Tollgate.Governance.Tests.Identity;

public sealed class RoleMatrixTests
{
    private static readonly GovernanceAction[] Reads =
        [ReadOrchestrations, ReadLedger, ReadBundles, ReadVersionMaps, ReadGates, ReadApprovals, ReadKillSwitch, ReadMarketData, ReadMetrics, ReadExecution, ReadReleases, Identify];

    /// <summary>Seed 000 §13.1, written out by hand: the matrix must be exactly this.</summary>
    private static readonly Dictionary<Role, GovernanceAction[]> Expected = new()
    {
        [Role.Operator] =
        [
            .. Reads, StartOrchestration, ControlOrchestration, AppendLedger, CreateBundle, StoreObject, RegisterVersionMap, SwitchVersionMap,
            RollbackVersionMap, EvaluateGate, RequestApproval, WithdrawApproval, EngageKillSwitch, ReleaseKillSwitch, PreflightKillSwitch, Reconcile,
            StartRelease, ControlRelease, AbortRelease,
        ],
        [Role.Trader] = [.. Reads, DecideApproval, EngageKillSwitch, AbortRelease],
        [Role.Admin] = [.. Reads, ReadSettings, PurgeOrchestration, WithdrawApproval, EngageKillSwitch, PreflightKillSwitch],
        [Role.Auditor] = [.. Reads, ReadSettings],
        [Role.Pipeline] =
        [
            .. Reads, StartOrchestration, AppendLedger, CreateBundle, StoreObject, RegisterVersionMap, EvaluateGate, RequestApproval,
            EngageKillSwitch, PreflightKillSwitch, Reconcile, StartRelease,
        ],
    };

    public static TheoryData<Role> Roles => [.. Enum.GetValues<Role>()];

    [Theory]
    [MemberData(nameof(Roles))]
    public void Each_role_is_allowed_exactly_the_actions_of_the_seed_matrix(Role role)
    {
        var allowed = Enum.GetValues<GovernanceAction>().Where(action => RoleMatrix.Allows(role, action)).ToHashSet();
        Assert.Equal(Expected[role].ToHashSet().Order(), allowed.Order());
    }

    [Fact]
    public void The_trader_alone_decides_approvals() => Assert.Equal([Role.Trader], RoleMatrix.RolesFor(DecideApproval));

    [Fact]
    public void The_operator_cannot_decide_an_approval() => Assert.False(RoleMatrix.Allows(Role.Operator, DecideApproval));

    [Theory]
    [InlineData(ReleaseKillSwitch)]
    [InlineData(SwitchVersionMap)]
    [InlineData(RollbackVersionMap)]
    [InlineData(DecideApproval)]
    public void The_pipeline_cannot_release_the_kill_switch_switch_maps_or_decide(GovernanceAction action) =>
        Assert.False(RoleMatrix.Allows(Role.Pipeline, action));

    [Fact]
    public void The_auditor_only_reads()
    {
        var allowed = Enum.GetValues<GovernanceAction>().Where(action => RoleMatrix.Allows(Role.Auditor, action));
        Assert.All(allowed, action => Assert.True(action.ToString().StartsWith("Read", StringComparison.Ordinal) || action == Identify, $"Auditor may {action}"));
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Every_role_has_every_shared_read_action_and_identify(Role role) =>
        Assert.All(Reads, action => Assert.True(RoleMatrix.Allows(role, action), $"{role} may not {action}"));

    [Fact]
    public void Every_read_action_but_settings_is_shared_by_all_roles()
    {
        var reads = Enum.GetValues<GovernanceAction>().Where(action => action.ToString().StartsWith("Read", StringComparison.Ordinal)).Append(Identify);
        Assert.Equal([ReadSettings], reads.Except(Reads));
        Assert.Equal([Role.Admin, Role.Auditor], RoleMatrix.RolesFor(ReadSettings));
    }

    [Fact]
    public void Nobody_may_both_decide_an_approval_and_switch_what_it_approves()
    {
        foreach (var role in Enum.GetValues<Role>())
            Assert.False(RoleMatrix.Allows(role, DecideApproval) && RoleMatrix.Allows(role, SwitchVersionMap), $"{role} decides and switches");
    }

    [Fact]
    public void A_principal_may_do_what_any_of_its_roles_allows()
    {
        var both = People.Person("two-hats", Role.Auditor, Role.Trader);
        Assert.True(RoleMatrix.Allows(both, DecideApproval));
        Assert.True(RoleMatrix.Allows(both, ReadSettings));
        Assert.False(RoleMatrix.Allows(both, SwitchVersionMap));
        Assert.False(RoleMatrix.Allows(People.Person("no-roles"), Identify));
    }
}
