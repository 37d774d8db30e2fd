using Tollgate.Governance.Environments;
using Tollgate.Governance.KillSwitch;

namespace Tollgate.Governance.Tests.KillSwitch;

public sealed class KillSwitchBoardTests
{
    private static KillSwitchState State(DeploymentEnvironment environment, long sequence, bool engaged, bool audited = true) =>
        new(environment, engaged, sequence, "why", [], "someone", DateTimeOffset.UnixEpoch.AddSeconds(sequence), audited, audited ? sequence : null);

    [Fact]
    public void A_new_board_has_every_switch_released_at_sequence_zero() =>
        Assert.All(EnvironmentCatalog.All, environment =>
        {
            var board = new KillSwitchBoard();
            Assert.False(board.IsEngaged(environment));
            Assert.Equal(KillSwitchState.Initial(environment), board.Current(environment));
        });

    [Fact]
    public void An_older_or_equal_state_arriving_late_is_ignored()
    {
        var board = new KillSwitchBoard();
        Assert.True(board.Apply(State(DeploymentEnvironment.Live, 2, engaged: true)));
        Assert.False(board.Apply(State(DeploymentEnvironment.Live, 1, engaged: false)));
        Assert.False(board.Apply(State(DeploymentEnvironment.Live, 2, engaged: false)));
        Assert.True(board.IsEngaged(DeploymentEnvironment.Live));
        Assert.True(board.Apply(State(DeploymentEnvironment.Live, 3, engaged: false)));
        Assert.False(board.IsEngaged(DeploymentEnvironment.Live));
    }

    [Fact]
    public void An_emergency_engagement_overrides_the_record_it_follows_and_its_absorption_overrides_it()
    {
        var board = new KillSwitchBoard();
        board.Apply(State(DeploymentEnvironment.Paper, 4, engaged: false));
        Assert.True(board.Apply(State(DeploymentEnvironment.Paper, 4, engaged: true, audited: false)));
        Assert.True(board.IsEngaged(DeploymentEnvironment.Paper));
        Assert.False(board.Apply(State(DeploymentEnvironment.Paper, 4, engaged: false)));
        Assert.True(board.IsEngaged(DeploymentEnvironment.Paper));
        Assert.True(board.Apply(State(DeploymentEnvironment.Paper, 5, engaged: true)));
        Assert.True(board.Current(DeploymentEnvironment.Paper).Audited);
    }

    [Fact]
    public void Each_environment_has_its_own_switch()
    {
        var board = new KillSwitchBoard();
        board.Apply(State(DeploymentEnvironment.Live, 1, engaged: true));
        Assert.True(board.IsEngaged(DeploymentEnvironment.Live));
        Assert.All(EnvironmentCatalog.All.Where(environment => environment != DeploymentEnvironment.Live),
            environment => Assert.False(board.IsEngaged(environment)));
    }

    [Fact]
    public void Observers_hear_every_change_and_only_changes_until_they_unsubscribe()
    {
        var board = new KillSwitchBoard();
        var heard = new List<KillSwitchState>();
        var subscription = board.Subscribe(heard.Add);
        Assert.Equal(1, board.ObserverCount);

        var engaged = State(DeploymentEnvironment.Live, 1, engaged: true);
        board.Apply(engaged);
        board.Apply(State(DeploymentEnvironment.Live, 1, engaged: true));
        board.Apply(State(DeploymentEnvironment.Live, 0, engaged: false));
        subscription.Dispose();
        subscription.Dispose();
        board.Apply(State(DeploymentEnvironment.Live, 2, engaged: false));

        Assert.Equal([engaged], heard);
        Assert.Equal(0, board.ObserverCount);
    }
}
