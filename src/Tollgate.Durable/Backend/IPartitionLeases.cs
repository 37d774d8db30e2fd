namespace Tollgate.Durable.Backend;

/// <summary>
/// Exclusive, expiring ownership of control partitions. Only the owner of a partition runs its
/// orchestrations; history ETags make a stale owner's write fail even if a lease was lost unseen.
/// </summary>
public interface IPartitionLeases
{
    Task<bool> TryAcquireAsync(int partition, string owner, TimeSpan duration, CancellationToken cancellationToken);
    Task<bool> RenewAsync(int partition, string owner, TimeSpan duration, CancellationToken cancellationToken);
    Task ReleaseAsync(int partition, string owner, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="owner"/> is alive, and returns how many hosts were alive within <paramref name="window"/>.</summary>
    Task<int> HeartbeatAsync(string owner, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Says <paramref name="owner"/> is gone (a graceful stop), so other hosts stop counting it in their fair share.</summary>
    Task LeaveAsync(string owner, CancellationToken cancellationToken);
}
