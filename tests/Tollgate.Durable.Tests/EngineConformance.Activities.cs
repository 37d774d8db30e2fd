using System.Collections.Concurrent;
using Tollgate.Durable.Tests.Support;

namespace Tollgate.Durable.Tests;

// Activities, failures, retries, sub-orchestrations and timers.
public abstract partial class EngineConformance
{
    [Fact]
    public async Task Sequential_activity_chain_returns_the_composed_result()
    {
        var registry = new DurableTaskRegistry()
            .Activity<int, int>("Add1", x => x + 1)
            .Activity<int, int>("Double", x => x * 2)
            .Activity<int, string>("Show", x => $"={x}")
            .Orchestrator<int, string>("Chain", async (context, x) =>
            {
                var a = await context.CallActivityAsync<int>("Add1", x);
                var b = await context.CallActivityAsync<int>("Double", a);
                var c = await context.CallActivityAsync<int>("Add1", b);
                return await context.CallActivityAsync<string>("Show", c);
            });
        await using var host = await StartAsync(registry);

        var done = await host.CompletionAsync(await host.ScheduleAsync("Chain", 5));

        AssertCompleted(done);
        Assert.Equal("=13", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Fan_out_fan_in_of_200_activities_sums_every_result()
    {
        var registry = new DurableTaskRegistry()
            .Activity<int, long>("Square", x => (long)x * x)
            .Orchestrator<int, long>("FanOut", async (context, n) =>
            {
                var squares = await Task.WhenAll(Enumerable.Range(1, n).Select(i => context.CallActivityAsync<long>("Square", i)));
                return squares.Sum();
            });
        await using var host = await StartAsync(registry);

        var done = await host.CompletionAsync(await host.ScheduleAsync("FanOut", 200));

        AssertCompleted(done);
        Assert.Equal(200L * 201 * 401 / 6, done.ReadOutputAs<long>());
    }

    [Fact]
    public async Task Activity_failure_surfaces_as_TaskFailedException_with_failure_details()
    {
        var registry = new DurableTaskRegistry()
            .FailingActivity("Charge", input => new PaymentDeclinedException($"card declined for {input}"))
            .Orchestrator<string, FailureView>("CatchFailure", async (context, input) =>
            {
                try
                {
                    await context.CallActivityAsync<string>("Charge", input);
                    return new FailureView("", "no failure", "", false, false, false);
                }
                catch (TaskFailedException failure)
                {
                    return FailureView.Of<PaymentDeclinedException, InvalidOperationException>(failure);
                }
            });
        await using var host = await StartAsync(registry);

        var done = await host.CompletionAsync(await host.ScheduleAsync("CatchFailure", "order-7"));

        AssertCompleted(done);
        var seen = done.ReadOutputAs<FailureView>()!;
        Assert.Equal("Charge", seen.TaskName, ignoreCase: true);
        Assert.Equal(typeof(PaymentDeclinedException).FullName, seen.ErrorType);
        Assert.Equal("card declined for order-7", seen.ErrorMessage);
        Assert.True(seen.CausedByDeclared, "IsCausedBy<PaymentDeclinedException>() should be true");
        Assert.True(seen.CausedByBase, "IsCausedBy<InvalidOperationException>() should be true for a subclass");
        Assert.False(seen.CausedByUnrelated, "IsCausedBy<ArgumentException>() should be false");
    }

    [Fact]
    public async Task Uncaught_activity_failure_fails_the_instance_with_failure_details()
    {
        var registry = new DurableTaskRegistry()
            .FailingActivity("Charge", input => new PaymentDeclinedException($"card declined for {input}"))
            .Orchestrator<string, string>("NoCatch", async (context, input) => await context.CallActivityAsync<string>("Charge", input));
        await using var host = await StartAsync(registry);

        var done = await host.CompletionAsync(await host.ScheduleAsync("NoCatch", "order-8"));

        AssertStatus(OrchestrationRuntimeStatus.Failed, done);
        Assert.NotNull(done.FailureDetails);
        Assert.False(string.IsNullOrWhiteSpace(done.FailureDetails.ErrorType));
        Assert.Contains("card declined for order-8", done.FailureDetails.ErrorMessage);
        Assert.Null(done.SerializedOutput);
    }

    [Fact]
    public async Task Orchestrator_exception_fails_the_instance_with_its_type_and_message()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<string, string>("Throws", (context, input) => throw new InvalidOperationException($"bad input {input}"));
        await using var host = await StartAsync(registry);

        var done = await host.CompletionAsync(await host.ScheduleAsync("Throws", "x1"));

        AssertStatus(OrchestrationRuntimeStatus.Failed, done);
        Assert.Equal(typeof(InvalidOperationException).FullName, done.FailureDetails!.ErrorType);
        Assert.Equal("bad input x1", done.FailureDetails.ErrorMessage);
        Assert.True(done.FailureDetails.IsCausedBy<InvalidOperationException>());
    }

    [Fact]
    public async Task Retry_policy_with_three_attempts_completes_an_activity_that_fails_twice()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        var registry = new DurableTaskRegistry()
            .FlakyActivity("Flaky", failures: 2, attempts)
            .Orchestrator<string, string>("Retry3", async (context, _) =>
                await context.CallActivityAsync<string>("Flaky", null, new TaskOptions(new RetryPolicy(3, TimeSpan.FromMilliseconds(100)))));
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("Retry3");
        var done = await host.CompletionAsync(id);

        AssertCompleted(done);
        Assert.Equal("ok after 3", done.ReadOutputAs<string>());
        Assert.Equal(3, attempts[id]);
    }

