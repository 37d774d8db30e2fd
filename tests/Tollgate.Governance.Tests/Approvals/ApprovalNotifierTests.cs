using Tollgate.Governance.Approvals;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.Approvals;

public sealed class ApprovalNotifierTests
{
    private static readonly ApprovalSubject Subject = new(SubjectKind.ActivateVersionMap, DeploymentEnvironment.Paper, "vm-notify");
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_waiting_instance_is_told_the_decided_approval_and_not_the_challenge_step()
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject, instanceId: "pipeline-42");
        var (_, challenge) = await world.Approvals.ApproveAsync(People.Trader, requested.Id, None);
        Assert.Empty(world.Notifier.Told);

        await world.Approvals.ConfirmAsync(People.Trader, requested.Id, challenge, None);

        var told = Assert.Single(world.Notifier.Told);
        Assert.Equal((requested.Id, ApprovalState.Approved, "pipeline-42", People.Trader.Subject), (told.Id, told.State, told.InstanceId, told.DecidedBy));
    }

    [Fact]
    public async Task A_veto_and_a_return_are_told_but_a_resubmit_is_not()
    {
        await using var world = await World.OpenAsync();
        var returned = await world.RequestAsync(Subject, instanceId: "pipeline-7");
        await world.Approvals.ReturnAsync(People.Trader, returned.Id, ["GOV-DOC-GAP"], null, None);
        await world.Approvals.ResubmitAsync(People.Operator, returned.Id, "fixed", None);
        await world.Approvals.VetoAsync(People.Trader, returned.Id, ["RISK-TOO-HIGH"], null, None);

        Assert.Equal([ApprovalState.Returned, ApprovalState.Vetoed], world.Notifier.Told.Select(told => told.State));
    }

    [Fact]
    public async Task Nobody_is_told_when_no_instance_waits()
    {
        await using var world = await World.OpenAsync();
        await world.ApprovedAsync(Subject);
        var vetoed = await world.RequestAsync(Subject);
        await world.Approvals.VetoAsync(People.Trader, vetoed.Id, ["RISK-TOO-HIGH"], null, None);
        Assert.Empty(world.Notifier.Told);
    }

    [Fact]
    public async Task A_refused_decision_tells_nobody()
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject, instanceId: "pipeline-9");
        await Refused.WithAsync(GovernanceReasons.NoChallenge, () => world.Approvals.ConfirmAsync(People.Trader, requested.Id, "guess", None));
        Assert.Empty(world.Notifier.Told);
    }

    [Fact]
    public async Task A_notification_that_fails_loses_nothing_of_the_decision()
    {
        await using var world = await World.OpenAsync();
        world.Notifier.Unreachable = true;
        var approved = await world.ApprovedAsync(Subject, instanceId: "pipeline-lost");

        Assert.Equal(ApprovalState.Approved, approved.State);
        Assert.Equal(ApprovalState.Approved, (await world.Approvals.GetAsync(approved.Id, None)).State);
        Assert.Contains(await world.EntriesAsync("approval"), entry => World.Text(entry, "step") == "CONFIRM");
    }
}
