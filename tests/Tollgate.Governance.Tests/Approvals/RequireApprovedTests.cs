using Tollgate.Governance.Approvals;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.Approvals;

public sealed class RequireApprovedTests
{
    private static readonly ApprovalSubject Subject = new(SubjectKind.ActivateVersionMap, DeploymentEnvironment.Live, "vm-require");
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_approved_approval_for_exactly_the_subject_lets_another_person_carry_it_out()
    {
        await using var world = await World.OpenAsync();
        var approved = await world.ApprovedAsync(Subject);
        var checkedOut = await world.Approvals.RequireApprovedAsync(approved.Id, Subject, People.Operator, None);
        Assert.Equal(approved.Id, checkedOut.Id);
    }

    [Fact]
    public async Task No_approval_id_is_refused_as_approval_required() =>
        await Refused.WithAsync(GovernanceReasons.ApprovalRequired, async () =>
        {
            await using var world = await World.OpenAsync();
            await world.Approvals.RequireApprovedAsync(null, Subject, People.Operator, None);
        });

    [Theory]
    [InlineData(SubjectKind.ActivateVersionMap, DeploymentEnvironment.Live, "vm-other")]
    [InlineData(SubjectKind.ActivateVersionMap, DeploymentEnvironment.Paper, "vm-require")]
    [InlineData(SubjectKind.RollbackVersionMap, DeploymentEnvironment.Live, "vm-require")]
    public async Task An_approval_for_another_subject_is_refused(SubjectKind kind, DeploymentEnvironment environment, string reference)
    {
        await using var world = await World.OpenAsync();
        var approved = await world.ApprovedAsync(Subject);
        await Refused.WithAsync(GovernanceReasons.SubjectMismatch,
            () => world.Approvals.RequireApprovedAsync(approved.Id, new ApprovalSubject(kind, environment, reference), People.Operator, None));
    }

    [Fact]
    public async Task An_approval_that_is_not_approved_is_refused_by_its_state()
    {
        await using var world = await World.OpenAsync();
        var pending = await world.RequestAsync(Subject);
        var (challenged, _) = await world.Approvals.ApproveAsync(People.Trader, (await world.RequestAsync(Subject)).Id, None);
        var vetoed = await world.RequestAsync(Subject);
        await world.Approvals.VetoAsync(People.Trader, vetoed.Id, ["RISK-TOO-HIGH"], null, None);
        var returned = await world.RequestAsync(Subject);
        await world.Approvals.ReturnAsync(People.Trader, returned.Id, ["GOV-DOC-GAP"], null, None);

        await Refused.WithAsync(GovernanceReasons.ApprovalRequired, () => world.Approvals.RequireApprovedAsync(pending.Id, Subject, People.Operator, None));
        await Refused.WithAsync(GovernanceReasons.ApprovalRequired, () => world.Approvals.RequireApprovedAsync(challenged.Id, Subject, People.Operator, None));
        await Refused.WithAsync(GovernanceReasons.BlockedByVeto, () => world.Approvals.RequireApprovedAsync(vetoed.Id, Subject, People.Operator, None));
        await Refused.WithAsync(GovernanceReasons.BlockedByReturn, () => world.Approvals.RequireApprovedAsync(returned.Id, Subject, People.Operator, None));
    }

    [Fact]
    public async Task The_approver_cannot_also_carry_the_subject_out()
    {
        await using var world = await World.OpenAsync();
        var approved = await world.ApprovedAsync(Subject);
        await Refused.WithAsync(GovernanceReasons.FourEyes, () => world.Approvals.RequireApprovedAsync(approved.Id, Subject, People.Trader, None));
    }

    [Fact]
    public async Task An_unknown_approval_id_is_not_found()
    {
        await using var world = await World.OpenAsync();
        await Refused.WithAsync(GovernanceReasons.ApprovalNotFound, () => world.Approvals.RequireApprovedAsync("ap-missing", Subject, People.Operator, None));
    }
}