    [Fact]
    public async Task Retry_policy_with_two_attempts_fails_for_an_activity_that_fails_twice()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        var registry = new DurableTaskRegistry()
            .FlakyActivity("Flaky", failures: 2, attempts)
            .Orchestrator<string, string>("Retry2", async (context, _) =>
                await context.CallActivityAsync<string>("Flaky", null, new TaskOptions(new RetryPolicy(2, TimeSpan.FromMilliseconds(100)))));
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("Retry2");
        var done = await host.CompletionAsync(id);

        AssertStatus(OrchestrationRuntimeStatus.Failed, done);
        Assert.Contains("attempt 2 failed", done.FailureDetails!.ErrorMessage);
        await host.SettleAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, attempts[id]);
    }

    [Fact]
    public async Task Retry_policy_whose_Handle_predicate_rejects_the_failure_does_not_retry()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        var registry = new DurableTaskRegistry()
            .FlakyActivity("Flaky", failures: 2, attempts)
            .Orchestrator<string, FailureView>("RetryOnlyTimeouts", async (context, _) =>
            {
                var policy = new RetryPolicy(5, TimeSpan.FromMilliseconds(100)) { Handle = failure => failure.IsCausedBy<TimeoutException>() };
                try
                {
                    await context.CallActivityAsync<string>("Flaky", null, new TaskOptions(policy));
                    return new FailureView("", "no failure", "", false, false, false);
                }
                catch (TaskFailedException failure)
                {
                    return FailureView.Of<FlakyException, Exception>(failure);
                }
            });
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("RetryOnlyTimeouts");
        var done = await host.CompletionAsync(id);

        AssertCompleted(done);
        Assert.Equal("attempt 1 failed", done.ReadOutputAs<FailureView>()!.ErrorMessage);
        await host.SettleAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, attempts[id]);
    }

    [Fact]
    public async Task Retry_timeout_stops_retries_before_max_attempts()
    {
        // 300 ms between attempts and a 1.5 s retry timeout: no retry may start more than 1.5 s after the
        // first attempt, so at most 1 + 1.5 / 0.3 = 6 attempts of the 20 allowed.
        var attempts = new ConcurrentDictionary<string, int>();
        var registry = new DurableTaskRegistry()
            .FlakyActivity("AlwaysFails", failures: int.MaxValue, attempts)
            .Orchestrator<string, string>("RetryWithTimeout", async (context, _) =>
                await context.CallActivityAsync<string>("AlwaysFails", null,
                    new TaskOptions(new RetryPolicy(20, TimeSpan.FromMilliseconds(300), retryTimeout: TimeSpan.FromSeconds(1.5)))));
        await using var host = await StartAsync(registry);

        var id = await host.ScheduleAsync("RetryWithTimeout");
        var done = await host.CompletionAsync(id);

        AssertStatus(OrchestrationRuntimeStatus.Failed, done);
        await host.SettleAsync(TimeSpan.FromMilliseconds(500));
        Assert.InRange(attempts[id], 2, 6);
        Assert.Contains($"attempt {attempts[id]} failed", done.FailureDetails!.ErrorMessage);
    }

    [Fact]
    public async Task Sub_orchestration_with_explicit_instance_id_returns_its_output_and_is_queryable()
    {
        var registry = new DurableTaskRegistry()
            .Activity<int, int>("Double", x => x * 2)
            .Orchestrator<int, int>("Child", async (context, x) => await context.CallActivityAsync<int>("Double", x))
            .Orchestrator<int, string>("Parent", async (context, x) =>
            {
                var child = await context.CallSubOrchestratorAsync<int>("Child", x, new SubOrchestrationOptions(instanceId: context.InstanceId + "-child"));
                return $"child said {child}";
            });
        await using var host = await StartAsync(registry);

        var parentId = await host.ScheduleAsync("Parent", 21, instanceId: "parent-1");
        var done = await host.CompletionAsync(parentId);

        AssertCompleted(done);
        Assert.Equal("child said 42", done.ReadOutputAs<string>());
        var child = await host.GetAsync("parent-1-child");
        AssertCompleted(child!);
        Assert.Equal("Child", child!.Name, ignoreCase: true);
        Assert.Equal(21, child.ReadInputAs<int>());
        Assert.Equal(42, child.ReadOutputAs<int>());
    }

    [Fact]
    public async Task Failing_sub_orchestration_surfaces_TaskFailedException_in_the_parent()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<string, string>("BrokenChild", (context, input) => throw new InvalidOperationException($"child broke on {input}"))
            .Orchestrator<string, FailureView>("CatchingParent", async (context, input) =>
            {
                try
                {
                    await context.CallSubOrchestratorAsync<string>("BrokenChild", input, new SubOrchestrationOptions(instanceId: context.InstanceId + "-child"));
                    return new FailureView("", "no failure", "", false, false, false);
                }
                catch (TaskFailedException failure)
                {
                    return FailureView.Of<InvalidOperationException, SystemException>(failure);
                }
            });
        await using var host = await StartAsync(registry);

        var done = await host.CompletionAsync(await host.ScheduleAsync("CatchingParent", "p7", instanceId: "parent-2"));

        AssertCompleted(done);
        var seen = done.ReadOutputAs<FailureView>()!;
        Assert.Contains("child broke on p7", seen.ErrorMessage);
        Assert.True(seen.CausedByDeclared, $"IsCausedBy<InvalidOperationException>() should be true; error type was {seen.ErrorType}");
        AssertStatus(OrchestrationRuntimeStatus.Failed, await host.GetAsync("parent-2-child"));
    }

    [Fact]
    public async Task Durable_timer_completes_and_CurrentUtcDateTime_afterwards_is_at_least_start_plus_delay()
    {
        var registry = new DurableTaskRegistry()
            .Orchestrator<string, DateTime[]>("Sleeper", async (context, _) =>
            {
                var start = context.CurrentUtcDateTime;
                await context.CreateTimer(TimeSpan.FromSeconds(1));
                return [start, context.CurrentUtcDateTime];
            });
        await using var host = await StartAsync(registry);

        var done = await host.CompletionAsync(await host.ScheduleAsync("Sleeper"));

        AssertCompleted(done);
        var times = done.ReadOutputAs<DateTime[]>()!;
        Assert.True(times[1] >= times[0].AddSeconds(1), $"after the timer CurrentUtcDateTime was {times[1]:O}, less than start {times[0]:O} + 1 s");
    }
}

