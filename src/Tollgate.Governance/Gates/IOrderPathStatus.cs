using Tollgate.Governance.Environments;

namespace Tollgate.Governance.Gates;

/// <summary>
/// What the EXECUTION_CONTROL gate sees of an environment's order path: its channel's health (as just probed), that
/// routing is idempotent, and its latest reconciliation. Governance knows nothing of orders; the host answers.
/// </summary>
/// <param name="ReconciliationResult">PASS or FAIL of the latest reconciliation; null before the first.</param>
public sealed record OrderPathStatus(
    string Channel, bool ChannelHealthy, string ChannelDetail, string IdempotencyDetail,
    string? ReconciliationResult, DateTimeOffset? ReconciledAt, string ReconciliationDetail);

public interface IOrderPathStatus
{
    /// <summary>The environment's order path on this host; null when it runs none (the gate cannot look, so it says so).</summary>
    Task<OrderPathStatus?> StatusAsync(DeploymentEnvironment environment, CancellationToken cancellationToken);
}

/// <summary>No order path anywhere: what governance-only deployments and tests have.</summary>
public sealed class NoOrderPath : IOrderPathStatus
{
    public static readonly NoOrderPath Instance = new();
    public Task<OrderPathStatus?> StatusAsync(DeploymentEnvironment environment, CancellationToken cancellationToken) => Task.FromResult<OrderPathStatus?>(null);
}
