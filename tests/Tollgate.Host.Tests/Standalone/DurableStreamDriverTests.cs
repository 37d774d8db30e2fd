using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Host.Functions;
using Tollgate.Host.Standalone;
using Tollgate.Host.Tests.Support;
using static Tollgate.Host.Tests.Standalone.DurableStreams;

namespace Tollgate.Host.Tests.Standalone;

/// <summary>
/// The <see cref="StreamDriver"/> on a durable stream (table log on Azurite): a failing batch is retried until it
/// succeeds, and the checkpoint moves only after it did; on a memory stream a batch that fails twice is skipped.
/// Once with the driver alone, once in the real host.
/// </summary>
public sealed class DurableStreamDriverTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Stream = "test-durable";
    private const string Partition = "SPOT:BTCUSDT";
    private static readonly CancellationToken None = CancellationToken.None;

    private TableServiceClient Service => new(azurite.ConnectionString);

    /// <summary>A stream function that fails its first <paramref name="failures"/> invocations; every invocation goes into the journal.</summary>
    private static FunctionDefinition Flaky(string name, string stream, int maxBatch, Journal journal, Func<int, StreamInput, bool> fails)
    {
        var invocations = 0;
        return new FunctionDefinition(name, new StreamTrigger(stream, "$Default", maxBatch), context =>
        {
            var input = (StreamInput)context.Input;
            var attempt = Interlocked.Increment(ref invocations);
            var failing = fails(attempt, input);
            journal.Add($"invoke {attempt} {input.PartitionId} {string.Join(",", input.Events.Select(e => e.SequenceNumber))}{(failing ? " failed" : "")}");
            return failing ? throw new InvalidOperationException($"flaky: invocation {attempt} fails") : Task.CompletedTask;
        });
    }

    private static StreamDriver Driver(FunctionRegistry registry, StreamHub hub)
        => new(registry, hub, new ServiceCollection().BuildServiceProvider(), NullLogger<StreamDriver>.Instance);

    [Fact]
    public async Task A_durable_streams_batch_that_fails_twice_is_retried_until_it_succeeds_and_only_then_checkpointed()
    {
        var taskHub = AzuriteFixture.NewTaskHub("dd");
        var journal = new Journal();
        var log = new ObservedStreamLog(await TableStreamLog.CreateAsync(Service, taskHub, None), journal);
        var hub = new StreamHub(TimeProvider.System);
        Assert.Equal(0, await hub.MakeDurableAsync(Stream, log, None));
        // All ten are queued before the driver starts, so its first batch is all of them.
        for (var i = 0; i < 10; i++) await PublishAsync(hub, Stream, Partition, i);

        var registry = new FunctionRegistry().Add(Flaky("flaky-router", Stream, 100, journal, (attempt, _) => attempt <= 2));
        var driver = Driver(registry, hub);
        await driver.StartAsync(None);
        try
        {
            await log.CheckpointedAsync(Partition, 9);
        }
        finally
        {
            await driver.StopAsync(None);
        }

        var batch = string.Join(",", Enumerable.Range(0, 10));
        Assert.Equal(
            [.. Enumerable.Range(0, 10).Select(i => $"append {Partition} {i}"),
             $"invoke 1 {Partition} {batch} failed", $"invoke 2 {Partition} {batch} failed", $"invoke 3 {Partition} {batch}", $"checkpoint {Partition} 9"],
            journal.Entries);

        // The table says so too: nothing left to hand out after a restart, and the sequence goes on at 10.
        var state = Assert.Single(await (await TableStreamLog.CreateAsync(Service, taskHub, None)).RecoverAsync(Stream, None));
        Assert.Equal((Partition, 9L, 10L), (state.Partition, state.Checkpoint, state.NextSequence));
        Assert.Empty(state.Pending);
    }

    [Fact]
    public async Task A_durable_batch_is_not_followed_by_the_next_one_until_it_succeeds()
    {
        var taskHub = AzuriteFixture.NewTaskHub("dd");
        var journal = new Journal();
        var log = new ObservedStreamLog(await TableStreamLog.CreateAsync(Service, taskHub, None), journal);
        var hub = new StreamHub(TimeProvider.System);
        await hub.MakeDurableAsync(Stream, log, None);
        for (var i = 0; i < 3; i++) await PublishAsync(hub, Stream, Partition, i);

        // Batches of one; the batch of event 1 fails its first three tries.
        var failuresOfOne = 0;
        var registry = new FunctionRegistry().Add(Flaky("one-at-a-time", Stream, 1, journal,
            (_, input) => input.Events[0].SequenceNumber == 1 && Interlocked.Increment(ref failuresOfOne) <= 3));
        var driver = Driver(registry, hub);
        await driver.StartAsync(None);
        try
        {
            await log.CheckpointedAsync(Partition, 2);
        }
        finally
        {
            await driver.StopAsync(None);
        }

        Assert.Equal(
            [$"invoke 1 {Partition} 0", $"checkpoint {Partition} 0",
             $"invoke 2 {Partition} 1 failed", $"invoke 3 {Partition} 1 failed", $"invoke 4 {Partition} 1 failed", $"invoke 5 {Partition} 1", $"checkpoint {Partition} 1",
             $"invoke 6 {Partition} 2", $"checkpoint {Partition} 2"],
            journal.Entries.Where(e => !e.StartsWith("append", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_memory_streams_batch_that_fails_twice_is_skipped()
    {
        var journal = new Journal();
        var hub = new StreamHub(TimeProvider.System);
        for (var i = 0; i < 2; i++) await PublishAsync(hub, "frames", Partition, i);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = new FunctionRegistry().Add(Flaky("ingest", "frames", 1, journal, (_, input) =>
        {
            if (input.Events[0].SequenceNumber == 1) second.TrySetResult();
            return input.Events[0].SequenceNumber == 0;
        }));
        var driver = Driver(registry, hub);
        await driver.StartAsync(None);
        try
        {
            await second.Task.WaitAsync(Guard);
        }
        finally
        {
            await driver.StopAsync(None);
        }
        Assert.False(hub.IsDurable("frames"));
        Assert.Equal([$"invoke 1 {Partition} 0 failed", $"invoke 2 {Partition} 0 failed", $"invoke 3 {Partition} 1"], journal.Entries);
    }

    [Fact]
    public async Task A_failed_checkpoint_does_not_stop_the_partitions_reader()
    {
        var taskHub = AzuriteFixture.NewTaskHub("dd");
        var journal = new Journal();
        var log = new ObservedStreamLog(await TableStreamLog.CreateAsync(Service, taskHub, None), journal);
        var failed = 0;
        log.FailCheckpoint = (_, _) => Interlocked.Increment(ref failed) == 1 ? new IOException("the checkpoint table is briefly unavailable") : null;
        var hub = new StreamHub(TimeProvider.System);
        await hub.MakeDurableAsync(Stream, log, None);
        await PublishAsync(hub, Stream, Partition, 0);

        var sawOne = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = new FunctionRegistry().Add(Flaky("router", Stream, 10, journal, (_, input) =>
        {
            if (input.Events.Any(e => e.SequenceNumber == 1)) sawOne.TrySetResult();
            firstDone.TrySetResult();
            return false;
        }));
        var driver = Driver(registry, hub);
        await driver.StartAsync(None);
        try
        {
            await firstDone.Task.WaitAsync(Guard);
            await PublishAsync(hub, Stream, Partition, 1);
            await sawOne.Task.WaitAsync(Guard); // today: never; the reader ended with the checkpoint's IOException
            await log.CheckpointedAsync(Partition, 1);
        }
        finally
        {
            await driver.StopAsync(None);
        }
    }

    [Fact]
    public async Task Recovering_a_backlog_larger_than_a_partition_does_not_deadlock_a_function_that_waits_for_startup()
    {
        const int maxBatch = 1;
        var backlog = Enumerable.Range(0, StreamHub.PartitionCapacity + maxBatch + 1)
            .Select(i => new StreamEvent(i, DateTimeOffset.UnixEpoch, Properties(Partition, i), Body(Partition, i))).ToList();
        var log = new BacklogStreamLog(new RecoveredPartition(Partition, -1, backlog, backlog.Count));
        var hub = new StreamHub(TimeProvider.System);
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = 0;
        var registry = new FunctionRegistry().Add(new FunctionDefinition("router", new StreamTrigger(Stream, "$Default", maxBatch), async context =>
        {
            await open.Task.WaitAsync(context.CancellationToken); // as OrderRouterFunction awaits ExecutionPlane.RoutingAsync
            if (Interlocked.Add(ref handled, ((StreamInput)context.Input).Events.Count) == backlog.Count) allHandled.TrySetResult();
        }));
        var driver = Driver(registry, hub);
        await driver.StartAsync(None);
        try
        {
            // As ExecutionPlane.OpenAsync: make the stream durable, then open routing.
            await hub.MakeDurableAsync(Stream, log, None).WaitAsync(Guard); // today: never returns
            open.SetResult();
            await allHandled.Task.WaitAsync(Guard);
        }
        finally
        {
            await driver.StopAsync(None);
        }
    }

    [Fact]
    public async Task In_the_host_a_stream_function_on_a_durable_stream_that_fails_twice_is_retried_until_it_succeeds_and_its_checkpoint_covers_the_batch()
    {
        var taskHub = AzuriteFixture.NewTaskHub("dh");
        var journal = new Journal();
        var function = Flaky("test-durable-router", Stream, 50, journal, (attempt, _) => attempt <= 2);
        using var host = new HostFactory().WithFunctions(new Module(function));
        host.Http(); // starts the host, and with it the stream driver
        var hub = host.Services.GetRequiredService<StreamHub>();
        var log = new ObservedStreamLog(await TableStreamLog.CreateAsync(Service, taskHub, None), journal);
        Assert.Equal(0, await hub.MakeDurableAsync(Stream, log, None));
        Assert.True(hub.IsDurable(Stream));

        for (var i = 0; i < 5; i++) await PublishAsync(hub, Stream, Partition, i);
        await log.CheckpointedAsync(Partition, 4);

        // The driver may take the five in one batch or in several; each event is in a batch that succeeded before any
        // checkpoint covered it, and the first two invocations (which failed) were retried with the same batch.
        var entries = journal.Entries.Where(e => !e.StartsWith("append", StringComparison.Ordinal)).ToList();
        var invocations = entries.Where(e => e.StartsWith("invoke", StringComparison.Ordinal)).ToList();
        Assert.EndsWith("failed", invocations[0]);
        Assert.EndsWith("failed", invocations[1]);
        var firstBatch = invocations[0].Split(' ')[3];
        Assert.Equal($"invoke 2 {Partition} {firstBatch} failed", invocations[1]);
        Assert.Equal($"invoke 3 {Partition} {firstBatch}", invocations[2]);
        var succeeded = new List<long>();
        long covered = -1;
        foreach (var entry in entries)
        {
            var parts = entry.Split(' ');
            if (parts[0] == "invoke" && !entry.EndsWith("failed", StringComparison.Ordinal)) succeeded.AddRange(parts[3].Split(',').Select(long.Parse));
            if (parts[0] == "checkpoint")
            {
                covered = long.Parse(parts[2]);
                Assert.True(Enumerable.Range(0, (int)covered + 1).All(s => succeeded.Contains(s)), $"checkpoint {covered} before its events succeeded: {string.Join(" | ", entries)}");
            }
        }
        Assert.Equal([0L, 1L, 2L, 3L, 4L], succeeded.Order());
        Assert.Equal(4, covered);
        Assert.Equal(2, host.Logs.Lines.Count(l => l.Contains("Stream test-durable-router: batch of", StringComparison.Ordinal) && l.Contains("failed, attempt", StringComparison.Ordinal)));

        var state = Assert.Single(await (await TableStreamLog.CreateAsync(Service, taskHub, None)).RecoverAsync(Stream, None));
        Assert.Equal((4L, 5L), (state.Checkpoint, state.NextSequence));
        Assert.Empty(state.Pending);
    }

    private sealed class Module(params FunctionDefinition[] functions) : IFunctionModule
    {
        public void Register(FunctionRegistry registry)
        {
            foreach (var function in functions) registry.Add(function);
        }
    }
}
