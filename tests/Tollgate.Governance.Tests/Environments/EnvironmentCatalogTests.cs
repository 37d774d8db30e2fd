using Tollgate.Governance.Environments;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.Environments;

public sealed class EnvironmentCatalogTests
{
    [Theory]
    [InlineData("Research", DeploymentEnvironment.Research)]
    [InlineData("Backtest", DeploymentEnvironment.Backtest)]
    [InlineData("Simulation", DeploymentEnvironment.Simulation)]
    [InlineData("Paper", DeploymentEnvironment.Paper)]
    [InlineData("Live", DeploymentEnvironment.Live)]
    public void Parse_takes_each_name_exactly_as_written(string name, DeploymentEnvironment expected) =>
        Assert.Equal(expected, EnvironmentCatalog.Parse(name));

    [Theory]
    [InlineData("live")]
    [InlineData("LIVE")]
    [InlineData("4")]
    [InlineData("3")]
    [InlineData("-1")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" Live")]
    [InlineData("Live ")]
    [InlineData("Paper,Live")]
    [InlineData("Production")]
    [InlineData(null)]
    public void Parse_refuses_anything_else_as_an_unknown_environment(string? name)
    {
        var e = Refused.With(GovernanceReasons.UnknownEnvironment, () => EnvironmentCatalog.Parse(name));
        Assert.Contains("Research, Backtest, Simulation, Paper, Live", e.Message);
    }

    [Fact]
    public void The_catalog_lists_the_five_environments_in_order_of_consequence() =>
        Assert.Equal(
            [DeploymentEnvironment.Research, DeploymentEnvironment.Backtest, DeploymentEnvironment.Simulation, DeploymentEnvironment.Paper, DeploymentEnvironment.Live],
            EnvironmentCatalog.All);
}
