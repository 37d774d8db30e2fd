namespace Tollgate.Governance.Environments;

/// <summary>Where an environment's market data comes from (seed 000 §3.2, first allowed difference).</summary>
public enum DataSource { Historical, Realtime }

/// <summary>How an environment's time advances (seed 000 §3.2, second allowed difference).</summary>
public enum ClockMode { Simulated, Real }

/// <summary>Where an environment's orders go (seed 000 §3.2, third allowed difference).</summary>
public enum OrderChannel { None, Simulated, Paper, Exchange }

/// <summary>
/// How strictly an environment is governed. Paper and Live, and any environment whose orders reach a paper or
/// exchange channel, are <see cref="LiveGrade"/> (seed 000 §3 and §4.1); the rest are <see cref="Standard"/>.
/// </summary>
public enum GovernanceLevel { Standard, LiveGrade }

/// <summary>
/// One environment: the three things seed 000 §3.2 lets differ between environments, and the governance that
/// follows from them. Everything else (an Active Version Map must exist, audit and replay output cannot be
/// skipped, risk verdicts stay binary, human approval cannot be bypassed) is the same everywhere and is not a
/// property here, so no configuration can turn it off.
/// </summary>
public sealed record EnvironmentProfile
{
    public EnvironmentProfile(DeploymentEnvironment environment, DataSource data, ClockMode clock, OrderChannel channel)
    {
        if (environment is DeploymentEnvironment.Paper && channel is not OrderChannel.Paper)
            throw new ArgumentException("Paper differs from Live only in its channel, which is the paper channel.", nameof(channel));
        if (environment is DeploymentEnvironment.Live && channel is not OrderChannel.Exchange)
            throw new ArgumentException("Live sends its orders to the exchange.", nameof(channel));
        if (environment is DeploymentEnvironment.Paper or DeploymentEnvironment.Live && (data, clock) != (DataSource.Realtime, ClockMode.Real))
            throw new ArgumentException($"{environment} runs on real-time data and the real clock, as Live does.", nameof(data));
        Environment = environment;
        Data = data;
        Clock = clock;
        Channel = channel;
    }

    public DeploymentEnvironment Environment { get; }
    public DataSource Data { get; }
    public ClockMode Clock { get; }
    public OrderChannel Channel { get; }

    public GovernanceLevel Governance =>
        Environment is DeploymentEnvironment.Paper or DeploymentEnvironment.Live || Channel is OrderChannel.Paper or OrderChannel.Exchange
            ? GovernanceLevel.LiveGrade
            : GovernanceLevel.Standard;

    /// <summary>A switch of the version map, and releasing the kill switch, need a four-eyes approval.</summary>
    public bool RequiresApproval => Governance is GovernanceLevel.LiveGrade;

    /// <summary>Shared accounts may not act here (seed 000 §8.1 says Live; Paper is governed as Live).</summary>
    public bool ForbidsSharedAccounts => Governance is GovernanceLevel.LiveGrade;
}
