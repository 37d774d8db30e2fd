namespace Tollgate.Governance.Environments;

/// <summary>The environments Tollgate governs, each with its profile; the one place an environment name is parsed.</summary>
public static class EnvironmentCatalog
{
    private static readonly Dictionary<DeploymentEnvironment, EnvironmentProfile> Profiles = new()
    {
        [DeploymentEnvironment.Research] = new(DeploymentEnvironment.Research, DataSource.Historical, ClockMode.Simulated, OrderChannel.None),
        [DeploymentEnvironment.Backtest] = new(DeploymentEnvironment.Backtest, DataSource.Historical, ClockMode.Simulated, OrderChannel.Simulated),
        [DeploymentEnvironment.Simulation] = new(DeploymentEnvironment.Simulation, DataSource.Realtime, ClockMode.Simulated, OrderChannel.Simulated),
        [DeploymentEnvironment.Paper] = new(DeploymentEnvironment.Paper, DataSource.Realtime, ClockMode.Real, OrderChannel.Paper),
        [DeploymentEnvironment.Live] = new(DeploymentEnvironment.Live, DataSource.Realtime, ClockMode.Real, OrderChannel.Exchange),
    };

    public static IReadOnlyList<DeploymentEnvironment> All { get; } = Enum.GetValues<DeploymentEnvironment>();

    public static EnvironmentProfile Profile(DeploymentEnvironment environment) => Profiles[environment];

    /// <summary>Parses an environment name exactly as written (<c>Live</c>, not <c>live</c>: names appear in the ledger).</summary>
    /// <exception cref="GovernanceException"><see cref="GovernanceReasons.UnknownEnvironment"/>.</exception>
    public static DeploymentEnvironment Parse(string? name) =>
        name is not null && Enum.TryParse<DeploymentEnvironment>(name, ignoreCase: false, out var environment)
        && Enum.IsDefined(environment) && environment.ToString() == name
            ? environment
            : throw new GovernanceException(GovernanceReasons.UnknownEnvironment,
                $"'{name}' is not an environment; use one of {string.Join(", ", All)}.");
}
