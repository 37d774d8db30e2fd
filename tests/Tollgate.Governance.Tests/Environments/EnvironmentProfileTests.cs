using Tollgate.Governance.Environments;

namespace Tollgate.Governance.Tests.Environments;

public sealed class EnvironmentProfileTests
{
    [Theory]
    [InlineData(DeploymentEnvironment.Paper)]
    [InlineData(DeploymentEnvironment.Live)]
    public void Paper_and_live_are_live_grade_need_approval_and_forbid_shared_accounts(DeploymentEnvironment environment)
    {
        var profile = EnvironmentCatalog.Profile(environment);
        Assert.Equal(GovernanceLevel.LiveGrade, profile.Governance);
        Assert.True(profile.RequiresApproval);
        Assert.True(profile.ForbidsSharedAccounts);
    }

    [Theory]
    [InlineData(DeploymentEnvironment.Research)]
    [InlineData(DeploymentEnvironment.Backtest)]
    [InlineData(DeploymentEnvironment.Simulation)]
    public void The_other_environments_are_standard(DeploymentEnvironment environment)
    {
        var profile = EnvironmentCatalog.Profile(environment);
        Assert.Equal(GovernanceLevel.Standard, profile.Governance);
        Assert.False(profile.RequiresApproval);
        Assert.False(profile.ForbidsSharedAccounts);
    }

    [Fact]
    public void Paper_differs_from_live_only_in_its_order_channel()
    {
        var paper = EnvironmentCatalog.Profile(DeploymentEnvironment.Paper);
        var live = EnvironmentCatalog.Profile(DeploymentEnvironment.Live);
        Assert.Equal((live.Data, live.Clock), (paper.Data, paper.Clock));
        Assert.Equal((OrderChannel.Paper, OrderChannel.Exchange), (paper.Channel, live.Channel));
    }

    [Fact]
    public void Every_environment_has_a_profile_of_its_own() =>
        Assert.All(EnvironmentCatalog.All, environment => Assert.Equal(environment, EnvironmentCatalog.Profile(environment).Environment));

    [Theory]
    [InlineData(DeploymentEnvironment.Paper, DataSource.Realtime, ClockMode.Real, OrderChannel.Exchange)]
    [InlineData(DeploymentEnvironment.Paper, DataSource.Realtime, ClockMode.Real, OrderChannel.Simulated)]
    [InlineData(DeploymentEnvironment.Paper, DataSource.Historical, ClockMode.Real, OrderChannel.Paper)]
    [InlineData(DeploymentEnvironment.Paper, DataSource.Realtime, ClockMode.Simulated, OrderChannel.Paper)]
    [InlineData(DeploymentEnvironment.Live, DataSource.Realtime, ClockMode.Real, OrderChannel.Paper)]
    [InlineData(DeploymentEnvironment.Live, DataSource.Realtime, ClockMode.Real, OrderChannel.None)]
    [InlineData(DeploymentEnvironment.Live, DataSource.Historical, ClockMode.Real, OrderChannel.Exchange)]
    [InlineData(DeploymentEnvironment.Live, DataSource.Realtime, ClockMode.Simulated, OrderChannel.Exchange)]
    public void A_profile_that_breaks_a_seed_invariant_cannot_be_built(DeploymentEnvironment environment, DataSource data, ClockMode clock, OrderChannel channel) =>
        Assert.Throws<ArgumentException>(() => new EnvironmentProfile(environment, data, clock, channel));

    [Theory]
    [InlineData(OrderChannel.Paper)]
    [InlineData(OrderChannel.Exchange)]
    public void An_environment_whose_orders_reach_a_real_channel_is_live_grade(OrderChannel channel)
    {
        var profile = new EnvironmentProfile(DeploymentEnvironment.Simulation, DataSource.Realtime, ClockMode.Simulated, channel);
        Assert.Equal(GovernanceLevel.LiveGrade, profile.Governance);
        Assert.True(profile.RequiresApproval);
        Assert.True(profile.ForbidsSharedAccounts);
    }
}
