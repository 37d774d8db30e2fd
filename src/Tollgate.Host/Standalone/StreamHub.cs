using System.Collections.Concurrent;
using System.Threading.Channels;
using Tollgate.Host.Functions;

namespace Tollgate.Host.Standalone;

/// <summary>
/// The standalone host's stand-in for an Event Hub: named streams of partitions, each an in-process bounded channel
/// with its own sequence numbers, so a stream function receives the same batches (one partition, sequence order)
/// it would from the Event Hubs trigger. A full partition makes the publisher wait: that is the backpressure on the
/// connector. Events live in memory only: market frames are re-read from the exchange after a restart, never
/// replayed from here.
/// </summary>
public sealed class StreamHub
{
    public const int PartitionCapacity = 10_000;
    private readonly ConcurrentDictionary<string, Stream> streams = new(StringComparer.Ordinal);
    private readonly TimeProvider time;

    public StreamHub(TimeProvider time) => this.time = time;

    /// <summary>Appends an event to <paramref name="partitionKey"/>'s partition of <paramref name="streamName"/>; waits while the partition is full.</summary>
    public ValueTask PublishAsync(string streamName, string partitionKey, IReadOnlyDictionary<string, string> properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        => For(streamName).Partition(partitionKey).PublishAsync(properties, body, time.GetUtcNow(), cancellationToken);

    /// <summary>The partitions of a stream, as they appear (a consumer starts one reader per partition).</summary>
    public ChannelReader<StreamPartition> PartitionsOf(string streamName) => For(streamName).NewPartitions.Reader;

    private Stream For(string name) => streams.GetOrAdd(name, _ => new Stream());

    private sealed class Stream
    {
        private readonly ConcurrentDictionary<string, StreamPartition> partitions = new(StringComparer.Ordinal);
        public readonly Channel<StreamPartition> NewPartitions = Channel.CreateUnbounded<StreamPartition>();

        public StreamPartition Partition(string key)
        {
            if (partitions.TryGetValue(key, out var partition)) return partition;
            var created = new StreamPartition(key);
            if (partitions.TryAdd(key, created))
            {
                NewPartitions.Writer.TryWrite(created);
                return created;
            }
            return partitions[key];
        }
    }
}

/// <summary>One partition: a bounded channel and the next sequence number.</summary>
public sealed class StreamPartition(string id)
{
    private readonly Channel<StreamEvent> events = Channel.CreateBounded<StreamEvent>(new BoundedChannelOptions(StreamHub.PartitionCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly SemaphoreSlim order = new(1, 1);
    private long next;

    public string Id { get; } = id;

    public ChannelReader<StreamEvent> Events => events.Reader;

    internal async ValueTask PublishAsync(IReadOnlyDictionary<string, string> properties, ReadOnlyMemory<byte> body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Sequence numbers are handed out in the order events enter the channel, as a hub assigns them.
        await order.WaitAsync(cancellationToken);
        try
        {
            await events.Writer.WriteAsync(new StreamEvent(next, now, properties, body), cancellationToken);
            next++;
        }
        finally
        {
            order.Release();
        }
    }
}
