using Tollgate.Durable.Tests.Support;

namespace Tollgate.Durable.Tests;

// The client: scheduling, refusals, reading instances; queries and purge.
public abstract partial class EngineConformance
{
    [Fact]
    public async Task Client_schedules_with_an_explicit_instance_id()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithEcho());

        var id = await host.ScheduleAsync("Echo", "abc", instanceId: "my-order-42");
        var done = await host.CompletionAsync("my-order-42");

        Assert.Equal("my-order-42", id);
        AssertCompleted(done);
        Assert.Equal("my-order-42", done.InstanceId);
        Assert.Equal("Echo", done.Name, ignoreCase: true);
        Assert.Equal("ABC", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Client_refuses_a_duplicate_instance_id_and_leaves_the_existing_instance_unchanged()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithWaiter());

        var id = await host.ScheduleAsync("Waiter", "first", instanceId: "dup-1");
        var before = await host.WaitForCustomStatusAsync(id, Registries.Waiting);

        await AssertRefusedAsync(DurableReason.InstanceExists, () => host.ScheduleAsync("Waiter", "second", instanceId: "dup-1"));

        var after = await host.GetAsync(id);
        AssertStatus(OrchestrationRuntimeStatus.Running, after);
        Assert.Equal("first", after!.ReadInputAs<string>());
        Assert.Equal(before.CreatedAt, after.CreatedAt);
        await host.RaiseAsync(id, "go", "x");
        var done = await host.CompletionAsync(id);
        AssertCompleted(done);
        Assert.Equal("first+x", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Client_refuses_an_unknown_orchestrator_and_creates_nothing()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithEcho());

        await AssertRefusedAsync(DurableReason.OrchestratorNotFound, () => host.ScheduleAsync("NoSuchOrchestrator", "x", instanceId: "ghost-1"));

        Assert.Null(await host.GetAsync("ghost-1"));
        var all = await host.Client.QueryInstancesAsync(new OrchestrationQuery(), host.Token);
        Assert.Empty(all.Instances);
    }

    [Fact]
    public async Task Client_refuses_an_input_over_MaxPayloadBytes_and_creates_nothing()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithEcho(), TestOptions with { MaxPayloadBytes = 1024 });

        await AssertRefusedAsync(DurableReason.InputTooLarge, () => host.ScheduleAsync("Echo", new string('x', 2000), instanceId: "big-1"));

        Assert.Null(await host.GetAsync("big-1"));
        var all = await host.Client.QueryInstancesAsync(new OrchestrationQuery(), host.Token);
        Assert.Empty(all.Instances);

        // Just under the limit is fine.
        var done = await host.CompletionAsync(await host.ScheduleAsync("Echo", new string('x', 900), instanceId: "small-1"));
        AssertCompleted(done);
    }

    [Fact]
    public async Task Client_refuses_an_event_payload_over_MaxPayloadBytes_and_the_instance_is_unaffected()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithWaiter(), TestOptions with { MaxPayloadBytes = 1024 });

        var id = await host.ScheduleAsync("Waiter", "in");
        await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        await AssertRefusedAsync(DurableReason.InputTooLarge, () => host.RaiseAsync(id, "go", new string('y', 2000)));

        await host.RaiseAsync(id, "go", "small");
        var done = await host.CompletionAsync(id);
        AssertCompleted(done);
        Assert.Equal("in+small", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Scheduled_start_time_keeps_the_instance_Pending_until_then()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<string, DateTime>("StartedAt", (context, _) => Task.FromResult(context.CurrentUtcDateTime));
        await using var host = await StartAsync(registry);

        var startAt = DateTimeOffset.UtcNow.AddSeconds(2);
        var id = await host.ScheduleAsync("StartedAt", startAt: startAt);

        var pending = await host.GetAsync(id);
        AssertStatus(OrchestrationRuntimeStatus.Pending, pending);
        Assert.NotNull(pending!.ScheduledStartAt);
        Assert.True(Math.Abs((pending.ScheduledStartAt.Value - startAt).TotalMilliseconds) < 1000,
            $"ScheduledStartAt {pending.ScheduledStartAt:O} should be the requested {startAt:O}");
        while (DateTimeOffset.UtcNow < startAt.AddMilliseconds(-300))
        {
            var seen = await host.GetAsync(id);
            Assert.True(seen!.RuntimeStatus == OrchestrationRuntimeStatus.Pending,
                $"at {DateTimeOffset.UtcNow:O}, before the scheduled start {startAt:O}, the instance was {seen.RuntimeStatus}");
            await Task.Delay(100, host.Token);
        }

        var done = await host.CompletionAsync(id);
        AssertCompleted(done);
        Assert.True(done.ReadOutputAs<DateTime>() >= startAt.UtcDateTime,
            $"the orchestrator started at {done.ReadOutputAs<DateTime>():O}, before the scheduled start {startAt:O}");
    }

    [Fact]
    public async Task Raising_an_event_on_a_nonexistent_instance_is_refused_with_INSTANCE_NOT_FOUND()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithWaiter());

        await AssertRefusedAsync(DurableReason.InstanceNotFound, () => host.RaiseAsync("no-such-instance", "go", "x"));
    }

    [Fact]
    public async Task Raising_an_event_on_a_completed_instance_is_refused_with_INSTANCE_NOT_RUNNING()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithEcho());

        var id = await host.ScheduleAsync("Echo", "x");
        AssertCompleted(await host.CompletionAsync(id));

        await AssertRefusedAsync(DurableReason.InstanceNotRunning, () => host.RaiseAsync(id, "go", "late"));
        AssertCompleted((await host.GetAsync(id))!);
    }

    [Fact]
    public async Task Large_inputs_outputs_and_event_payloads_round_trip()
    {
        // 100 KB: under the 256 KB client limit, over what a storage row or queue message holds inline.
        var big = string.Concat(Enumerable.Range(0, 100 * 1024 / 16).Select(i => $"{i:D15}|"));
        var registry = new DurableTaskRegistry()
            .Activity<string, string>("Reverse", s => new string(s!.Reverse().ToArray()))
            .Orchestrator<string, string[]>("Big", async (context, input) =>
            {
                var reversed = await context.CallActivityAsync<string>("Reverse", input);
                context.SetCustomStatus(Registries.Waiting);
                var payload = await context.WaitForExternalEvent<string>("go");
                return [reversed, payload];
            });
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("Big", big);
        await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        await host.RaiseAsync(id, "go", big.ToUpperInvariant() + "!");
        var done = await host.CompletionAsync(id);

        AssertCompleted(done);
        Assert.Equal(big, done.ReadInputAs<string>());
        var output = done.ReadOutputAs<string[]>()!;
        Assert.Equal(new string(big.Reverse().ToArray()), output[0]);
        Assert.Equal(big.ToUpperInvariant() + "!", output[1]);
    }

    [Fact]
    public async Task GetInstanceAsync_returns_inputs_and_outputs_only_when_asked()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithEcho());

        var id = await host.ScheduleAsync("Echo", "hello");
        await host.CompletionAsync(id);

        var with = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, host.Token);
        AssertCompleted(with!);
        Assert.Equal("hello", with!.ReadInputAs<string>());
        Assert.Equal("HELLO", with.ReadOutputAs<string>());

        var without = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: false, host.Token);
        AssertCompleted(without!);
        Assert.Equal(id, without!.InstanceId);
        Assert.Equal("Echo", without.Name, ignoreCase: true);
        Assert.Null(without.SerializedInput);
        Assert.Null(without.SerializedOutput);

        Assert.Null(await host.Client.GetInstanceAsync("never-created", cancellationToken: host.Token));
    }

    [Fact]
    public async Task WaitForInstanceStartAsync_returns_once_the_instance_has_left_Pending()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithWaiter());

        var id = await host.ScheduleAsync("Waiter", "in");
        var started = await host.Client.WaitForInstanceStartAsync(id, getInputsAndOutputs: true, host.Token);

        Assert.NotEqual(OrchestrationRuntimeStatus.Pending, started.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Running, started.RuntimeStatus);
        Assert.Equal("in", started.ReadInputAs<string>());
    }

    [Fact]
    public async Task Query_by_runtime_status()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithWaiter().WithEcho());

        var running = new[] { await host.ScheduleAsync("Waiter", "1"), await host.ScheduleAsync("Waiter", "2") };
        var completed = new[] { await host.ScheduleAsync("Echo", "3"), await host.ScheduleAsync("Echo", "4"), await host.ScheduleAsync("Echo", "5") };
        foreach (var id in running) await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        foreach (var id in completed) AssertCompleted(await host.CompletionAsync(id));

        Assert.Equal(Sorted(running), await QueryIdsAsync(host, new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running] }));
        Assert.Equal(Sorted(completed), await QueryIdsAsync(host, new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed] }));
        Assert.Equal(Sorted(running.Concat(completed)),
            await QueryIdsAsync(host, new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Completed] }));
        Assert.Empty(await QueryIdsAsync(host, new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Failed] }));
    }

    [Fact]
    public async Task Query_by_created_time_range()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithEcho());

        async Task<List<OrchestrationMetadata>> BatchAsync(string tag)
        {
            var ids = new[] { await host.ScheduleAsync("Echo", tag, instanceId: tag + "-1"), await host.ScheduleAsync("Echo", tag, instanceId: tag + "-2") };
            var batch = new List<OrchestrationMetadata>();
            foreach (var id in ids) batch.Add((await host.GetAsync(id))!);
            await Task.Delay(300, host.Token);
            return batch;
        }
        var early = await BatchAsync("early");
        var middle = await BatchAsync("middle");
        var late = await BatchAsync("late");
        static DateTimeOffset Between(List<OrchestrationMetadata> before, List<OrchestrationMetadata> after)
        {
            var last = before.Max(m => m.CreatedAt);
            var first = after.Min(m => m.CreatedAt);
            Assert.True(last < first, $"batches overlap in CreatedAt: {last:O} >= {first:O}");
            return last + (first - last) / 2;
        }

        var from = Between(early, middle);
        var to = Between(middle, late);

        Assert.Equal(["middle-1", "middle-2"], await QueryIdsAsync(host, new OrchestrationQuery { CreatedFrom = from, CreatedTo = to }));
        Assert.Equal(["late-1", "late-2", "middle-1", "middle-2"], await QueryIdsAsync(host, new OrchestrationQuery { CreatedFrom = from }));
        Assert.Equal(["early-1", "early-2"], await QueryIdsAsync(host, new OrchestrationQuery { CreatedTo = from }));
    }

    [Fact]
    public async Task Query_by_instance_id_prefix()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithEcho());

        foreach (var id in new[] { "alpha-1", "alpha-2", "alphabet", "beta-1", "xalpha-1" })
            await host.ScheduleAsync("Echo", id, instanceId: id);

        Assert.Equal(["alpha-1", "alpha-2"], await QueryIdsAsync(host, new OrchestrationQuery { InstanceIdPrefix = "alpha-" }));
        Assert.Equal(["alpha-1", "alpha-2", "alphabet"], await QueryIdsAsync(host, new OrchestrationQuery { InstanceIdPrefix = "alpha" }));
        Assert.Empty(await QueryIdsAsync(host, new OrchestrationQuery { InstanceIdPrefix = "gamma" }));
    }

    [Fact]
    public async Task Query_paging_with_page_size_2_over_5_instances_yields_each_once()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithEcho());

        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await host.ScheduleAsync("Echo", $"p{i}", instanceId: $"page-{i}"));

        var seen = new List<string>();
        var pages = 0;
        var query = new OrchestrationQuery { PageSize = 2 };
        while (true)
        {
            var page = await host.Client.QueryInstancesAsync(query, host.Token);
            pages++;
            Assert.True(page.Instances.Count <= 2, $"page {pages} has {page.Instances.Count} instances");
            seen.AddRange(page.Instances.Select(m => m.InstanceId));
            if (page.ContinuationToken is null) break;
            Assert.True(pages < 10, "paging does not end");
            query = query with { ContinuationToken = page.ContinuationToken };
        }

        Assert.Equal(Sorted(ids), Sorted(seen));
        Assert.Equal(5, seen.Distinct().Count());
        var enumerated = new List<string>();
        await foreach (var m in host.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 2 }, host.Token)) enumerated.Add(m.InstanceId);
        Assert.Equal(Sorted(ids), Sorted(enumerated));
    }

    [Fact]
    public async Task Purge_removes_a_terminal_instance_and_its_history()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithEcho());

        var id = await host.ScheduleAsync("Echo", "bye");
        AssertCompleted(await host.CompletionAsync(id));

        var purged = await host.Client.PurgeInstanceAsync(id, host.Token);

        Assert.Equal(1, purged.PurgedInstanceCount);
        Assert.Null(await host.GetAsync(id));
        Assert.Empty((await host.Backend.History.LoadAsync(id, host.Token)).Events);
        Assert.Equal(0, (await host.Client.PurgeInstanceAsync(id, host.Token)).PurgedInstanceCount);
    }

    [Fact]
    public async Task Purge_refuses_a_running_instance()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithWaiter());

        var id = await host.ScheduleAsync("Waiter", "in");
        await host.WaitForCustomStatusAsync(id, Registries.Waiting);

        var purged = await host.Client.PurgeInstanceAsync(id, host.Token);

        Assert.Equal(0, purged.PurgedInstanceCount);
        AssertStatus(OrchestrationRuntimeStatus.Running, await host.GetAsync(id));
        await host.RaiseAsync(id, "go", "still here");
        var done = await host.CompletionAsync(id);
        AssertCompleted(done);
        Assert.Equal("in+still here", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Purge_by_filter_removes_only_matching_terminal_instances()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithWaiter().WithEcho());

        var completed = new List<string>();
        for (var i = 0; i < 3; i++) completed.Add(await host.ScheduleAsync("Echo", $"c{i}", instanceId: $"done-{i}"));
        var terminated = await host.ScheduleAsync("Waiter", "t", instanceId: "terminated-1");
        var running = await host.ScheduleAsync("Waiter", "r", instanceId: "running-1");
        foreach (var id in completed) AssertCompleted(await host.CompletionAsync(id));
        await host.WaitForCustomStatusAsync(terminated, Registries.Waiting);
        await host.WaitForCustomStatusAsync(running, Registries.Waiting);
        await host.Client.TerminateInstanceAsync(terminated, "end", host.Token);
        AssertStatus(OrchestrationRuntimeStatus.Terminated, await host.CompletionAsync(terminated));

        var byStatus = await host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(Statuses: [OrchestrationRuntimeStatus.Completed]), host.Token);

        Assert.Equal(3, byStatus.PurgedInstanceCount);
        foreach (var id in completed) Assert.Null(await host.GetAsync(id));
        AssertStatus(OrchestrationRuntimeStatus.Terminated, await host.GetAsync(terminated));
        AssertStatus(OrchestrationRuntimeStatus.Running, await host.GetAsync(running));

        var everything = await host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(CreatedFrom: DateTimeOffset.UtcNow.AddHours(-1)), host.Token);

        Assert.Equal(1, everything.PurgedInstanceCount);
        Assert.Null(await host.GetAsync(terminated));
        AssertStatus(OrchestrationRuntimeStatus.Running, await host.GetAsync(running));
    }

    private static List<string> Sorted(IEnumerable<string> ids) => ids.Order(StringComparer.Ordinal).ToList();

    private static async Task<List<string>> QueryIdsAsync(TestHost host, OrchestrationQuery query)
    {
        var ids = new List<string>();
        await foreach (var m in host.Client.GetAllInstancesAsync(query, host.Token)) ids.Add(m.InstanceId);
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }
}
