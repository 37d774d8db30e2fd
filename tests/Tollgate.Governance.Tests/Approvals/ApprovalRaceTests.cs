using Tollgate.Governance.Approvals;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.Approvals;

public sealed class ApprovalRaceTests
{
    private static readonly ApprovalSubject Subject = new(SubjectKind.ActivateVersionMap, DeploymentEnvironment.Paper, "vm-race");
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<List<(ApprovalCase? Result, GovernanceException? Refusal)>> RaceAsync(int callers, Func<Task<ApprovalCase>> call)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            try { return ((ApprovalCase?)await call(), (GovernanceException?)null); }
            catch (GovernanceException e) { return (null, e); }
        })).ToList();
        start.SetResult();
        return [.. await Task.WhenAll(calls)];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Confirms_racing_in_parallel_record_exactly_one_confirm(bool distinctTimes)
    {
        await using var world = await World.OpenAsync();
        var requested = await world.RequestAsync(Subject);
        var (_, challenge) = await world.Approvals.ApproveAsync(People.Trader, requested.Id, None);
        if (distinctTimes) world.Clock.TickPerRead = TimeSpan.FromMilliseconds(1);

        var outcomes = await RaceAsync(8, () => world.Approvals.ConfirmAsync(People.Trader, requested.Id, challenge, None));

        var confirms = (await world.EntriesAsync("approval")).Where(entry => World.Text(entry, "step") == "CONFIRM").ToList();
        Assert.Single(confirms);
        Assert.Contains(outcomes, outcome => outcome.Result?.State == ApprovalState.Approved);
        Assert.All(outcomes.Where(outcome => outcome.Refusal is not null),
            outcome => Assert.Equal(GovernanceReasons.ChallengeUsed, outcome.Refusal!.Reason));
        Assert.Equal(["REQUEST", "CHALLENGE", "CONFIRM"], (await world.Approvals.GetAsync(requested.Id, None)).Steps.Select(step => step.Step));
    }

    [Fact]
    public async Task A_veto_racing_a_confirm_always_lands_and_no_confirm_follows_it()
    {
        await using var world = await World.OpenAsync();
        world.Clock.TickPerRead = TimeSpan.FromMilliseconds(1);
        var requested = await world.RequestAsync(Subject);
        var (_, challenge) = await world.Approvals.ApproveAsync(People.Trader, requested.Id, None);

        var confirm = Task.Run(() => world.Approvals.ConfirmAsync(People.Trader, requested.Id, challenge, None));
        var veto = Task.Run(() => world.Approvals.VetoAsync(People.SecondTrader, requested.Id, ["RISK-TOO-HIGH"], null, None));
        await veto;
        var confirmRefusal = await Record.ExceptionAsync(() => confirm);

        var final = await world.Approvals.GetAsync(requested.Id, None);
        var steps = final.Steps.Select(step => step.Step).ToList();
        Assert.Equal(ApprovalState.Vetoed, final.State);
        Assert.Equal("VETO", steps[^1]);
        if (confirmRefusal is null) Assert.Equal(["REQUEST", "CHALLENGE", "CONFIRM", "VETO"], steps);
        else
        {
            Assert.Equal(GovernanceReasons.BlockedByVeto, Assert.IsType<GovernanceException>(confirmRefusal).Reason);
            Assert.Equal(["REQUEST", "CHALLENGE", "VETO"], steps);
        }
    }
}
