using Azure.Data.Tables;
using Tollgate.Durable.Backend;
using Tollgate.Durable.History;

namespace Tollgate.Durable.AzureStorage.Tests;

public sealed class HistoryStoreTests(AzuriteFixture azurite) : AzureStorageTestBase(azurite)
{
    private static readonly DateTime T0 = new(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

    private static ExecutionStarted Started(string executionId, string? input = "1") => new(T0, "Orch", input, executionId);

    [Fact]
    public async Task Append_and_load_round_trip_across_two_executions()
    {
        var hub = await NewHubAsync();
        var history = hub.Backend.History;
        const string id = "round-trip";

        var first = new HistoryEvent[] { new OrchestratorStarted(T0), Started("e1"), new TaskScheduled(T0, 0, "Act", "\"x\"") };
        var v1 = await history.AppendAsync(id, HistoryVersion.Empty, first, Ct);
        Assert.Equal(3, v1.Count);
        Assert.NotNull(v1.ETag);

        var loaded1 = await history.LoadAsync(id, Ct);
        Assert.Equal(first[1..], loaded1.Events); // the current execution: from its ExecutionStarted on
        Assert.Equal(v1, loaded1.Version);

        // ContinueAsNew: the second execution starts in the middle of this append.
        var second = new HistoryEvent[]
        {
            new OrchestratorStarted(T0.AddSeconds(1)), new TaskCompleted(T0.AddSeconds(1), 0, "42"),
            new ExecutionCompleted(T0.AddSeconds(1), OrchestrationRuntimeStatus.ContinuedAsNew, "43"),
            Started("e2", "43"), new TaskScheduled(T0.AddSeconds(1), 0, "Act", "\"y\""),
        };
        var v2 = await history.AppendAsync(id, v1, second, Ct);
        Assert.Equal(8, v2.Count);
        Assert.NotEqual(v1.ETag, v2.ETag);

        var loaded2 = await history.LoadAsync(id, Ct);
        Assert.Equal(second[3..], loaded2.Events);
        Assert.Equal(v2, loaded2.Version);

        // Another process (no execution-start hint) sees the same.
        var fresh = await Reopen(hub).Backend.History.LoadAsync(id, Ct);
        Assert.Equal(second[3..], fresh.Events);
        Assert.Equal(v2, fresh.Version);

        // Earlier executions stay stored, under global sequence numbers; the sentinel says where the current one starts.
        var rows = new List<TableEntity>();
        await foreach (var row in Table(hub.Names.HistoryTable).QueryAsync<TableEntity>($"PartitionKey eq '{id}'")) rows.Add(row);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i.ToString("D10")).Append("sentinel"), rows.Select(r => r.RowKey));
        var sentinel = rows[^1];
        Assert.Equal(8, sentinel.GetInt64("NextSequence"));
        Assert.Equal(6, sentinel.GetInt64("ExecutionStartSequence"));
        Assert.Equal(v2.ETag, sentinel.ETag.ToString());
    }

    [Fact]
    public async Task Load_of_an_unknown_instance_is_empty()
    {
        var hub = await NewHubAsync();
        var snapshot = await hub.Backend.History.LoadAsync("nobody", Ct);
        Assert.Empty(snapshot.Events);
        Assert.Equal(HistoryVersion.Empty, snapshot.Version);
    }

    [Fact]
    public async Task Append_on_a_stale_version_conflicts_and_writes_nothing()
    {
        var hub = await NewHubAsync();
        var history = hub.Backend.History;
        const string id = "stale";
        var v1 = await history.AppendAsync(id, HistoryVersion.Empty, [new OrchestratorStarted(T0), Started("e1")], Ct);
        var v2 = await history.AppendAsync(id, v1, [new OrchestratorStarted(T0), new TaskScheduled(T0, 0, "A", null)], Ct);

        var conflict = await Assert.ThrowsAsync<HistoryConflictException>(() =>
            history.AppendAsync(id, v1, [new OrchestratorStarted(T0), new TaskScheduled(T0, 0, "B", null)], Ct));
        Assert.Equal(id, conflict.InstanceId);
        // A stale writer with a forged count also fails on the ETag.
        await Assert.ThrowsAsync<HistoryConflictException>(() =>
            history.AppendAsync(id, v1 with { Count = 4 }, [new OrchestratorStarted(T0)], Ct));
        // Claiming the history is new when it is not.
        await Assert.ThrowsAsync<HistoryConflictException>(() =>
            history.AppendAsync(id, HistoryVersion.Empty, [new OrchestratorStarted(T0), Started("other")], Ct));
        // A stale multi-batch append writes none of its batches.
        await Assert.ThrowsAsync<HistoryConflictException>(() =>
            history.AppendAsync(id, v1, Enumerable.Range(0, 250).Select(i => (HistoryEvent)new TaskScheduled(T0, i, "C", null)).ToList(), Ct));

        var loaded = await history.LoadAsync(id, Ct);
        Assert.Equal(v2, loaded.Version);
        Assert.Equal(new HistoryEvent[] { Started("e1"), new OrchestratorStarted(T0), new TaskScheduled(T0, 0, "A", null) }, loaded.Events);
        var rows = 0;
        await foreach (var _ in Table(hub.Names.HistoryTable).QueryAsync<TableEntity>($"PartitionKey eq '{id}'")) rows++;
        Assert.Equal(5, rows); // 4 events + sentinel
    }

    [Fact]
    public async Task Concurrent_creators_of_a_new_history_exactly_one_wins()
    {
        var hub = await NewHubAsync();
        const string id = "race";
        var writers = Enumerable.Range(0, 8).Select(async i =>
        {
            var history = Reopen(hub).Backend.History; // separate clients, as separate hosts would have
            try
            {
                await history.AppendAsync(id, HistoryVersion.Empty, [new OrchestratorStarted(T0), Started($"writer-{i}")], Ct);
                return i;
            }
            catch (HistoryConflictException)
            {
                return -1;
            }
        }).ToList();
        var outcomes = await Task.WhenAll(writers);

        var winners = outcomes.Where(o => o >= 0).ToList();
        Assert.Single(winners);
        var loaded = await hub.Backend.History.LoadAsync(id, Ct);
        Assert.Equal(2, loaded.Version.Count);
        Assert.Equal(Started($"writer-{winners[0]}"), Assert.Single(loaded.Events));
    }

    [Fact]
    public async Task More_than_100_events_in_one_append_span_several_batches()
    {
        var hub = await NewHubAsync();
        var history = hub.Backend.History;
        const string id = "many";
        var events = new List<HistoryEvent> { new OrchestratorStarted(T0), Started("e1") };
        events.AddRange(Enumerable.Range(0, 248).Select(i => new TaskScheduled(T0, i, "Act", $"{i}")));

        var before = hub.Transactions.Read();
        var v1 = await history.AppendAsync(id, HistoryVersion.Empty, events, Ct);
        var used = hub.Transactions.Read() - before;
        Assert.Equal(250, v1.Count);
        Assert.Equal(3, used.Table); // 99 + 99 + 52 events, one transaction each; no reads
        Assert.Equal(0, used.Blob);

        var more = Enumerable.Range(248, 150).Select(i => (HistoryEvent)new TaskScheduled(T0, i, "Act", null)).ToList();
        var v2 = await history.AppendAsync(id, v1, more, Ct);
        Assert.Equal(400, v2.Count);

        var loaded = await Reopen(hub).Backend.History.LoadAsync(id, Ct);
        Assert.Equal(events.Skip(1).Concat(more), loaded.Events);
        Assert.Equal(v2, loaded.Version);
    }

    [Fact]
    public async Task Batches_stay_under_the_4_MB_transaction_limit()
    {
        var hub = await NewHubAsync();
        var history = hub.Backend.History;
        const string id = "heavy";
        var payload = Json(40 * 1024); // inline (under 45 KB), but 99 of them would be ~5 MB
        var events = new List<HistoryEvent> { new OrchestratorStarted(T0), Started("e1") };
        events.AddRange(Enumerable.Range(0, 120).Select(i => new TaskCompleted(T0, i, payload)));

        var version = await history.AppendAsync(id, HistoryVersion.Empty, events, Ct);
        Assert.Equal(122, version.Count);
        var loaded = await history.LoadAsync(id, Ct);
        Assert.Equal(events.Count - 1, loaded.Events.Count);
        Assert.True(events.Skip(1).SequenceEqual(loaded.Events), "the loaded events differ");
        Assert.Empty(await BlobNamesAsync(hub));
    }

    [Fact]
    public async Task A_100_KB_event_goes_through_a_blob_and_back_and_purge_deletes_it()
    {
        var hub = await NewHubAsync();
        var history = hub.Backend.History;
        const string id = "big-history";
        var big = Json(100 * 1024);
        var events = new HistoryEvent[] { new OrchestratorStarted(T0), Started("e1", big), new TaskCompleted(T0, 0, big), new TaskScheduled(T0, 1, "small", "1") };

        var version = await history.AppendAsync(id, HistoryVersion.Empty, events, Ct);
        var loaded = await Reopen(hub).Backend.History.LoadAsync(id, Ct);
        Assert.True(events[1..].SequenceEqual(loaded.Events), "the loaded events differ");
        Assert.Equal(version, loaded.Version);

        var blobs = await BlobNamesAsync(hub, $"{id}/history/");
        Assert.Equal(2, blobs.Count);
        var row = (await Table(hub.Names.HistoryTable).GetEntityAsync<TableEntity>(id, "0000000001")).Value;
        Assert.False(row.ContainsKey("Event"));
        Assert.Contains(row.GetString("EventBlob"), blobs);

        await history.DeleteAsync(id, Ct);
        Assert.Empty(await BlobNamesAsync(hub, $"{id}/"));
        var after = await history.LoadAsync(id, Ct);
        Assert.Equal(HistoryVersion.Empty, after.Version);
        Assert.Empty(after.Events);
        var left = 0;
        await foreach (var _ in Table(hub.Names.HistoryTable).QueryAsync<TableEntity>($"PartitionKey eq '{id}'")) left++;
        Assert.Equal(0, left);

        // The id can start over.
        var again = await history.AppendAsync(id, HistoryVersion.Empty, [new OrchestratorStarted(T0), Started("e9")], Ct);
        Assert.Equal(2, again.Count);
    }

    [Fact]
    public async Task Delete_of_a_long_history_and_of_an_unknown_one()
    {
        var hub = await NewHubAsync();
        var history = hub.Backend.History;
        await history.AppendAsync("long", HistoryVersion.Empty,
            Enumerable.Range(0, 230).Select(i => (HistoryEvent)new TaskScheduled(T0, i, "A", null)).Prepend(Started("e")).ToList(), Ct);
        await history.DeleteAsync("long", Ct);
        await history.DeleteAsync("never-existed", Ct);
        Assert.Empty((await history.LoadAsync("long", Ct)).Events);
    }

    [Fact]
    public async Task Load_after_purge_and_recreate_in_another_process_ignores_a_stale_execution_hint()
    {
        var hub = await NewHubAsync();
        var history = hub.Backend.History;
        const string id = "recreated";
        var v1 = await history.AppendAsync(id, HistoryVersion.Empty, [Started("e1"), new ExecutionCompleted(T0, OrchestrationRuntimeStatus.ContinuedAsNew, null)], Ct);
        await history.AppendAsync(id, v1, [Started("e2"), new TaskScheduled(T0, 0, "A", null)], Ct);
        Assert.Equal(Started("e2"), (await history.LoadAsync(id, Ct)).Events[0]); // this process now starts reading at sequence 2

        var other = Reopen(hub).Backend.History;
        await other.DeleteAsync(id, Ct);
        await other.AppendAsync(id, HistoryVersion.Empty, [Started("fresh"), new TaskScheduled(T0, 0, "B", null)], Ct);

        var loaded = await history.LoadAsync(id, Ct);
        Assert.Equal(new HistoryEvent[] { Started("fresh"), new TaskScheduled(T0, 0, "B", null) }, loaded.Events);
    }
}
