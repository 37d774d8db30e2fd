using Tollgate.Durable.Tests.Support;

namespace Tollgate.Durable.Tests;

// External events, SendEvent, custom status, ContinueAsNew, GetInput, terminate, suspend/resume.
public abstract partial class EngineConformance
{
    [Fact]
    public async Task External_events_raised_before_the_orchestrator_waits_are_buffered_in_order()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<string, string[]>("Gated", async (context, _) =>
            {
                await context.WaitForExternalEvent<string>("gate");
                var first = await context.WaitForExternalEvent<string>("data");
                var second = await context.WaitForExternalEvent<string>("data");
                return [first, second];
            });
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("Gated");
        await host.Client.WaitForInstanceStartAsync(id, cancellationToken: host.Token);
        await host.RaiseAsync(id, "data", "a");
        await host.RaiseAsync(id, "data", "b");
        await host.RaiseAsync(id, "gate", "open");
        var done = await host.CompletionAsync(id);

        AssertCompleted(done);
        Assert.Equal(["a", "b"], done.ReadOutputAs<string[]>()!);
    }

    [Fact]
    public async Task External_event_raised_after_the_orchestrator_waits_is_delivered()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithWaiter());

        var id = await host.ScheduleAsync("Waiter", "in");
        await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        await host.RaiseAsync(id, "go", "later");
        var done = await host.CompletionAsync(id);

        AssertCompleted(done);
        Assert.Equal("in+later", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task WaitForExternalEvent_with_timeout_throws_TaskCanceledException_when_no_event_arrives()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<string, string>("Impatient", async (context, _) =>
            {
                try
                {
                    return "event:" + await context.WaitForExternalEvent<string>("never", TimeSpan.FromSeconds(1));
                }
                catch (TaskCanceledException)
                {
                    return "timed out";
                }
            });
        await using var host = await StartAsync(registry);

        var done = await host.CompletionAsync(await host.ScheduleAsync("Impatient"));

        AssertCompleted(done);
        Assert.Equal("timed out", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task WaitForExternalEvent_with_timeout_returns_the_event_when_it_arrives_in_time()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<string, string>("Patient", async (context, _) =>
            {
                context.SetCustomStatus(Registries.Waiting);
                try
                {
                    return "event:" + await context.WaitForExternalEvent<string>("answer", TimeSpan.FromSeconds(20));
                }
                catch (TaskCanceledException)
                {
                    return "timed out";
                }
            });
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("Patient");
        await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        await host.RaiseAsync(id, "answer", "42");
        var done = await host.CompletionAsync(id);

        AssertCompleted(done);
        Assert.Equal("event:42", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Multiple_events_of_the_same_name_are_delivered_in_the_order_raised()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<string, int[]>("Collector", async (context, _) =>
            {
                context.SetCustomStatus(Registries.Waiting);
                var received = new List<int>();
                for (var i = 0; i < 5; i++) received.Add(await context.WaitForExternalEvent<int>("n"));
                return received.ToArray();
            });
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("Collector");
        await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        for (var i = 1; i <= 5; i++) await host.RaiseAsync(id, "n", i);
        var done = await host.CompletionAsync(id);

        AssertCompleted(done);
        Assert.Equal([1, 2, 3, 4, 5], done.ReadOutputAs<int[]>()!);
    }

    [Fact]
    public async Task Event_names_are_case_insensitive()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<string, string[]>("CaseBlind", async (context, _) =>
            {
                context.SetCustomStatus(Registries.Waiting);
                var waitedFirst = await context.WaitForExternalEvent<string>("ApprovalGranted");
                await context.WaitForExternalEvent<string>("Gate");
                var bufferedFirst = await context.WaitForExternalEvent<string>("SECOND");
                return [waitedFirst, bufferedFirst];
            });
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("CaseBlind");
        await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        await host.RaiseAsync(id, "approvalgranted", "yes");
        await host.RaiseAsync(id, "second", "buffered");
        await host.RaiseAsync(id, "GATE", "open");
        var done = await host.CompletionAsync(id);

        AssertCompleted(done);
        Assert.Equal(["yes", "buffered"], done.ReadOutputAs<string[]>()!);
    }

    [Fact]
    public async Task Orchestrator_names_are_case_insensitive()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithEcho("EchoCase"));

        var done = await host.CompletionAsync(await host.ScheduleAsync("echocase", "quiet"));

        AssertCompleted(done);
        Assert.Equal("QUIET", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task SendEvent_delivers_an_event_from_one_orchestration_to_another()
    {
        var registry = new DurableTaskRegistry()
            .WithWaiter("Receiver")
            .Orchestrator<string, string>("Sender", (context, receiverId) =>
            {
                context.SendEvent(receiverId!, "go", "hello from " + context.InstanceId);
                return Task.FromResult("sent");
            });
        await using var host = await StartAsync(registry);

        var receiver = await host.ScheduleAsync("Receiver", "r", instanceId: "receiver-1");
        await host.WaitForCustomStatusAsync(receiver, Registries.Waiting);
        var sender = await host.ScheduleAsync("Sender", receiver, instanceId: "sender-1");

        AssertCompleted(await host.CompletionAsync(sender));
        var received = await host.CompletionAsync(receiver);
        AssertCompleted(received);
        Assert.Equal("r+hello from sender-1", received.ReadOutputAs<string>());
    }

    public sealed record Progress(string Stage, int Step);

    [Fact]
    public async Task SetCustomStatus_is_visible_through_GetInstanceAsync_while_running()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<string, string>("Reporter", async (context, _) =>
            {
                context.SetCustomStatus(new Progress("waiting", 1));
                var payload = await context.WaitForExternalEvent<string>("go");
                context.SetCustomStatus(new Progress("done", 2));
                return payload;
            });
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("Reporter");
        var waiting = await host.WaitForAsync(id, m => m.SerializedCustomStatus is not null && m.ReadCustomStatusAs<Progress>() == new Progress("waiting", 1), "custom status waiting/1");
        AssertStatus(OrchestrationRuntimeStatus.Running, waiting);
        Assert.Equal(new Progress("waiting", 1), (await host.GetAsync(id, withPayloads: false))!.ReadCustomStatusAs<Progress>());

        await host.RaiseAsync(id, "go", "x");
        var done = await host.CompletionAsync(id);
        AssertCompleted(done);
        Assert.Equal(new Progress("done", 2), done.ReadCustomStatusAs<Progress>());
    }

    [Fact]
    public async Task ContinueAsNew_counter_continues_ten_times_and_ends_with_the_right_output()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<int, int>("Counter", (context, n) =>
            {
                if (n < 10) context.ContinueAsNew(n + 1);
                return Task.FromResult(n);
            });
        await using var host = await StartAsync(registry);

        var done = await host.CompletionAsync(await host.ScheduleAsync("Counter", 0));

        AssertCompleted(done);
        Assert.Equal(10, done.ReadOutputAs<int>());
    }

    public sealed record LoopResult(int Generation, string First, string Second);

    [Fact]
    public async Task ContinueAsNew_preserves_events_raised_during_earlier_executions()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<int, LoopResult?>("Looper", async (context, generation) =>
            {
                if (generation == 0)
                {
                    context.SetCustomStatus(Registries.Waiting);
                    await context.WaitForExternalEvent<string>("go");
                    context.ContinueAsNew(1);
                    return null;
                }
                if (generation < 10)
                {
                    context.ContinueAsNew(generation + 1);
                    return null;
                }
                var first = await context.WaitForExternalEvent<string>("item");
                var second = await context.WaitForExternalEvent<string>("item");
                return new LoopResult(generation, first, second);
            });
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("Looper", 0);
        await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        await host.RaiseAsync(id, "item", "a");
        await host.RaiseAsync(id, "item", "b");
        await host.RaiseAsync(id, "go", "now");
        var done = await host.CompletionAsync(id);

        AssertCompleted(done);
        Assert.Equal(new LoopResult(10, "a", "b"), done.ReadOutputAs<LoopResult>());
    }

    public sealed record Order(string Id, int Quantity, decimal Price, List<string> Tags, Address ShipTo);

    public sealed record Address(string City, string? Zip);

    [Fact]
    public async Task GetInput_deserializes_a_record_input()
    {
        var registry = new DurableTaskRegistry()
            .AddOrchestrator("Summarize", context =>
            {
                var order = context.GetInput<Order>()!;
                return Task.FromResult(JsonDataConverter.Serialize($"{order.Id}|{order.Quantity * order.Price}|{string.Join(",", order.Tags)}|{order.ShipTo.City}|{order.ShipTo.Zip ?? "none"}"));
            });
        await using var host = await StartAsync(registry);

        var order = new Order("o-1", 3, 2.5m, ["fragile", "gift"], new Address("Zürich", null));
        var done = await host.CompletionAsync(await host.ScheduleAsync("Summarize", order));

        AssertCompleted(done);
        Assert.Equal("o-1|7.5|fragile,gift|Zürich|none", done.ReadOutputAs<string>());
        var input = done.ReadInputAs<Order>()!;
        Assert.Equal(("o-1", 3, 2.5m, "Zürich"), (input.Id, input.Quantity, input.Price, input.ShipTo.City));
        Assert.Equal(["fragile", "gift"], input.Tags);
    }

    [Fact]
    public async Task Terminating_a_waiting_instance_ends_it_Terminated_with_the_given_output()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithWaiter());

        var id = await host.ScheduleAsync("Waiter", "in");
        await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        await host.Client.TerminateInstanceAsync(id, "stopped by test", host.Token);
        var done = await host.CompletionAsync(id);

        AssertStatus(OrchestrationRuntimeStatus.Terminated, done);
        Assert.Equal("stopped by test", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Suspended_instance_holds_events_until_resumed_then_completes()
    {
        await using var host = await StartAsync(new DurableTaskRegistry().WithWaiter());

        var id = await host.ScheduleAsync("Waiter", "in");
        await host.WaitForCustomStatusAsync(id, Registries.Waiting);
        await host.Client.SuspendInstanceAsync(id, "maintenance", host.Token);
        await host.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Suspended);

        await host.RaiseAsync(id, "go", "held");
        await host.SettleAsync(TimeSpan.FromSeconds(1.5));
        var held = await host.GetAsync(id);
        AssertStatus(OrchestrationRuntimeStatus.Suspended, held);
        Assert.Null(held!.SerializedOutput);

        await host.Client.ResumeInstanceAsync(id, "done", host.Token);
        var done = await host.CompletionAsync(id);
        AssertCompleted(done);
        Assert.Equal("in+held", done.ReadOutputAs<string>());
    }
}
