using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tollgate.Durable.Backend;
using Tollgate.Durable.History;
using Tollgate.Durable.Tests.Support;

namespace Tollgate.Durable.Tests;

// Replay: determinism, NewGuid, IsReplaying; restarts, at-least-once activities, multiple workers, poison messages.
public abstract partial class EngineConformance
{
    [Fact]
    public async Task NewGuid_is_the_same_across_replays_and_different_across_calls_and_instances()
    {
        var recorded = new ConcurrentQueue<(string InstanceId, int TaskId, string Guid)>();
        var registry = new DurableTaskRegistry()
            .Activity<string, string>("RecordGuid", (context, guid) =>
            {
                recorded.Enqueue((context.InstanceId, context.TaskId, guid!));
                return "ok";
            })
            .Orchestrator<string, string[]>("Guids", async (context, _) =>
            {
                var first = context.NewGuid().ToString();
                var second = context.NewGuid().ToString();
                await Task.WhenAll(context.CallActivityAsync<string>("RecordGuid", first), context.CallActivityAsync<string>("RecordGuid", second));
                context.SetCustomStatus(Registries.Waiting);
                await context.WaitForExternalEvent<string>("go");
                var third = context.NewGuid().ToString();
                await context.CallActivityAsync<string>("RecordGuid", third);
                return [first, second, third];
            });
        await using var host = await StartAsync(registry);

        var ids = new[] { await host.ScheduleAsync("Guids", instanceId: "guids-1"), await host.ScheduleAsync("Guids", instanceId: "guids-2") };
        foreach (var id in ids) await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        // A new worker has nothing in memory: it rebuilds both instances by replaying their histories.
        await host.RestartWorkerAsync(registry);
        foreach (var id in ids) await host.RaiseAsync(id, "go", "now");

        var outputs = new Dictionary<string, string[]>();
        foreach (var id in ids)
        {
            var done = await host.CompletionAsync(id);
            AssertCompleted(done);
            outputs[id] = done.ReadOutputAs<string[]>()!;
            Assert.Equal(3, outputs[id].Distinct().Count());

            var calls = recorded.Where(r => r.InstanceId == id).GroupBy(r => r.TaskId).OrderBy(g => g.Key).ToList();
            foreach (var call in calls)
                Assert.True(call.Select(c => c.Guid).Distinct().Count() == 1, $"task #{call.Key} of {id} was delivered different GUIDs: {string.Join(", ", call.Select(c => c.Guid))}");
            // What the activities saw before the restart is what replay produced after it.
            Assert.Equal(outputs[id].Take(2).Order(StringComparer.Ordinal), calls.Take(2).Select(g => g.First().Guid).Order(StringComparer.Ordinal));
            Assert.Equal(outputs[id][2], calls[2].First().Guid);
        }
        Assert.Empty(outputs["guids-1"].Intersect(outputs["guids-2"]));
    }

