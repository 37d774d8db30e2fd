using Tollgate.Governance.Approvals;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Gates;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.Approvals;

/// <summary>Refused steps: each answers with its reason and records nothing.</summary>
public sealed class ApprovalRefusalTests
{
    private static readonly ApprovalSubject Subject = new(SubjectKind.ActivateVersionMap, DeploymentEnvironment.Paper, "vm-refusals");
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Self_approval_is_refused_and_nothing_is_recorded()
    {
        await using var world = await World.OpenAsync();
        var both = People.Person("op-and-trader", Role.Operator, Role.Trader);
        var requested = await world.RequestAsync(Subject, requester: both);
        var size = world.LedgerSize;

        await Refused.WithAsync(GovernanceReasons.FourEyes, () => world.Approvals.ApproveAsync(both, requested.Id, None));

        Assert.Equal(size, world.LedgerSize);
        Assert.Single((await world.Approvals.GetAsync(requested.Id, None)).Steps);
    }

    [Fact]
    public async Task Approving_under_a_recorded_veto_is_refused()
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject);
        await world.Approvals.VetoAsync(People.SecondTrader, requested.Id, ["RISK-TOO-HIGH"], null, None);
        var size = world.LedgerSize;

        await Refused.WithAsync(GovernanceReasons.BlockedByVeto, () => world.Approvals.ApproveAsync(People.Trader, requested.Id, None));
        await Refused.WithAsync(GovernanceReasons.BlockedByVeto, () => world.Approvals.WithdrawAsync(People.Admin, requested.Id, "override", None));
        Assert.Equal(size, world.LedgerSize);
    }

    [Fact]
    public async Task Approving_a_release_whose_gate_vetoed_it_is_refused()
    {
        await using var world = await World.OpenAsync();
        var gate = await world.Gates.EvaluateAsync(People.Pipeline, GateName.RiskCompliance,
            new GateRequest(DeploymentEnvironment.Paper, "rel-vetoed", "vm-not-registered", null, null), None);
        Assert.Equal(GateVerdict.Veto, gate.Verdict);
        var requested = await world.RequestAsync(Subject, releaseId: "rel-vetoed");
        var size = world.LedgerSize;

        var e = await Refused.WithAsync(GovernanceReasons.BlockedByGate, () => world.Approvals.ApproveAsync(People.Trader, requested.Id, None));
        Assert.Contains(gate.EvaluationId, e.Message);
        Assert.Equal(size, world.LedgerSize);
    }

    [Fact]
    public async Task Confirming_a_second_time_is_refused_as_a_used_challenge()
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject);
        var (_, challenge) = await world.Approvals.ApproveAsync(People.Trader, requested.Id, None);
        await world.Approvals.ConfirmAsync(People.Trader, requested.Id, challenge, None);
        var size = world.LedgerSize;

        await Refused.WithAsync(GovernanceReasons.ChallengeUsed, () => world.Approvals.ConfirmAsync(People.Trader, requested.Id, challenge, None));
        Assert.Equal(size, world.LedgerSize);
    }

    [Fact]
    public async Task A_challenge_confirmed_after_its_lifetime_is_refused_and_a_new_approve_gives_a_working_one()
    {
        await using var world = await World.OpenAsync(new ApprovalOptions(TimeSpan.FromSeconds(30)));
        var requested = await world.RequestAsync(Subject);
        var (_, stale) = await world.Approvals.ApproveAsync(People.Trader, requested.Id, None);
        world.Clock.Advance(TimeSpan.FromSeconds(31));
        var size = world.LedgerSize;

        await Refused.WithAsync(GovernanceReasons.ChallengeExpired, () => world.Approvals.ConfirmAsync(People.Trader, requested.Id, stale, None));
        Assert.Equal(size, world.LedgerSize);

        var (_, fresh) = await world.Approvals.ApproveAsync(People.Trader, requested.Id, None);
        await Refused.WithAsync(GovernanceReasons.ChallengeInvalid, () => world.Approvals.ConfirmAsync(People.Trader, requested.Id, stale, None));
        Assert.Equal(ApprovalState.Approved, (await world.Approvals.ConfirmAsync(People.Trader, requested.Id, fresh, None)).State);
    }

    [Fact]
    public async Task Someone_other_than_the_requester_cannot_resubmit()
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject);
        await world.Approvals.ReturnAsync(People.Trader, requested.Id, ["GOV-DOC-GAP"], null, None);
        var size = world.LedgerSize;

        await Refused.WithAsync(GovernanceReasons.RoleDenied, () => world.Approvals.ResubmitAsync(People.SecondOperator, requested.Id, "mine", None));
        Assert.Equal(size, world.LedgerSize);
        Assert.Equal(ApprovalState.Returned, (await world.Approvals.GetAsync(requested.Id, None)).State);
    }

    [Fact]
    public async Task A_shared_account_can_neither_request_nor_decide_on_paper()
    {
        await using var world = await World.OpenAsync();
        var size = world.LedgerSize;
        await Refused.WithAsync(GovernanceReasons.SharedAccount, () => world.RequestAsync(Subject, requester: People.SharedOperator));
        Assert.Equal(size, world.LedgerSize);

        var requested = await world.RequestAsync(Subject);
        size = world.LedgerSize;
        await Refused.WithAsync(GovernanceReasons.SharedAccount, () => world.Approvals.ApproveAsync(People.SharedTrader, requested.Id, None));
        await Refused.WithAsync(GovernanceReasons.SharedAccount,
            () => world.Approvals.VetoAsync(People.SharedTrader, requested.Id, ["RISK-TOO-HIGH"], null, None));
        Assert.Equal(size, world.LedgerSize);
    }

    [Fact]
    public async Task A_shared_account_may_take_part_in_a_research_approval()
    {
        await using var world = await World.OpenAsync();
        var approved = await world.ApprovedAsync(Subject with { Environment = DeploymentEnvironment.Research }, People.SharedOperator, People.SharedTrader);
        Assert.Equal(ApprovalState.Approved, approved.State);
    }

    [Fact]
    public async Task A_veto_without_reason_codes_is_refused_and_not_recorded()
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject);
        var size = world.LedgerSize;
        await Refused.WithAsync(GovernanceReasons.ReasonCodesRequired, () => world.Approvals.VetoAsync(People.Trader, requested.Id, [], "no", None));
        await Refused.WithAsync(GovernanceReasons.InvalidRequest, () => world.Approvals.ReturnAsync(People.Trader, requested.Id, ["not a code"], "no", None));
        Assert.Equal(size, world.LedgerSize);
    }
}