/// <summary>Backend-independent checks of <see cref="RetryPolicy"/>'s argument validation.</summary>
public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(0, 1000, 1.0, null, null, "maxNumberOfAttempts")]
    [InlineData(-1, 1000, 1.0, null, null, "maxNumberOfAttempts")]
    [InlineData(3, 0, 1.0, null, null, "firstRetryInterval")]
    [InlineData(3, -5, 1.0, null, null, "firstRetryInterval")]
    [InlineData(3, 1000, 0.5, null, null, "backoffCoefficient")]
    [InlineData(3, 1000, double.NaN, null, null, "backoffCoefficient")]
    [InlineData(3, 1000, double.PositiveInfinity, null, null, "backoffCoefficient")]
    [InlineData(3, 1000, 1.0, 500, null, "maxRetryInterval")]
    [InlineData(3, 1000, 1.0, null, 0, "retryTimeout")]
    [InlineData(3, 1000, 1.0, null, -2000, "retryTimeout")]
    public void Constructor_rejects_bad_arguments_naming_the_parameter(int attempts, int firstMs, double backoff, int? maxMs, int? timeoutMs, string parameter)
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(
            attempts,
            TimeSpan.FromMilliseconds(firstMs),
            backoff,
            maxMs is { } max ? TimeSpan.FromMilliseconds(max) : null,
            timeoutMs is { } timeout ? TimeSpan.FromMilliseconds(timeout) : null));
        Assert.Equal(parameter, refused.ParamName);
    }

    [Fact]
    public void Constructor_accepts_good_arguments_and_an_infinite_retry_timeout()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        Assert.Equal(3, policy.MaxNumberOfAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayAfterAttempt(1));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.DelayAfterAttempt(2));
        Assert.Equal(TimeSpan.FromSeconds(3), policy.DelayAfterAttempt(3)); // capped by maxRetryInterval
    }
}
