using System.Text;
using Tollgate.Host.Functions;
using Tollgate.Host.Standalone;

namespace Tollgate.Host.Tests.Standalone;

/// <summary>
/// A stream log in front of a real one (the table log on Azurite): writes every append and checkpoint into a
/// <see cref="Journal"/> the test shares with its functions, so the order of "the function ran" and "the
/// checkpoint moved" is visible; can fail an append or a checkpoint, and can hold an append after it is written.
/// </summary>
internal sealed class ObservedStreamLog(IStreamLog inner, Journal journal) : IStreamLog
{
    private readonly List<(string Partition, long Sequence, TaskCompletionSource Reached)> waiters = [];
    private readonly List<(string Partition, long Sequence)> checkpoints = [];

    /// <summary>Before the inner append: an exception to throw instead of appending (null: append).</summary>
    public Func<StreamEvent, Exception?>? FailAppend { get; set; }

    /// <summary>After the inner append returned, before the publisher goes on.</summary>
    public Func<StreamEvent, Task>? AfterAppend { get; set; }

    /// <summary>Before the inner checkpoint: an exception to throw instead of checkpointing (null: checkpoint).</summary>
    public Func<string, long, Exception?>? FailCheckpoint { get; set; }

    public IReadOnlyList<(string Partition, long Sequence)> Checkpoints { get { lock (checkpoints) return [.. checkpoints]; } }

    public async Task AppendAsync(string stream, string partition, StreamEvent e, CancellationToken cancellationToken)
    {
        if (FailAppend?.Invoke(e) is { } failure)
        {
            journal.Add($"append {partition} {e.SequenceNumber} failed");
            throw failure;
        }
        await inner.AppendAsync(stream, partition, e, cancellationToken);
        journal.Add($"append {partition} {e.SequenceNumber}");
        if (AfterAppend is { } after) await after(e);
    }

    public async Task CheckpointAsync(string stream, string partition, long sequence, CancellationToken cancellationToken)
    {
        if (FailCheckpoint?.Invoke(partition, sequence) is { } failure)
        {
            journal.Add($"checkpoint {partition} {sequence} failed");
            throw failure;
        }
        await inner.CheckpointAsync(stream, partition, sequence, cancellationToken);
        journal.Add($"checkpoint {partition} {sequence}");
        lock (checkpoints)
        {
            checkpoints.Add((partition, sequence));
            foreach (var waiter in waiters.Where(w => w.Partition == partition && sequence >= w.Sequence)) waiter.Reached.TrySetResult();
        }
    }

    public Task<IReadOnlyList<RecoveredPartition>> RecoverAsync(string stream, CancellationToken cancellationToken) => inner.RecoverAsync(stream, cancellationToken);

    /// <summary>Completes once a checkpoint of <paramref name="partition"/> at or past <paramref name="sequence"/> is written (a hang guard, not a time limit on the behaviour).</summary>
    public Task CheckpointedAsync(string partition, long sequence)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (checkpoints)
        {
            if (checkpoints.Any(c => c.Partition == partition && c.Sequence >= sequence)) return Task.CompletedTask;
            waiters.Add((partition, sequence, reached));
        }
        return reached.Task.WaitAsync(DurableStreams.Guard);
    }
}

/// <summary>What happened, in order, across the log and the functions of one test.</summary>
internal sealed class Journal
{
    private readonly List<string> entries = [];

    public void Add(string entry)
    {
        lock (entries) entries.Add(entry);
    }

    public IReadOnlyList<string> Entries { get { lock (entries) return [.. entries]; } }
}

internal static class DurableStreams
{
    /// <summary>How long a test waits for something that must happen before it calls it hung (nothing is asserted about how fast).</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    public static Dictionary<string, string> Properties(string partition, long i) => new()
    {
        ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["intent_id"] = $"{partition}/intent-{i}",
        ["ünïcødé"] = "値 🚀 \"quoted\" \\ \n",
        ["empty"] = "",
    };

    /// <summary>Bytes that are not text: every byte value, a zero, and something of the event; empty for every fifth event.</summary>
    public static byte[] Body(string partition, long i) => i % 5 == 4 ? [] : [0, .. Encoding.UTF8.GetBytes($"{partition}#{i} ✓"), .. Enumerable.Range(0, 256).Select(b => (byte)(b ^ i)), 0xFF, 0];

    public static ValueTask PublishAsync(StreamHub hub, string stream, string partition, long i, CancellationToken cancellationToken = default)
        => hub.PublishAsync(stream, partition, Properties(partition, i), Body(partition, i), cancellationToken);

    /// <summary>The partitions a hub has announced so far, by key (they are announced as they are created).</summary>
    public static Dictionary<string, StreamPartition> Partitions(StreamHub hub, string stream, Dictionary<string, StreamPartition>? known = null)
    {
        known ??= [];
        while (hub.PartitionsOf(stream).TryRead(out var partition)) known.Add(partition.Id, partition);
        return known;
    }

    public static async Task<List<StreamEvent>> ReadAsync(StreamPartition partition, int count)
    {
        using var guard = new CancellationTokenSource(Guard);
        var events = new List<StreamEvent>();
        while (events.Count < count) events.Add(await partition.Events.ReadAsync(guard.Token));
        return events;
    }

    /// <summary>An event as text with everything that must survive the log: sequence, enqueue instant, properties, body.</summary>
    public static string Describe(StreamEvent e)
        => $"#{e.SequenceNumber} @{e.EnqueuedAt.UtcTicks} {{{string.Join(", ", e.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}}} {Convert.ToHexString(e.Body.Span)}";

    /// <summary>What was published as event <paramref name="i"/> of <paramref name="partition"/>, without the enqueue time.</summary>
    public static string Expected(string partition, long i)
        => $"#{i} {{{string.Join(", ", Properties(partition, i).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}}} {Convert.ToHexString(Body(partition, i))}";

    public static string WithoutTime(StreamEvent e)
        => $"#{e.SequenceNumber} {{{string.Join(", ", e.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}}} {Convert.ToHexString(e.Body.Span)}";
}

/// <summary>A log that has one partition's backlog to hand back and writes nothing (for what recovery does with a large backlog).</summary>
internal sealed class BacklogStreamLog(RecoveredPartition backlog) : IStreamLog
{
    public Task AppendAsync(string stream, string partition, StreamEvent e, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CheckpointAsync(string stream, string partition, long sequence, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<RecoveredPartition>> RecoverAsync(string stream, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RecoveredPartition>>([backlog]);
}
