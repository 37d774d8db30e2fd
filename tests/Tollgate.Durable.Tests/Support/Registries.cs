using System.Collections.Concurrent;

namespace Tollgate.Durable.Tests.Support;

/// <summary>Short ways to build registries for tests.</summary>
public static class Registries
{
    /// <summary>The custom status <see cref="WithWaiter"/> sets before it waits.</summary>
    public const string Waiting = "waiting";

    public static DurableTaskRegistry Orchestrator<TIn, TOut>(this DurableTaskRegistry registry, string name, Func<TaskOrchestrationContext, TIn?, Task<TOut>> orchestrator)
        => registry.AddOrchestrator(name, orchestrator);

    /// <summary>A synchronous activity of its input.</summary>
    public static DurableTaskRegistry Activity<TIn, TOut>(this DurableTaskRegistry registry, string name, Func<TIn?, TOut> activity)
        => registry.AddActivity<TIn, TOut>(name, (_, input) => Task.FromResult(activity(input)));

    /// <summary>A synchronous activity that also sees its context (idempotency key, instance).</summary>
    public static DurableTaskRegistry Activity<TIn, TOut>(this DurableTaskRegistry registry, string name, Func<TaskActivityContext, TIn?, TOut> activity)
        => registry.AddActivity<TIn, TOut>(name, (context, input) => Task.FromResult(activity(context, input)));

    /// <summary>An activity that always throws what <paramref name="failure"/> makes of its input.</summary>
    public static DurableTaskRegistry FailingActivity(this DurableTaskRegistry registry, string name, Func<string?, Exception> failure)
        => registry.AddActivity<string, string>(name, (_, input) => Task.FromException<string>(failure(input)));

    /// <summary>
    /// An activity that fails with <see cref="FlakyException"/> on its first <paramref name="failures"/>
    /// attempts per instance and then returns "ok"; <paramref name="attempts"/> counts attempts per instance.
    /// </summary>
    public static DurableTaskRegistry FlakyActivity(this DurableTaskRegistry registry, string name, int failures, ConcurrentDictionary<string, int> attempts)
        => registry.AddActivity<string, string>(name, (context, _) =>
        {
            var attempt = attempts.AddOrUpdate(context.InstanceId, 1, (_, n) => n + 1);
            return attempt <= failures
                ? Task.FromException<string>(new FlakyException($"attempt {attempt} failed"))
                : Task.FromResult($"ok after {attempt}");
        });

    /// <summary>
    /// Orchestrator <paramref name="name"/>: sets custom status "waiting", waits for event "go" (a string)
    /// and returns "{input}+{payload}".
    /// </summary>
    public static DurableTaskRegistry WithWaiter(this DurableTaskRegistry registry, string name = "Waiter")
        => registry.Orchestrator<string, string>(name, async (context, input) =>
        {
            context.SetCustomStatus(Waiting);
            var payload = await context.WaitForExternalEvent<string>("go");
            return $"{input}+{payload}";
        });

    /// <summary>Orchestrator <paramref name="name"/>: returns its string input upper-cased, through activity "Upper".</summary>
    public static DurableTaskRegistry WithEcho(this DurableTaskRegistry registry, string name = "Echo")
        => registry
            .Activity<string, string>("Upper", input => input?.ToUpperInvariant() ?? "")
            .Orchestrator<string, string>(name, async (context, input) => await context.CallActivityAsync<string>("Upper", input));
}

/// <summary>Idempotent effects keyed by <see cref="TaskActivityContext.IdempotencyKey"/>, plus how often each key was delivered.</summary>
public sealed class EffectLog
{
    /// <summary>Idempotency key → the effect, applied once.</summary>
    public ConcurrentDictionary<string, string?> Applied { get; } = new();

    /// <summary>Idempotency key → deliveries of the activity call (at-least-once: may exceed 1).</summary>
    public ConcurrentDictionary<string, int> Deliveries { get; } = new();

    /// <summary>Applies the effect unless this call's key already did; true when it was applied now.</summary>
    public bool Apply(TaskActivityContext context, string? effect)
    {
        Deliveries.AddOrUpdate(context.IdempotencyKey, 1, (_, n) => n + 1);
        return Applied.TryAdd(context.IdempotencyKey, effect);
    }

    public IEnumerable<KeyValuePair<string, string?>> For(string instanceId)
        => Applied.Where(e => e.Key.StartsWith(instanceId + ":", StringComparison.Ordinal));
}

public sealed class FlakyException(string message) : Exception(message);

public sealed class PaymentDeclinedException(string message) : InvalidOperationException(message);

/// <summary>How a caught <see cref="TaskFailedException"/> looked from inside the orchestrator.</summary>
public sealed record FailureView(string TaskName, string ErrorType, string ErrorMessage, bool CausedByDeclared, bool CausedByBase, bool CausedByUnrelated)
{
    public static FailureView Of<TDeclared, TBase>(TaskFailedException failure) where TDeclared : Exception where TBase : Exception => new(
        failure.TaskName,
        failure.FailureDetails.ErrorType,
        failure.FailureDetails.ErrorMessage,
        failure.FailureDetails.IsCausedBy<TDeclared>(),
        failure.FailureDetails.IsCausedBy<TBase>(),
        failure.FailureDetails.IsCausedBy<ArgumentException>());
}
