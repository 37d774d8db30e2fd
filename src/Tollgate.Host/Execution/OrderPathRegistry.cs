using Tollgate.Governance.Environments;
using Tollgate.Governance.Gates;

namespace Tollgate.Host.Execution;

/// <summary>
/// The host's answer to the EXECUTION_CONTROL gate: the execution plane registers itself once it routes, and the
/// gate's checks ask it (governance is built before the plane, so it holds this instead of the plane).
/// </summary>
public sealed class OrderPathRegistry : IOrderPathStatus
{
    private volatile ExecutionPlane? plane;

    public void Register(ExecutionPlane routing) => plane = routing;

    public Task<OrderPathStatus?> StatusAsync(DeploymentEnvironment environment, CancellationToken cancellationToken) =>
        plane is { } p && p.Settings.Environment == environment ? p.StatusAsync(cancellationToken) : Task.FromResult<OrderPathStatus?>(null);
}
