namespace Tollgate.Governance.Environments;

/// <summary>The five environments of seed 000 §3, in order of consequence. More may be added, none removed.</summary>
public enum DeploymentEnvironment
{
    Research,
    Backtest,
    Simulation,
    Paper,
    Live,
}
