using Tollgate.Durable.Backend;

namespace Tollgate.Durable.InMemory;

internal sealed class InMemoryPartitionLeases(TimeProvider time) : IPartitionLeases
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, (string Owner, DateTimeOffset Expires)> _leases = new();
    private readonly Dictionary<string, DateTimeOffset> _heartbeats = new(StringComparer.Ordinal);

    public Task<bool> TryAcquireAsync(int partition, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_leases.TryGetValue(partition, out var lease) && lease.Owner != owner && lease.Expires > now) return Task.FromResult(false);
            _leases[partition] = (owner, now + duration);
            return Task.FromResult(true);
        }
    }

    public Task<bool> RenewAsync(int partition, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_leases.TryGetValue(partition, out var lease) || lease.Owner != owner || lease.Expires <= now) return Task.FromResult(false);
            _leases[partition] = (owner, now + duration);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(int partition, string owner, CancellationToken cancellationToken)
    {
        lock (_gate)
            if (_leases.TryGetValue(partition, out var lease) && lease.Owner == owner) _leases.Remove(partition);
        return Task.CompletedTask;
    }

    public Task LeaveAsync(string owner, CancellationToken cancellationToken)
    {
        lock (_gate) _heartbeats.Remove(owner);
        return Task.CompletedTask;
    }

    public Task<int> HeartbeatAsync(string owner, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            _heartbeats[owner] = now;
            return Task.FromResult(_heartbeats.Values.Count(seen => now - seen <= window));
        }
    }
}
