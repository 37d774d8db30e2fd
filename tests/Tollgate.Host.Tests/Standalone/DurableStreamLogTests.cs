using Azure.Data.Tables;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Host.Functions;
using Tollgate.Host.Standalone;
using static Tollgate.Host.Tests.Standalone.DurableStreams;

namespace Tollgate.Host.Tests.Standalone;

/// <summary>
/// A durable stream of the <see cref="StreamHub"/> over <see cref="TableStreamLog"/> on a real Azurite (a task hub of
/// its own per test): what a restart (a new hub and a new log over the same tables) gets back, and that an event is in
/// the log before any reader can see it.
/// </summary>
public sealed class DurableStreamLogTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Stream = "test-intents";
    private const string Btc = "SPOT:BTCUSDT";
    private const string Eth = "USDM:ETHUSDT";
    private static readonly CancellationToken None = CancellationToken.None;

    private TableServiceClient Service => new(azurite.ConnectionString);

    private Task<TableStreamLog> LogAsync(string hub) => TableStreamLog.CreateAsync(Service, hub, None);

    private static async Task<StreamHub> DurableHubAsync(IStreamLog log, int expectRecovered)
    {
        var hub = new StreamHub(TimeProvider.System);
        Assert.False(hub.IsDurable(Stream));
        Assert.Equal(expectRecovered, await hub.MakeDurableAsync(Stream, log, None));
        Assert.True(hub.IsDurable(Stream));
        return hub;
    }

    [Fact]
    public async Task A_restart_recovers_exactly_the_unconsumed_events_in_order_with_their_properties_and_bodies_and_continues_the_sequence()
    {
        var taskHub = AzuriteFixture.NewTaskHub("ds");
        var first = await DurableHubAsync(await LogAsync(taskHub), expectRecovered: 0);
        for (var i = 0; i < 12; i++) await PublishAsync(first, Stream, Btc, i);
        for (var i = 0; i < 4; i++) await PublishAsync(first, Stream, Eth, i);
        var partitions = Partitions(first, Stream);
        Assert.Equal([Btc, Eth], partitions.Keys.Order(StringComparer.Ordinal));
        var btc = await ReadAsync(partitions[Btc], 12);
        var eth = await ReadAsync(partitions[Eth], 4);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => Expected(Btc, i)), btc.Select(WithoutTime));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => Expected(Eth, i)), eth.Select(WithoutTime));
        // Part of BTC consumed, none of ETH.
        await first.CheckpointAsync(Stream, Btc, 6, None);

        // The restart: a new hub over a new log on the same tables.
        var second = await DurableHubAsync(await LogAsync(taskHub), expectRecovered: 5 + 4);
        var recovered = Partitions(second, Stream);
        Assert.Equal([Btc, Eth], recovered.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(btc.Skip(7).Select(Describe), (await ReadAsync(recovered[Btc], 5)).Select(Describe));
        Assert.Equal(eth.Select(Describe), (await ReadAsync(recovered[Eth], 4)).Select(Describe));
        Assert.False(recovered[Btc].Events.TryRead(out var extra), $"recovered more than the unconsumed events: {extra}");
        Assert.False(recovered[Eth].Events.TryRead(out extra), $"recovered more than the unconsumed events: {extra}");

        // New publishes continue each partition's sequence; nothing is reused.
        await PublishAsync(second, Stream, Btc, 12);
        await PublishAsync(second, Stream, Eth, 4);
        var btc12 = Assert.Single(await ReadAsync(recovered[Btc], 1));
        var eth4 = Assert.Single(await ReadAsync(recovered[Eth], 1));
        Assert.Equal(Expected(Btc, 12), WithoutTime(btc12));
        Assert.Equal(Expected(Eth, 4), WithoutTime(eth4));

        // A second restart with no checkpoint since: the same unconsumed events and the new ones.
        var log = await LogAsync(taskHub);
        var state = (await log.RecoverAsync(Stream, None)).ToDictionary(p => p.Partition);
        Assert.Equal((6L, 13L), (state[Btc].Checkpoint, state[Btc].NextSequence));
        Assert.Equal((-1L, 5L), (state[Eth].Checkpoint, state[Eth].NextSequence));
        Assert.Equal([.. btc.Skip(7).Select(Describe), Describe(btc12)], state[Btc].Pending.Select(Describe));
        Assert.Equal([.. eth.Select(Describe), Describe(eth4)], state[Eth].Pending.Select(Describe));
        var third = await DurableHubAsync(log, expectRecovered: 6 + 5);
        Assert.Equal(Enumerable.Range(7, 6).Select(i => (long)i), (await ReadAsync(Partitions(third, Stream)[Btc], 6)).Select(e => e.SequenceNumber));
    }

    [Fact]
    public async Task A_partition_without_a_checkpoint_recovers_everything_and_a_fully_consumed_one_nothing_but_keeps_its_sequence()
    {
        var taskHub = AzuriteFixture.NewTaskHub("ds");
        var first = await DurableHubAsync(await LogAsync(taskHub), expectRecovered: 0);
        for (var i = 0; i < 3; i++) await PublishAsync(first, Stream, "never-read", i);
        for (var i = 0; i < 2; i++) await PublishAsync(first, Stream, "all-read", i);
        await first.CheckpointAsync(Stream, "all-read", 1, None);
        // Another stream in the same tables is not this stream's business.
        await first.MakeDurableAsync("other-stream", await LogAsync(taskHub), None);
        await PublishAsync(first, "other-stream", "never-read", 0);

        var state = (await (await LogAsync(taskHub)).RecoverAsync(Stream, None)).ToDictionary(p => p.Partition);
        Assert.Equal(["all-read", "never-read"], state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((-1L, 3L), (state["never-read"].Checkpoint, state["never-read"].NextSequence));
        Assert.Equal(Enumerable.Range(0, 3).Select(i => Expected("never-read", i)), state["never-read"].Pending.Select(WithoutTime));
        Assert.Equal((1L, 2L), (state["all-read"].Checkpoint, state["all-read"].NextSequence));
        Assert.Empty(state["all-read"].Pending);

        var second = await DurableHubAsync(await LogAsync(taskHub), expectRecovered: 3);
        var partitions = Partitions(second, Stream);
        Assert.Equal([0L, 1L, 2L], (await ReadAsync(partitions["never-read"], 3)).Select(e => e.SequenceNumber));
        await PublishAsync(second, Stream, "all-read", 2);
        Assert.Equal(Expected("all-read", 2), WithoutTime(Assert.Single(await ReadAsync(partitions["all-read"], 1))));
    }

    [Fact]
    public async Task A_published_event_is_in_the_log_before_a_reader_can_see_it()
    {
        var taskHub = AzuriteFixture.NewTaskHub("ds");
        var journal = new Journal();
        var log = new ObservedStreamLog(await LogAsync(taskHub), journal);
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        log.AfterAppend = async _ =>
        {
            written.TrySetResult();
            await release.Task;
        };
        var hub = await DurableHubAsync(log, expectRecovered: 0);

        var publishing = PublishAsync(hub, Stream, Btc, 0).AsTask();
        await written.Task.WaitAsync(Guard);
        // Held right after the log append: the table has the event, the reader has nothing yet.
        var pending = Assert.Single(await (await LogAsync(taskHub)).RecoverAsync(Stream, None));
        Assert.Equal(Expected(Btc, 0), WithoutTime(Assert.Single(pending.Pending)));
        var partition = Partitions(hub, Stream)[Btc];
        Assert.False(partition.Events.TryRead(out _), "a reader saw the event while it was still being written to the log");
        Assert.False(publishing.IsCompleted);

        release.SetResult();
        await publishing.WaitAsync(Guard);
        var seen = Assert.Single(await ReadAsync(partition, 1));
        Assert.Equal(Describe(pending.Pending[0]), Describe(seen));
    }

    [Fact]
    public async Task A_publish_whose_log_append_fails_reaches_no_reader_and_takes_no_sequence_number()
    {
        var taskHub = AzuriteFixture.NewTaskHub("ds");
        var log = new ObservedStreamLog(await LogAsync(taskHub), new Journal());
        var hub = await DurableHubAsync(log, expectRecovered: 0);
        await PublishAsync(hub, Stream, Btc, 0);
        log.FailAppend = _ => new IOException("the log is down");
        await Assert.ThrowsAsync<IOException>(() => PublishAsync(hub, Stream, Btc, 99).AsTask());
        log.FailAppend = null;
        await PublishAsync(hub, Stream, Btc, 1);

        Assert.Equal([Expected(Btc, 0), Expected(Btc, 1)], (await ReadAsync(Partitions(hub, Stream)[Btc], 2)).Select(WithoutTime));
        var state = Assert.Single(await (await LogAsync(taskHub)).RecoverAsync(Stream, None));
        Assert.Equal([Expected(Btc, 0), Expected(Btc, 1)], state.Pending.Select(WithoutTime));
        Assert.Equal(2, state.NextSequence);
    }

    [Fact]
    public async Task A_memory_stream_is_not_durable_its_checkpoint_writes_nothing_and_a_stream_is_made_durable_once()
    {
        var taskHub = AzuriteFixture.NewTaskHub("ds");
        var hub = new StreamHub(TimeProvider.System);
        await PublishAsync(hub, "frames", Btc, 0);
        Assert.False(hub.IsDurable("frames"));
        await hub.CheckpointAsync("frames", Btc, 0, None);

        var log = await LogAsync(taskHub);
        await hub.MakeDurableAsync(Stream, log, None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => hub.MakeDurableAsync(Stream, log, None));
        Assert.Empty(await log.RecoverAsync("frames", None));
    }

    [Fact]
    public async Task A_publish_cancelled_after_its_log_append_is_published_and_does_not_wedge_the_partition()
    {
        var taskHub = AzuriteFixture.NewTaskHub("ds");
        var log = new ObservedStreamLog(await LogAsync(taskHub), new Journal());
        using var cancel = new CancellationTokenSource();
        log.AfterAppend = e =>
        {
            if (e.SequenceNumber == 1) cancel.Cancel();
            return Task.CompletedTask;
        };
        var hub = await DurableHubAsync(log, expectRecovered: 0);
        await PublishAsync(hub, Stream, Btc, 0);
        // In the log it is published: the cancellation after the append does not take it back.
        await PublishAsync(hub, Stream, Btc, 1, cancel.Token);
        Assert.True(cancel.IsCancellationRequested);

        await PublishAsync(hub, Stream, Btc, 2);

        var state = Assert.Single(await (await LogAsync(taskHub)).RecoverAsync(Stream, None));
        Assert.Equal(state.Pending.Count, state.Pending.Select(e => e.SequenceNumber).Distinct().Count());
        var later = Assert.Single(state.Pending, e => e.Body.Span.SequenceEqual(Body(Btc, 2)));
        Assert.True(later.SequenceNumber > 1, $"the publish after the cancelled one got sequence {later.SequenceNumber}");
    }

    [Fact]
    public async Task A_failed_checkpoint_registration_does_not_lose_the_partition_on_recovery()
    {
        var taskHub = AzuriteFixture.NewTaskHub("ds");
        var log = await LogAsync(taskHub);
        var hub = await DurableHubAsync(log, expectRecovered: 0);
        // The checkpoints table is briefly unavailable when the partition's first event is published.
        var checkpoints = Service.GetTableClient(taskHub + "StreamCheckpoints");
        await checkpoints.DeleteAsync();
        await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() => PublishAsync(hub, Stream, Btc, 0).AsTask());
        await checkpoints.CreateIfNotExistsAsync();
        await PublishAsync(hub, Stream, Btc, 0);
        Assert.Equal(0, Assert.Single(await ReadAsync(Partitions(hub, Stream)[Btc], 1)).SequenceNumber);

        var state = Assert.Single(await (await LogAsync(taskHub)).RecoverAsync(Stream, None)); // today: empty, the event is lost
        Assert.Equal(Expected(Btc, 0), WithoutTime(Assert.Single(state.Pending)));
    }
}
