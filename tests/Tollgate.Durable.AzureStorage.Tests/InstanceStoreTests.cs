using Azure.Data.Tables;
using Tollgate.Durable.Backend;
using Tollgate.Durable.History;

namespace Tollgate.Durable.AzureStorage.Tests;

public sealed class InstanceStoreTests(AzuriteFixture azurite) : AzureStorageTestBase(azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static InstanceRecord Record(DurableBackend backend, string id, OrchestrationRuntimeStatus status = OrchestrationRuntimeStatus.Pending,
        DateTimeOffset? createdAt = null, string? input = "\"in\"")
        => new(id, "Orch", backend.PartitionOf(id), status, "exec-" + id, createdAt ?? T0, createdAt ?? T0, Input: input);

    [Fact]
    public async Task Create_twice_returns_false_and_changes_nothing()
    {
        var hub = await NewHubAsync();
        var store = hub.Backend.Instances;
        var record = Record(hub.Backend, "twice");

        Assert.True(await store.TryCreateAsync(record, Ct));
        Assert.False(await store.TryCreateAsync(record with { Name = "Other", Input = "\"changed\"", Status = OrchestrationRuntimeStatus.Running }, Ct));
        Assert.Equal(record, await store.GetAsync("twice", withPayloads: true, Ct));
    }

    [Fact]
    public async Task Every_field_round_trips_through_upsert()
    {
        var hub = await NewHubAsync();
        var store = hub.Backend.Instances;
        var full = new InstanceRecord("full", "Orch", hub.Backend.PartitionOf("full"), OrchestrationRuntimeStatus.Failed, "exec-1",
            new DateTimeOffset(2026, 3, 4, 5, 6, 7, 123, TimeSpan.FromHours(2)).AddTicks(4567), T0.AddMinutes(1).AddTicks(1), T0.AddHours(1),
            "{\"a\":1}", "\"out\"", "{\"step\":3}",
            new TaskFailureDetails("System.InvalidOperationException", "boom", "at X\nat Y", new TaskFailureDetails("System.Exception", "inner")),
            new ParentInstance("parent-1", "ParentOrch", 7));

        Assert.True(await store.TryCreateAsync(full with { Status = OrchestrationRuntimeStatus.Pending, Output = null, Failure = null }, Ct));
        await store.UpsertAsync(full, Ct);
        Assert.Equal(full, await store.GetAsync("full", withPayloads: true, Ct));
        // A replace: cleared fields are cleared.
        var cleared = full with { Output = null, Failure = null, CustomStatus = null, ScheduledStartAt = null, Status = OrchestrationRuntimeStatus.Running };
        await store.UpsertAsync(cleared, Ct);
        Assert.Equal(cleared, await store.GetAsync("full", withPayloads: true, Ct));
        Assert.Null(await store.GetAsync("missing", withPayloads: true, Ct));
    }

    [Fact]
    public async Task Get_without_payloads_leaves_out_input_and_output_but_keeps_custom_status()
    {
        var hub = await NewHubAsync();
        var store = hub.Backend.Instances;
        var record = Record(hub.Backend, "payloads") with { Output = "\"o\"", CustomStatus = "\"c\"" };
        await store.UpsertAsync(record, Ct);
        var light = await store.GetAsync("payloads", withPayloads: false, Ct);
        Assert.Equal(record with { Input = null, Output = null }, light);
        Assert.Equal(record.ToMetadata(false), light!.ToMetadata(false));
    }

    [Fact]
    public async Task A_100_KB_input_output_and_custom_status_go_through_blobs_and_get_without_payloads_downloads_none_of_input_or_output()
    {
        var hub = await NewHubAsync();
        var store = hub.Backend.Instances;
        var big = Json(100 * 1024);
        var record = Record(hub.Backend, "big-instance", input: big) with { Output = big + " ", CustomStatus = "[" + big + "]" };

        Assert.True(await store.TryCreateAsync(record, Ct));
        var blobs = await BlobNamesAsync(hub, "big-instance/instance/");
        Assert.Equal(3, blobs.Count);
        var row = (await Table(hub.Names.InstancesTable).GetEntityAsync<TableEntity>("big-instance", "")).Value;
        Assert.False(row.ContainsKey("Input"));
        Assert.Contains(row.GetString("InputBlob"), blobs);

        var fetched = await Reopen(hub).Backend.Instances.GetAsync("big-instance", withPayloads: true, Ct);
        Assert.Equal(record, fetched);

        var before = hub.Transactions.Read();
        var light = await store.GetAsync("big-instance", withPayloads: false, Ct);
        var used = hub.Transactions.Read() - before;
        Assert.Equal(record with { Input = null, Output = null }, light);
        Assert.Equal(1, used.Table);
        Assert.Equal(1, used.Blob); // the custom status only

        // Writing the same payloads again reuses the blobs (content-addressed, never overwritten).
        await store.UpsertAsync(record with { Status = OrchestrationRuntimeStatus.Running }, Ct);
        Assert.Equal(3, (await BlobNamesAsync(hub, "big-instance/instance/")).Count);

        Assert.True(await store.DeleteAsync("big-instance", Ct));
        Assert.Empty(await BlobNamesAsync(hub, "big-instance/"));
        Assert.False(await store.DeleteAsync("big-instance", Ct));
        Assert.Null(await store.GetAsync("big-instance", withPayloads: false, Ct));
    }

    [Fact]
    public async Task Query_by_status_created_range_prefix_and_paging()
    {
        var hub = await NewHubAsync();
        var store = hub.Backend.Instances;
        var records = new[]
        {
            Record(hub.Backend, "alpha-1", OrchestrationRuntimeStatus.Running, T0),
            Record(hub.Backend, "alpha-2", OrchestrationRuntimeStatus.Completed, T0.AddSeconds(1)),
            Record(hub.Backend, "alphabet", OrchestrationRuntimeStatus.Failed, T0.AddSeconds(2)),
            Record(hub.Backend, "beta-1", OrchestrationRuntimeStatus.Running, T0.AddSeconds(3)),
            Record(hub.Backend, "xalpha-1", OrchestrationRuntimeStatus.Pending, T0.AddSeconds(4)),
        };
        foreach (var r in records) Assert.True(await store.TryCreateAsync(r, Ct));

        async Task<List<string>> Ids(OrchestrationQuery q)
        {
            var ids = new List<string>();
            while (true)
            {
                var page = await store.QueryAsync(q, Ct);
                ids.AddRange(page.Records.Select(r => r.InstanceId));
                if (page.ContinuationToken is null) return ids;
                q = q with { ContinuationToken = page.ContinuationToken };
            }
        }

        Assert.Equal(["alpha-1", "beta-1"], await Ids(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running] }));
        Assert.Equal(["alpha-1", "alpha-2", "beta-1"], await Ids(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Completed] }));
        Assert.Empty(await Ids(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Terminated] }));

        // Bounds are inclusive, to the tick.
        Assert.Equal(["alpha-2", "alphabet", "beta-1"], await Ids(new OrchestrationQuery { CreatedFrom = T0.AddSeconds(1), CreatedTo = T0.AddSeconds(3) }));
        Assert.Equal(["alphabet", "beta-1"], await Ids(new OrchestrationQuery { CreatedFrom = T0.AddSeconds(1).AddTicks(1), CreatedTo = T0.AddSeconds(3) }));
        Assert.Equal(["alpha-1", "alpha-2"], await Ids(new OrchestrationQuery { CreatedTo = T0.AddSeconds(1).ToOffset(TimeSpan.FromHours(-5)) }));

        Assert.Equal(["alpha-1", "alpha-2"], await Ids(new OrchestrationQuery { InstanceIdPrefix = "alpha-" }));
        Assert.Equal(["alpha-1", "alpha-2", "alphabet"], await Ids(new OrchestrationQuery { InstanceIdPrefix = "alpha" }));
        Assert.Empty(await Ids(new OrchestrationQuery { InstanceIdPrefix = "gamma" }));
        Assert.Equal(["alpha-2"], await Ids(new OrchestrationQuery { InstanceIdPrefix = "alpha", Statuses = [OrchestrationRuntimeStatus.Completed] }));

        // Paging: full pages, a token between them, none after the last.
        var q = new OrchestrationQuery { PageSize = 2 };
        var p1 = await store.QueryAsync(q, Ct);
        var p2 = await store.QueryAsync(q with { ContinuationToken = p1.ContinuationToken }, Ct);
        var p3 = await store.QueryAsync(q with { ContinuationToken = p2.ContinuationToken }, Ct);
        Assert.Equal(["alpha-1", "alpha-2"], p1.Records.Select(r => r.InstanceId));
        Assert.Equal(["alphabet", "beta-1"], p2.Records.Select(r => r.InstanceId));
        Assert.Equal(["xalpha-1"], p3.Records.Select(r => r.InstanceId));
        Assert.NotNull(p1.ContinuationToken);
        Assert.NotNull(p2.ContinuationToken);
        Assert.Null(p3.ContinuationToken);
        Assert.Equal(records.Select(r => r.InstanceId), await Ids(new OrchestrationQuery { PageSize = 1 }));

        // Payloads only when asked for.
        Assert.All((await store.QueryAsync(new OrchestrationQuery(), Ct)).Records, r => Assert.Null(r.Input));
        Assert.All((await store.QueryAsync(new OrchestrationQuery { FetchInputsAndOutputs = true }, Ct)).Records, r => Assert.Equal("\"in\"", r.Input));
    }

    [Fact]
    public async Task ListActive_returns_the_non_terminal_instances_of_one_partition()
    {
        var hub = await NewHubAsync(partitions: 3);
        var store = hub.Backend.Instances;
        var statuses = Enum.GetValues<OrchestrationRuntimeStatus>();
        var records = Enumerable.Range(0, 40).Select(i => Record(hub.Backend, $"inst-{i}", statuses[i % statuses.Length])).ToList();
        await Task.WhenAll(records.Select(r => store.TryCreateAsync(r, Ct)));

        for (var p = 0; p < 3; p++)
        {
            var expected = records.Where(r => r.Partition == p && !r.Status.IsTerminal()).Select(r => r.InstanceId).Order(StringComparer.Ordinal);
            var actual = (await store.ListActiveAsync(p, Ct)).Order(StringComparer.Ordinal);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task Probe_answers_and_explains_failures_without_secrets()
    {
        var hub = await NewHubAsync();
        var (ok, detail) = await hub.Backend.ProbeAsync(Ct);
        Assert.True(ok, detail);
        Assert.Contains(hub.Names.InstancesTable, detail);

        var notCreated = AzureStorageBackend.Create(Azurite.ConnectionString, AzuriteFixture.NewTaskHub("missing"));
        (ok, detail) = await notCreated.ProbeAsync(Ct);
        Assert.False(ok);
        Assert.Contains("does not exist", detail);
        Assert.DoesNotContain(AzuriteFixture.DevelopmentAccountKey, detail);
    }

    [Fact]
    public async Task Probe_of_an_unreachable_account_fails_clearly_and_counts_every_retry()
    {
        var closed = AzuriteFixture.DevelopmentConnectionString(1, 1, 1);
        var hub = AzureStorageBackend.Open(closed, "unreachable", options: new AzureStorageBackendOptions { NetworkTimeout = TimeSpan.FromSeconds(2) });
        var (ok, detail) = await hub.Backend.ProbeAsync(Ct);
        Assert.False(ok);
        Assert.Contains("cannot reach", detail);
        Assert.Contains("127.0.0.1:1", detail);
        Assert.DoesNotContain(AzuriteFixture.DevelopmentAccountKey, detail);
        Assert.DoesNotContain("AccountKey", detail);
        Assert.Equal(4, hub.Transactions.Table); // the first attempt and the SDK's 3 retries
        Assert.Equal(4, hub.Transactions.Total);
    }
}
