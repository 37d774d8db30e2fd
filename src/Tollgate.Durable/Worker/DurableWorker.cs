using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Durable.Backend;
using Tollgate.Durable.Client;

namespace Tollgate.Durable.Worker;

/// <summary>
/// A host's part in a task hub: it leases a fair share of the control partitions and runs the
/// orchestrations in them. Any number of workers, in one process or many, may share a task hub;
/// partition leases decide who runs what, and history versions make a stale owner's write fail.
/// </summary>
public sealed class DurableWorker : IAsyncDisposable
{
    private readonly DurableBackend _backend;
    private readonly DurableTaskRegistry _registry;
    private readonly DurableWorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EngineServices _engine;
    private readonly ConcurrentDictionary<int, PartitionRunner> _owned = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _leaseGate = new(1, 1);
    private readonly InstanceChangeSignals _changes = new();
    private Task _leaseLoop = Task.CompletedTask;

    public DurableWorker(DurableBackend backend, DurableTaskRegistry registry, DurableWorkerOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        _backend = backend;
        _registry = registry;
        _options = options ?? new DurableWorkerOptions();
        _time = time ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Tollgate.Durable");
        if (_options.LeaseRenewInterval >= _options.LeaseDuration)
            throw new ArgumentOutOfRangeException(nameof(options), _options.LeaseRenewInterval, "LeaseRenewInterval must be shorter than LeaseDuration.");
        var activities = new ActivityRunner(registry, _options, _time, _logger);
        _engine = new EngineServices(backend, registry, _options, _time, _logger, activities, Wake, _changes.Changed);
    }

    public string HostId => _options.HostId;
    public IReadOnlyCollection<int> OwnedPartitions => _owned.Keys.Order().ToArray();

    /// <summary>Activities this worker has run to an outcome since it started.</summary>
    public long ActivitiesExecuted => _engine.Activities.Executed;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await BalanceLeasesAsync(cancellationToken);
        _leaseLoop = Task.Run(LeaseLoopAsync, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        try { await _leaseLoop; } catch (OperationCanceledException) { }
        foreach (var partition in _owned.Keys.ToArray()) await LoseAsync(partition, release: true);
        try { await _backend.Leases.LeaveAsync(HostId, CancellationToken.None); }
        catch (Exception failure) { _logger.LogWarning(failure, "{HostId} could not deregister; others will stop counting it when its heartbeat ages out", HostId); }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>A client on the same task hub that checks orchestrator names against this worker's registry and wakes it directly.</summary>
    public DurableTaskClient CreateClient() => new BackendDurableClient(_backend, _registry, _options.MaxPayloadBytes, _time, Wake, _changes);

    /// <summary>Polls the instance's partition now, if this host owns it, instead of at the next idle poll.</summary>
    public void Wake(string instanceId)
    {
        if (_owned.TryGetValue(_backend.PartitionOf(instanceId), out var runner)) runner.Wake();
    }

    private async Task LeaseLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.LeaseRenewInterval, _time, _stopping.Token);
                await BalanceLeasesAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { return; }
            catch (Exception failure)
            {
                _logger.LogWarning(failure, "Lease balancing on {HostId} failed; retrying", HostId);
            }
        }
    }

    /// <summary>Renews what this host holds, then moves toward an even share: ceil(partitions / live hosts).</summary>
    private async Task BalanceLeasesAsync(CancellationToken cancellationToken)
    {
        await _leaseGate.WaitAsync(cancellationToken);
        try
        {
            var leases = _backend.Leases;
            var liveHosts = Math.Max(1, await leases.HeartbeatAsync(HostId, _options.LeaseDuration, cancellationToken));
            var fairShare = (_backend.PartitionCount + liveHosts - 1) / liveHosts;

            foreach (var partition in _owned.Keys.ToArray())
                if (!await leases.RenewAsync(partition, HostId, _options.LeaseDuration, cancellationToken))
                {
                    _logger.LogWarning("{HostId} lost the lease of partition {Partition}", HostId, partition);
                    await LoseAsync(partition, release: false);
                }

            foreach (var partition in _owned.Keys.OrderDescending().Take(Math.Max(0, _owned.Count - fairShare)).ToArray())
                await LoseAsync(partition, release: true);

            // Start at a host-specific offset so hosts starting together do not all race for partition 0.
            var offset = (int)((uint)HostId.GetHashCode() % (uint)_backend.PartitionCount);
            for (var i = 0; i < _backend.PartitionCount && _owned.Count < fairShare; i++)
            {
                var partition = (offset + i) % _backend.PartitionCount;
                if (_owned.ContainsKey(partition)) continue;
                if (await leases.TryAcquireAsync(partition, HostId, _options.LeaseDuration, cancellationToken)) Gain(partition);
            }
        }
        finally
        {
            _leaseGate.Release();
        }
    }

    private void Gain(int partition)
    {
        var runner = new PartitionRunner(partition, _engine, _stopping.Token);
        if (!_owned.TryAdd(partition, runner)) return;
        _logger.LogInformation("{HostId} owns partition {Partition}", HostId, partition);
        runner.Start();
    }

    private async Task LoseAsync(int partition, bool release)
    {
        if (!_owned.TryRemove(partition, out var runner)) return;
        await runner.StopAsync();
        if (release)
        {
            try { await _backend.Leases.ReleaseAsync(partition, HostId, CancellationToken.None); }
            catch (Exception failure) { _logger.LogWarning(failure, "Releasing partition {Partition} failed; it will expire", partition); }
        }
    }
}