    [Fact]
    public async Task IsReplaying_is_false_exactly_once_per_step_and_the_replay_safe_logger_writes_each_line_once()
    {
        var live = new ConcurrentDictionary<string, int>();
        var replayed = new ConcurrentDictionary<string, int>();
        var sink = new CapturingLogger();
        void Reached(TaskOrchestrationContext context, ILogger log, string step)
        {
            (context.IsReplaying ? replayed : live).AddOrUpdate(step, 1, (_, n) => n + 1);
            log.LogInformation("{Instance} reached {Step}", context.InstanceId, step);
        }
        var registry = new DurableTaskRegistry()
            .Activity<int, int>("Noop", x => x)
            .Orchestrator<string, string>("Steps", async (context, _) =>
            {
                var log = context.CreateReplaySafeLogger(sink);
                Reached(context, log, "start");
                await context.CallActivityAsync<int>("Noop", 1);
                Reached(context, log, "after-1");
                await context.CallActivityAsync<int>("Noop", 2);
                Reached(context, log, "after-2");
                context.SetCustomStatus(Registries.Waiting);
                await context.WaitForExternalEvent<string>("go");
                Reached(context, log, "after-go");
                await context.CallActivityAsync<int>("Noop", 3);
                Reached(context, log, "after-3");
                return "done";
            });
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("Steps", instanceId: "steps-1");
        await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        await host.RestartWorkerAsync(registry);
        await host.RaiseAsync(id, "go");
        AssertCompleted(await host.CompletionAsync(id));

        string[] steps = ["start", "after-1", "after-2", "after-go", "after-3"];
        foreach (var step in steps)
            Assert.True(live.GetValueOrDefault(step) == 1, $"step '{step}' ran with IsReplaying false {live.GetValueOrDefault(step)} times");
        Assert.True(replayed.GetValueOrDefault("start") >= 1, "the new worker should have replayed the code before the event (IsReplaying true)");
        Assert.Equal(steps.Select(s => $"steps-1 reached {s}").Order(StringComparer.Ordinal), sink.Lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Changed_orchestrator_code_fails_the_instance_naming_expected_and_actual_without_corrupting_history()
    {
        var ran = new ConcurrentDictionary<string, int>();
        DurableTaskRegistry Version(string firstActivity) => new DurableTaskRegistry()
            .Activity<string, string>("X", _ => { ran.AddOrUpdate("X", 1, (_, n) => n + 1); return "x"; })
            .Activity<string, string>("Y", _ => { ran.AddOrUpdate("Y", 1, (_, n) => n + 1); return "y"; })
            .Orchestrator<string, string>("Evolving", async (context, _) =>
            {
                await context.CallActivityAsync<string>(firstActivity);
                context.SetCustomStatus(Registries.Waiting);
                return await context.WaitForExternalEvent<string>("go");
            });
        await using var host = await StartAsync(Version("X"));

        var id = await host.ScheduleAsync("Evolving", instanceId: "evolving-1");
        await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        await host.RestartWorkerAsync(Version("Y"));
        try
        {
            await host.RaiseAsync(id, "go", "now");
        }
        catch (DurableClientException refused) when (refused.Reason == DurableReason.InstanceNotRunning)
        {
            // The new worker may replay (and fail) the instance as soon as it owns it, before the event is raised.
        }
        var done = await host.CompletionAsync(id);

        AssertStatus(OrchestrationRuntimeStatus.Failed, done);
        var message = done.FailureDetails!.ErrorMessage;
        Assert.Contains("'X'", message);
        Assert.Contains("'Y'", message);

        // The history is intact: the instance reads back, the recorded decision is still X, the failure is
        // recorded once, and nothing of Y was recorded or run.
        await host.SettleAsync();
        AssertStatus(OrchestrationRuntimeStatus.Failed, await host.GetAsync(id));
        var history = (await host.Backend.History.LoadAsync(id, host.Token)).Events;
        Output.WriteLine("history: " + string.Join(" | ", history.Select(e => e.GetType().Name + (e is OrchestratorAction a ? $"({a.Describe()})" : ""))));
        var problems = new List<string>();
        if (history.FirstOrDefault(e => e is not OrchestratorStarted) is not ExecutionStarted) problems.Add("the history does not start with ExecutionStarted");
        if (!history.Any(e => e is TaskScheduled { Name: "X" })) problems.Add("the recorded call of X is gone");
        if (history.Any(e => e is TaskScheduled { Name: "Y" })) problems.Add("a call of Y was recorded");
        if (history.Count(e => e is ExecutionCompleted) != 1)
            problems.Add($"the history holds {history.Count(e => e is ExecutionCompleted)} ExecutionCompleted events, not 1");
        if (ran.GetValueOrDefault("X") != 1) problems.Add($"activity X ran {ran.GetValueOrDefault("X")} times, not once");
        if (ran.GetValueOrDefault("Y") != 0) problems.Add($"activity Y ran {ran.GetValueOrDefault("Y")} time(s) for an instance that failed as non-deterministic");
        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }

    [Fact]
    public async Task Durable_timer_survives_a_worker_restart()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<string, DateTime[]>("RestartSleeper", async (context, _) =>
            {
                var start = context.CurrentUtcDateTime;
                context.SetCustomStatus("timer-set");
                await context.CreateTimer(TimeSpan.FromSeconds(2));
                return [start, context.CurrentUtcDateTime];
            });
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("RestartSleeper");
        await host.WaitForCustomStatusAsync(id, "timer-set");
        await host.StopWorkerAsync(host.Worker);
        AssertStatus(OrchestrationRuntimeStatus.Running, await host.GetAsync(id));
        await host.StartWorkerAsync(registry);
        var done = await host.CompletionAsync(id);

        AssertCompleted(done);
        var times = done.ReadOutputAs<DateTime[]>()!;
        Assert.True(times[1] >= times[0].AddSeconds(2), $"after the timer CurrentUtcDateTime was {times[1]:O}, less than start {times[0]:O} + 2 s");
    }

    [Fact]
    public async Task Activity_running_when_the_worker_stops_is_run_again_by_the_next_worker_and_its_effect_applied_once()
    {
        var effects = new EffectLog();
        var firstDelivery = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = new DurableTaskRegistry()
            .AddActivity<string, string>("Charge", async (context, order, cancellationToken) =>
            {
                effects.Apply(context, order);
                if (effects.Deliveries[context.IdempotencyKey] == 1)
                {
                    firstDelivery.TrySetResult();
                    await Task.Delay(Timeout.Infinite, cancellationToken); // the host goes away mid-activity
                }
                return $"charged {order}";
            })
            .Orchestrator<string, string>("Checkout", async (context, order) => await context.CallActivityAsync<string>("Charge", order));
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("Checkout", "order-1");
        await host.SignalAsync(firstDelivery.Task, "the first delivery of the activity");
        await host.RestartWorkerAsync(registry);
        var done = await host.CompletionAsync(id);

        AssertCompleted(done);
        Assert.Equal("charged order-1", done.ReadOutputAs<string>());
        var effect = Assert.Single(effects.Applied);
        Assert.Equal("order-1", effect.Value);
        Assert.True(effects.Deliveries[effect.Key] >= 2, "both deliveries should carry the same idempotency key");
    }

    [Fact]
    public async Task Worker_started_after_a_graceful_stop_takes_over_every_partition()
    {
        // The stopped worker released its leases; its successor must not leave partitions (and the
        // instances in them) unowned until the stopped worker's lease duration runs out.
        var options = TestOptions with { LeaseDuration = TimeSpan.FromSeconds(30), LeaseRenewInterval = TimeSpan.FromSeconds(2) };
        var registry = new DurableTaskRegistry().WithEcho();
        await using var host = await StartAsync(null, partitionCount: 4);
        var first = await host.StartWorkerAsync(registry, options with { HostId = "first" });
        await host.WaitUntilAsync(() => first.OwnedPartitions.Order().SequenceEqual([0, 1, 2, 3]), "the only worker owns all 4 partitions");

        await host.StopWorkerAsync(first);
        var second = await host.StartWorkerAsync(registry, options with { HostId = "second" });

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(host.Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while (!second.OwnedPartitions.Order().SequenceEqual([0, 1, 2, 3]) && !deadline.IsCancellationRequested)
            await Task.Delay(100, CancellationToken.None);
        Assert.True(second.OwnedPartitions.Order().SequenceEqual([0, 1, 2, 3]),
            $"10 s after the only other worker stopped gracefully, the new worker owns partitions [{string.Join(", ", second.OwnedPartitions)}] of 4");
    }

    [Fact]
    public async Task Two_workers_share_partitions_apply_each_effect_once_and_one_takes_over_when_the_other_stops()
    {
        var effects = new EffectLog();
        var registry = new DurableTaskRegistry()
            .AddActivity<int, int>("Step", async (context, x, cancellationToken) =>
            {
                effects.Apply(context, x.ToString());
                await Task.Delay(50, cancellationToken);
                return x + 1;
            })
            .AddActivity<int, int>("SlowStep", async (context, x, cancellationToken) =>
            {
                effects.Apply(context, x.ToString());
                await Task.Delay(400, cancellationToken);
                return x + 1;
            })
            .Orchestrator<int, int>("Pipeline", async (context, x) =>
            {
                for (var i = 0; i < 3; i++) x = await context.CallActivityAsync<int>("Step", x);
                return x;
            })
            .Orchestrator<int, int>("SlowPipeline", async (context, x) =>
            {
                for (var i = 0; i < 3; i++) x = await context.CallActivityAsync<int>("SlowStep", x);
                return x;
            });
        var options = TestOptions with { LeaseDuration = TimeSpan.FromSeconds(3), LeaseRenewInterval = TimeSpan.FromSeconds(1) };
        await using var host = await StartAsync(null, partitionCount: 4, timeout: TimeSpan.FromSeconds(90));
        var a = await host.StartWorkerAsync(registry, options with { HostId = "host-a" });
        var b = await host.StartWorkerAsync(registry, options with { HostId = "host-b" });

        var first = new List<string>();
        for (var i = 0; i < 20; i++) first.Add(await host.ScheduleAsync("Pipeline", i * 10, instanceId: $"first-{i}"));
        for (var i = 0; i < 20; i++)
        {
            var done = await host.CompletionAsync(first[i]);
            AssertCompleted(done);
            Assert.Equal(i * 10 + 3, done.ReadOutputAs<int>());
            Assert.Equal(3, effects.For(first[i]).Count());
        }
        Assert.Equal(60, effects.Applied.Count);

        await host.WaitUntilAsync(() =>
            a.OwnedPartitions.Count > 0 && b.OwnedPartitions.Count > 0
            && !a.OwnedPartitions.Intersect(b.OwnedPartitions).Any()
            && a.OwnedPartitions.Union(b.OwnedPartitions).Order().SequenceEqual([0, 1, 2, 3]),
            "both workers own some of the 4 partitions, and together all of them");

        // In-flight work on A's partitions when A stops.
        var owned = a.OwnedPartitions.ToHashSet();
        var onA = Enumerable.Range(0, 1000).Select(n => $"second-{n}").Where(id => owned.Contains(host.Backend.PartitionOf(id))).Take(5).ToList();
        var onB = Enumerable.Range(0, 1000).Select(n => $"second-{n}").Where(id => !owned.Contains(host.Backend.PartitionOf(id))).Take(5).ToList();
        var second = onA.Concat(onB).ToList();
        foreach (var id in second) await host.ScheduleAsync("SlowPipeline", 100, instanceId: id);
        await host.WaitUntilAsync(() => onA.All(id => effects.For(id).Any()), "every instance on A's partitions has an activity running");
        await host.StopWorkerAsync(a);

        foreach (var id in second)
        {
            var done = await host.CompletionAsync(id);
            AssertCompleted(done);
            Assert.Equal(103, done.ReadOutputAs<int>());
            Assert.Equal(3, effects.For(id).Count());
        }
        Assert.Equal(90, effects.Applied.Count);
        await host.WaitUntilAsync(() => b.OwnedPartitions.Order().SequenceEqual([0, 1, 2, 3]), "the remaining worker owns all 4 partitions");
    }

    [Fact]
    public async Task Control_message_for_a_nonexistent_instance_is_parked_with_a_reason()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithWaiter());

        var message = new OrchestrationMessage("ghost-7", new EventRaised(DateTime.UtcNow, "go", "\"x\"", "msg-ghost-7"), "msg-ghost-7");
        await host.Backend.Queues.SendAsync(message, TimeSpan.Zero, host.Token);

        var parked = await WaitForParkedAsync(host, "msg-ghost-7");
        Assert.Equal("ghost-7", parked.Message.InstanceId);
        Assert.False(string.IsNullOrWhiteSpace(parked.Reason), "a parked message needs a reason");
        Assert.Null(await host.GetAsync("ghost-7"));
    }

