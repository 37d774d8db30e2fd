using System.Collections.Concurrent;
using System.Threading.Channels;
using Tollgate.Host.Functions;

namespace Tollgate.Host.Standalone;

/// <summary>
/// The standalone host's stand-in for an Event Hub: named streams of partitions, each an in-process bounded channel
/// with its own sequence numbers, so a stream function receives the same batches (one partition, sequence order)
/// it would from the Event Hubs trigger. A full partition makes the publisher wait: that is the backpressure on the
/// connector. Events live in memory only, unless the stream is made durable (<see cref="MakeDurableAsync"/>): then
/// each event is in the stream's <see cref="IStreamLog"/> before a reader sees it, and what was not consumed before a
/// restart is handed to the readers again. Market frames stay in memory (they are re-read from the exchange after
/// a restart); order intents are durable, since an intent must not be lost.
/// </summary>
public sealed class StreamHub
{
    public const int PartitionCapacity = 10_000;
    private readonly ConcurrentDictionary<string, Stream> streams = new(StringComparer.Ordinal);
    private readonly TimeProvider time;

    public StreamHub(TimeProvider time) => this.time = time;

    /// <summary>Appends an event to <paramref name="partitionKey"/>'s partition of <paramref name="streamName"/>; waits while the partition is full.</summary>
    public ValueTask PublishAsync(string streamName, string partitionKey, IReadOnlyDictionary<string, string> properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var stream = For(streamName);
        return stream.Partition(partitionKey).PublishAsync(properties, body, time.GetUtcNow(), stream.Log is { } log ? (e, ct) => log.AppendAsync(streamName, partitionKey, e, ct) : null, cancellationToken);
    }

    /// <summary>
    /// Makes <paramref name="streamName"/> durable over <paramref name="log"/>, before anything is published to it:
    /// every partition the log has comes back with its sequence numbers, and the events after its checkpoint are
    /// queued for the readers first. Returns how many events were recovered.
    /// </summary>
    public async Task<int> MakeDurableAsync(string streamName, IStreamLog log, CancellationToken cancellationToken)
    {
        var stream = For(streamName);
        if (stream.Log is not null) throw new InvalidOperationException($"stream {streamName} is already durable");
        var recovered = 0;
        foreach (var partition in await log.RecoverAsync(streamName, cancellationToken))
        {
            stream.Requeues.Add(await stream.Partition(partition.Partition, partition.NextSequence).StartRequeueAsync(partition.Pending, cancellationToken));
            recovered += partition.Pending.Count;
        }
        stream.Log = log;
        return recovered;
    }

    /// <summary>After a reader's function took a batch: moves a durable stream's checkpoint (nothing for a memory stream).</summary>
    public Task CheckpointAsync(string streamName, string partitionKey, long sequence, CancellationToken cancellationToken)
        => For(streamName).Log is { } log ? log.CheckpointAsync(streamName, partitionKey, sequence, cancellationToken) : Task.CompletedTask;

    /// <summary>Whether a failed batch of the stream must be retried until it succeeds (durable) rather than skipped.</summary>
    public bool IsDurable(string streamName) => For(streamName).Log is not null;

    /// <summary>The partitions of a stream, as they appear (a consumer starts one reader per partition).</summary>
    public ChannelReader<StreamPartition> PartitionsOf(string streamName) => For(streamName).NewPartitions.Reader;

    private Stream For(string name) => streams.GetOrAdd(name, _ => new Stream());

    private sealed class Stream
    {
        private readonly ConcurrentDictionary<string, StreamPartition> partitions = new(StringComparer.Ordinal);
        public readonly Channel<StreamPartition> NewPartitions = Channel.CreateUnbounded<StreamPartition>();
        public volatile IStreamLog? Log;
        /// <summary>Recovered events still being queued (kept so a failure is observed, not lost).</summary>
        public readonly List<Task> Requeues = [];

        public StreamPartition Partition(string key, long firstSequence = 0)
        {
            if (partitions.TryGetValue(key, out var partition)) return partition;
            var created = new StreamPartition(key, firstSequence);
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
public sealed class StreamPartition(string id, long firstSequence = 0)
{
    private readonly Channel<StreamEvent> events = Channel.CreateBounded<StreamEvent>(new BoundedChannelOptions(StreamHub.PartitionCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly SemaphoreSlim order = new(1, 1);
    private long next = firstSequence;

    public string Id { get; } = id;

    public ChannelReader<StreamEvent> Events => events.Reader;

    internal async ValueTask PublishAsync(IReadOnlyDictionary<string, string> properties, ReadOnlyMemory<byte> body, DateTimeOffset now,
        Func<StreamEvent, CancellationToken, Task>? persist, CancellationToken cancellationToken)
    {
        // Sequence numbers are handed out in the order events enter the channel, as a hub assigns them.
        await order.WaitAsync(cancellationToken);
        try
        {
            var e = new StreamEvent(next, now, properties, body);
            if (persist is not null)
            {
                await persist(e, cancellationToken);
                // In the log, the event is published: its number is used and it is delivered, whatever the caller does now.
                next++;
                await events.Writer.WriteAsync(e, CancellationToken.None);
                return;
            }
            await events.Writer.WriteAsync(e, cancellationToken);
            next++;
        }
        finally
        {
            order.Release();
        }
    }

    /// <summary>
    /// Queues events recovered from a durable stream's log, ahead of anything published after: publishers wait
    /// until the last is queued. It runs in the background, since a backlog larger than the channel needs the
    /// readers, and they may be waiting for whoever made the stream durable.
    /// </summary>
    internal async Task<Task> StartRequeueAsync(IReadOnlyList<StreamEvent> recovered, CancellationToken cancellationToken)
    {
        await order.WaitAsync(cancellationToken);
        return Task.Run(async () =>
        {
            try
            {
                foreach (var e in recovered) await events.Writer.WriteAsync(e, CancellationToken.None);
            }
            finally
            {
                order.Release();
            }
        }, CancellationToken.None);
    }
}
