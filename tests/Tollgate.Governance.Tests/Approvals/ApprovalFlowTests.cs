using Tollgate.Governance.Approvals;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.Approvals;

public sealed class ApprovalFlowTests
{
    private static readonly ApprovalSubject Subject = new(SubjectKind.ActivateVersionMap, DeploymentEnvironment.Paper, "vm-flow");
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Request_approve_confirm_ends_approved_with_every_step_a_ledger_entry()
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject);
        Assert.Equal(ApprovalState.Pending, requested.State);

        var (challenged, challenge) = await world.Approvals.ApproveAsync(People.Trader, requested.Id, None);
        Assert.Equal(ApprovalState.Pending, challenged.State);
        Assert.Equal(People.Trader.Subject, challenged.Challenge?.Approver);
        Assert.Equal(ApprovalRules.HashChallenge(challenge), challenged.Challenge?.Sha256);

        var approved = await world.Approvals.ConfirmAsync(People.Trader, requested.Id, challenge, None);
        Assert.Equal(ApprovalState.Approved, approved.State);
        Assert.Equal(People.Trader.Subject, approved.DecidedBy);
        Assert.Equal(People.Operator.Subject, approved.Requester);
        Assert.Equal(Subject, approved.Subject);

        var entries = await world.EntriesAsync("approval");
        Assert.Equal(["REQUEST", "CHALLENGE", "CONFIRM"], entries.Select(entry => World.Text(entry, "step")));
        Assert.Equal([People.Operator.Subject, People.Trader.Subject, People.Trader.Subject], entries.Select(entry => entry.Fields.Actor));
        Assert.All(entries, entry => Assert.Equal(requested.Id, World.Text(entry, "approval_id")));
        Assert.All(entries, entry => Assert.Equal(Subject.ToString(), World.Text(entry, "subject_ref")));
        Assert.All(entries, entry => Assert.Equal("Paper", entry.Fields.Environment));
        Assert.Equal(entries.Select(entry => entry.Key), approved.Steps.Select(step => $"approval-{requested.Id}:{step.Sequence:D10}"));
    }

    [Fact]
    public async Task The_ledger_keeps_the_challenge_hash_never_the_challenge()
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject);
        var (_, challenge) = await world.Approvals.ApproveAsync(People.Trader, requested.Id, None);

        var entry = (await world.EntriesAsync("approval")).Single(e => World.Text(e, "step") == "CHALLENGE");
        Assert.Equal(ApprovalRules.HashChallenge(challenge), World.Text(entry, "challenge_sha256"));
        Assert.DoesNotContain(challenge, System.Text.Encoding.UTF8.GetString(entry.Bytes));
        Assert.Equal("2026-02-02T09:02:00.000Z", World.Text(entry, "expires_at"));
    }

    [Fact]
    public async Task A_returned_approval_resubmitted_by_its_requester_can_then_be_approved()
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject);
        var returned = await world.Approvals.ReturnAsync(People.Trader, requested.Id, ["GOV-DOC-GAP"], "runbook missing", None);
        Assert.Equal(ApprovalState.Returned, returned.State);
        Assert.Equal(["GOV-DOC-GAP"], returned.ReasonCodes);

        var resubmitted = await world.Approvals.ResubmitAsync(People.Operator, requested.Id, "runbook added", None);
        Assert.Equal(ApprovalState.Pending, resubmitted.State);
        Assert.Empty(resubmitted.ReasonCodes);

        var (_, challenge) = await world.Approvals.ApproveAsync(People.Trader, requested.Id, None);
        var approved = await world.Approvals.ConfirmAsync(People.Trader, requested.Id, challenge, None);
        Assert.Equal(ApprovalState.Approved, approved.State);
        Assert.Equal(["REQUEST", "RETURN", "RESUBMIT", "CHALLENGE", "CONFIRM"], approved.Steps.Select(step => step.Step));
    }

    [Fact]
    public async Task A_return_clears_a_pending_challenge_so_it_cannot_be_confirmed_after_resubmit()
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject);
        var (_, challenge) = await world.Approvals.ApproveAsync(People.Trader, requested.Id, None);
        await world.Approvals.ReturnAsync(People.SecondTrader, requested.Id, ["GOV-DOC-GAP"], null, None);
        await world.Approvals.ResubmitAsync(People.Operator, requested.Id, "fixed", None);

        await Refused.WithAsync(GovernanceReasons.NoChallenge, () => world.Approvals.ConfirmAsync(People.Trader, requested.Id, challenge, None));
    }

    [Fact]
    public async Task A_veto_is_recorded_with_its_reason_codes_and_stands()
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject);
        var vetoed = await world.Approvals.VetoAsync(People.Trader, requested.Id, ["RISK-TOO-HIGH"], "too big", None);
        Assert.Equal((ApprovalState.Vetoed, People.Trader.Subject), (vetoed.State, vetoed.DecidedBy));

        var entry = (await world.EntriesAsync("approval")).Last();
        Assert.Equal("VETO", World.Text(entry, "step"));
        Assert.Equal("RISK-TOO-HIGH", World.PayloadOf(entry).GetProperty("reason_codes")[0].GetString());
        Assert.Equal(ApprovalState.Vetoed, (await world.Approvals.GetAsync(requested.Id, None)).State);
    }

    [Fact]
    public async Task A_withdrawn_approval_takes_no_further_step()
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject);
        var withdrawn = await world.Approvals.WithdrawAsync(People.Operator, requested.Id, "not needed", None);
        Assert.Equal(ApprovalState.Withdrawn, withdrawn.State);
        await Refused.WithAsync(GovernanceReasons.NotPending, () => world.Approvals.ApproveAsync(People.Trader, requested.Id, None));
    }

    [Fact]
    public async Task Approvals_are_listed_newest_first_and_an_unknown_id_is_not_found()
    {
        await using var world = await World.OpenAsync();
        var first = await world.RequestAsync(Subject);
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await world.RequestAsync(Subject with { Reference = "vm-other" });

        Assert.Equal([second.Id, first.Id], (await world.Approvals.ListAsync(10, None)).Select(approval => approval.Id));
        await Refused.WithAsync(GovernanceReasons.ApprovalNotFound, () => world.Approvals.GetAsync("ap-nope", None));
    }

    [Fact]
    public async Task A_stream_that_does_not_start_with_a_request_is_not_an_approval()
    {
        await using var world = await World.OpenAsync();
        await world.Writer.AppendAsync(Tollgate.Ledger.Entries.LedgerEntry.Create(
            new Tollgate.Ledger.Entries.LedgerEntryFields("approval", "approval-ap-00000000000000000f0f:0000000001", World.T0, "trader-ben", "ap-00000000000000000f0f", "Paper", []),
            new System.Text.Json.Nodes.JsonObject { ["approval_id"] = "ap-00000000000000000f0f", ["step"] = "CONFIRM", ["subject_ref"] = Subject.ToString() }));
        await Assert.ThrowsAsync<InvalidDataException>(() => world.Approvals.GetAsync("ap-00000000000000000f0f", None));
    }
}