    [Fact]
    public async Task Control_message_whose_processing_always_throws_is_parked_after_MaxDequeueCount()
    {
        // An instance whose stored history cannot be replayed (it has no ExecutionStarted): every
        // attempt to apply a message to it throws, so the message must end up parked, not retried forever.
        await using var host = await StartAsync(null);
        const string id = "broken-1";
        var now = DateTimeOffset.UtcNow;
        Assert.True(await host.Backend.Instances.TryCreateAsync(
            new InstanceRecord(id, "Waiter", host.Backend.PartitionOf(id), OrchestrationRuntimeStatus.Running, "exec-1", now, now), host.Token));
        await host.Backend.History.AppendAsync(id, HistoryVersion.Empty,
            [new OrchestratorStarted(now.UtcDateTime), new TaskCompleted(now.UtcDateTime, 0, "\"x\"")], host.Token);
        await host.StartWorkerAsync(new DurableTaskRegistry().WithWaiter(), TestOptions with { MaxDequeueCount = 3 });

        var message = new OrchestrationMessage(id, new EventRaised(DateTime.UtcNow, "go", "\"x\"", "msg-broken-1"), "msg-broken-1");
        await host.Backend.Queues.SendAsync(message, TimeSpan.Zero, host.Token);

        var parked = await WaitForParkedAsync(host, "msg-broken-1");
        Assert.True(parked.DequeueCount >= 3, $"parked after {parked.DequeueCount} deliveries, before MaxDequeueCount 3");
        Assert.False(string.IsNullOrWhiteSpace(parked.Reason), "a parked message needs a reason");
    }

    private static async Task<ParkedMessage> WaitForParkedAsync(TestHost host, string messageId)
    {
        ParkedMessage? parked = null;
        await host.WaitUntilAsync(async () =>
        {
            parked = (await host.Backend.Queues.ListParkedAsync(host.Token)).FirstOrDefault(p => p.Message.MessageId == messageId);
            return parked is not null;
        }, $"message '{messageId}' is parked");
        return parked!;
    }
}
