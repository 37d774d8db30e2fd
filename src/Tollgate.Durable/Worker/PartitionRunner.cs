using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tollgate.Durable.Backend;

namespace Tollgate.Durable.Worker;

/// <summary>
/// Runs one control partition while this host holds its lease: resumes the partition's active
/// instances, then polls its control queue (backing off when idle, at once when woken) and hands
/// each message to its instance's session.
/// </summary>
internal sealed class PartitionRunner
{
    private static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(10);
    private const int ReceiveBatch = 32;

    private readonly int _partition;
    private readonly EngineServices _engine;
    private readonly CancellationTokenSource _stop;
    private readonly ConcurrentDictionary<string, InstanceSession> _sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private Task _loop = Task.CompletedTask;

    public PartitionRunner(int partition, EngineServices engine, CancellationToken hostStopping)
    {
        _partition = partition;
        _engine = engine;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(hostStopping);
    }

    public int Partition => _partition;

    public void Start() => _loop = Task.Run(RunAsync);

    public void Wake()
    {
        try { _wake.Release(); } catch (SemaphoreFullException) { /* already awake */ }
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        foreach (var session in _sessions.Values) session.Close();
        _sessions.Clear();
        try { await _loop; } catch (OperationCanceledException) { }
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        await ResumeActiveInstancesAsync(token);
        var idle = MinPollInterval;
        while (!token.IsCancellationRequested)
        {
            IReadOnlyList<QueuedMessage> messages;
            try
            {
                messages = await _engine.Backend.Queues.ReceiveAsync(_partition, ReceiveBatch, _engine.Options.MessageVisibilityTimeout, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested) { return; }
            catch (Exception failure)
            {
                _engine.Logger.LogWarning(failure, "Receive on partition {Partition} failed", _partition);
                messages = [];
                idle = _engine.Options.MaxPollInterval;
            }

            if (messages.Count == 0)
            {
                try { await _wake.WaitAsync(idle, token); } catch (OperationCanceledException) { return; }
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _engine.Options.MaxPollInterval.Ticks));
                continue;
            }

            idle = MinPollInterval;
            foreach (var message in messages) await DeliverAsync(message, token);
        }
    }

    private async Task DeliverAsync(QueuedMessage message, CancellationToken token)
    {
        if (message.DequeueCount > _engine.Options.MaxDequeueCount)
        {
            var reason = $"POISON_MESSAGE: delivered {message.DequeueCount} times to '{message.Message.InstanceId}' without being recorded " +
                         $"(limit {_engine.Options.MaxDequeueCount}); last event {message.Message.Event.GetType().Name}.";
            _engine.Logger.LogError("Parking message {MessageId}: {Reason}", message.Message.MessageId, reason);
            try { await _engine.Backend.Queues.ParkAsync(message, reason, token); }
            catch (Exception failure) when (failure is not OperationCanceledException) { _engine.Logger.LogWarning(failure, "Parking failed"); }
            return;
        }
        Session(message.Message.InstanceId).Post(new Inbound(message.Message.Event, message));
    }

    private async Task ResumeActiveInstancesAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                foreach (var instanceId in await _engine.Backend.Instances.ListActiveAsync(_partition, token))
                    Session(instanceId).Recover();
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested) { return; }
            catch (Exception failure)
            {
                _engine.Logger.LogWarning(failure, "Listing active instances of partition {Partition} failed; retrying", _partition);
                try { await Task.Delay(_engine.Options.MaxPollInterval, token); } catch (OperationCanceledException) { return; }
            }
        }
    }

    public InstanceSession Session(string instanceId)
        => _sessions.GetOrAdd(instanceId, id => new InstanceSession(id, _engine, _stop.Token, Forget));

    private void Forget(InstanceSession finished) => _sessions.TryRemove(new KeyValuePair<string, InstanceSession>(finished.InstanceId, finished));
}
