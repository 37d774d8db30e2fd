using Tollgate.Governance.Environments;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.Environments;

public sealed class EnvironmentPolicyTests
{
    [Theory]
    [InlineData(DeploymentEnvironment.Paper)]
    [InlineData(DeploymentEnvironment.Live)]
    public void A_shared_account_may_not_act_on_a_live_grade_environment(DeploymentEnvironment environment)
    {
        var e = Refused.With(GovernanceReasons.SharedAccount, () => EnvironmentPolicy.CheckActor(People.SharedOperator, environment));
        Assert.Contains(People.SharedOperator.Subject, e.Message);
    }

    [Theory]
    [InlineData(DeploymentEnvironment.Research)]
    [InlineData(DeploymentEnvironment.Backtest)]
    [InlineData(DeploymentEnvironment.Simulation)]
    public void A_shared_account_may_act_on_a_standard_environment(DeploymentEnvironment environment) =>
        EnvironmentPolicy.CheckActor(People.SharedOperator, environment);

    [Fact]
    public void A_personal_account_may_act_everywhere() =>
        Assert.All(EnvironmentCatalog.All, environment => EnvironmentPolicy.CheckActor(People.Operator, environment));
}
