using Tollgate.Durable.Backend;

namespace Tollgate.Durable.InMemory;

internal sealed class InMemoryControlQueues(int partitionCount, TimeProvider time) : IControlQueues
{
    private readonly Lock _gate = new();
    private readonly List<Entry>[] _partitions = Enumerable.Range(0, partitionCount).Select(_ => new List<Entry>()).ToArray();
    private readonly List<ParkedMessage> _parked = new();

    public Task SendAsync(OrchestrationMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var partition = PartitionMap.PartitionOf(message.InstanceId, partitionCount);
        lock (_gate) _partitions[partition].Add(new Entry(message) { VisibleAt = time.GetUtcNow() + Max(delay) });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(int partition, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var received = new List<QueuedMessage>();
        lock (_gate)
        {
            foreach (var entry in _partitions[partition])
            {
                if (received.Count == maxMessages) break;
                if (entry.VisibleAt > now) continue;
                entry.VisibleAt = now + visibilityTimeout;
                entry.DequeueCount++;
                entry.PopReceipt = Guid.NewGuid();
                received.Add(new QueuedMessage(entry.Message, entry.DequeueCount, new Receipt(entry, entry.PopReceipt)));
            }
        }
        return Task.FromResult<IReadOnlyList<QueuedMessage>>(received);
    }

    public Task DeleteAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        var receipt = (Receipt)message.Receipt;
        lock (_gate)
            if (receipt.Entry.PopReceipt == receipt.PopReceipt)
                _partitions[PartitionMap.PartitionOf(message.Message.InstanceId, partitionCount)].Remove(receipt.Entry);
        return Task.CompletedTask;
    }

    public Task AbandonAsync(QueuedMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var receipt = (Receipt)message.Receipt;
        lock (_gate)
            if (receipt.Entry.PopReceipt == receipt.PopReceipt)
                receipt.Entry.VisibleAt = time.GetUtcNow() + Max(delay);
        return Task.CompletedTask;
    }

    public async Task ParkAsync(QueuedMessage message, string reason, CancellationToken cancellationToken)
    {
        lock (_gate) _parked.Add(new ParkedMessage(message.Message, message.DequeueCount, reason, time.GetUtcNow()));
        await DeleteAsync(message, cancellationToken);
    }

    public Task<IReadOnlyList<ParkedMessage>> ListParkedAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<ParkedMessage>>(_parked.ToList());
    }

    private static TimeSpan Max(TimeSpan delay) => delay > TimeSpan.Zero ? delay : TimeSpan.Zero;

    private sealed class Entry(OrchestrationMessage message)
    {
        public OrchestrationMessage Message { get; } = message;
        public DateTimeOffset VisibleAt { get; set; }
        public int DequeueCount { get; set; }
        public Guid PopReceipt { get; set; }
    }

    private sealed record Receipt(Entry Entry, Guid PopReceipt);
}
