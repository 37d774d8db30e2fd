using Tollgate.Governance.Environments;
using Tollgate.Governance.Rollouts;

namespace Tollgate.Host.Release;

/// <summary>Waits until every host that served the record before <c>sequence</c> has acknowledged it, or the deadline passes.</summary>
public static class AcknowledgementWaiter
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <param name="requireAny">Also wait for at least one acknowledgement (a record no host ever served before, such as the first staging).</param>
    public static async Task<AcknowledgementState> WaitAsync(ReleaseServices services, DeploymentEnvironment environment, long sequence, DateTimeOffset deadline,
        CancellationToken cancellationToken, bool requireAny = false)
    {
        if (sequence <= 0) return new AcknowledgementState(sequence, [], []);
        while (true)
        {
            var state = await services.Governance.SplitAcknowledgements.StateAsync(environment, sequence, cancellationToken);
            var done = state.Complete && (!requireAny || state.Acknowledged.Count > 0);
            if (done || services.Clock.GetUtcNow() >= deadline) return state;
            await Task.Delay(Poll, services.Clock, cancellationToken);
        }
    }
}
