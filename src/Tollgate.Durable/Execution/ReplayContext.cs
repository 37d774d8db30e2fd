using Microsoft.Extensions.Logging;
using Tollgate.Durable.History;

namespace Tollgate.Durable.Execution;

/// <summary>
/// The context handed to orchestrator code. Every decision the code makes becomes an
/// <see cref="OrchestratorAction"/> with the next task id; <see cref="OrchestrationExecution"/>
/// confirms it against the history or reports it as new, and completes the tasks it returned.
/// </summary>
internal sealed class ReplayContext(string name, string instanceId, string executionId, string? input) : TaskOrchestrationContext
{
    private readonly Dictionary<int, OpenTask> _open = new();
    private readonly SortedDictionary<int, OrchestratorAction> _unconfirmed = new();
    private readonly Dictionary<string, Queue<EventWaiter>> _waiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<EventRaised> _buffered = new();
    private int _nextTaskId;
    private int _guidCounter;

    public override string Name { get; } = name;
    public override string InstanceId { get; } = instanceId;
    public string ExecutionId { get; } = executionId;
    public override bool IsReplaying => Replaying;
    public override DateTime CurrentUtcDateTime => Now;

    internal bool Replaying { get; set; }
    internal DateTime Now { get; set; }
    internal string? CustomStatus { get; private set; }
    internal (string? Input, bool PreserveEvents)? ContinueAsNewRequest { get; private set; }
    internal IReadOnlyCollection<OrchestratorAction> Unconfirmed => _unconfirmed.Values;
    internal IReadOnlyList<EventRaised> BufferedEvents => _buffered;

    public override T? GetInput<T>() where T : default => JsonDataConverter.Deserialize<T>(input);

    public override async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var serialized = JsonDataConverter.Serialize(input);
        var result = await WithRetry(options?.Retry, () => Schedule(id => new TaskScheduled(Now, id, name, serialized), name));
        return JsonDataConverter.Deserialize<TResult>(result)!;
    }

    public override async Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, SubOrchestrationOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        var serialized = JsonDataConverter.Serialize(input);
        var childId = options?.InstanceId ?? NewGuid().ToString("N");
        var result = await WithRetry(options?.Retry, () => Schedule(id => new SubOrchestrationCreated(Now, id, orchestratorName, childId, serialized), orchestratorName));
        return JsonDataConverter.Deserialize<TResult>(result)!;
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var fireAtUtc = fireAt.Kind == DateTimeKind.Local ? fireAt.ToUniversalTime() : DateTime.SpecifyKind(fireAt, DateTimeKind.Utc);
        var task = Schedule(id => new TimerCreated(Now, id, fireAtUtc), "timer");
        if (!cancellationToken.CanBeCanceled) return task;
        var cancellable = new TaskCompletionSource();
        cancellationToken.Register(() => cancellable.TrySetCanceled(cancellationToken));
        task.ContinueWith(_ => cancellable.TrySetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return cancellable.Task;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var index = _buffered.FindIndex(e => string.Equals(e.Name, eventName, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            var buffered = _buffered[index];
            _buffered.RemoveAt(index);
            return Task.FromResult(JsonDataConverter.Deserialize<T>(buffered.Input)!);
        }

        var waiter = new EventWaiter(typeof(T));
        if (!_waiters.TryGetValue(eventName, out var queue)) _waiters[eventName] = queue = new Queue<EventWaiter>();
        queue.Enqueue(waiter);
        if (cancellationToken.CanBeCanceled)
            cancellationToken.Register(() => waiter.Completion.TrySetCanceled(cancellationToken));
        return Typed<T>(waiter.Completion.Task);
    }

    public override void SendEvent(string instanceId, string eventName, object? payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var serialized = JsonDataConverter.Serialize(payload);
        Emit(new EventSent(Now, _nextTaskId++, instanceId, eventName, serialized));
    }

    public override void SetCustomStatus(object? customStatus) => CustomStatus = JsonDataConverter.Serialize(customStatus);

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true)
        => ContinueAsNewRequest = (JsonDataConverter.Serialize(newInput), preserveUnprocessedEvents);

    public override Guid NewGuid() => DeterministicGuid.Create($"{InstanceId}_{ExecutionId}_{Now:O}_{_guidCounter++}");

    public override ILogger CreateReplaySafeLogger(ILogger logger) => new ReplaySafeLogger(this, logger);

    /// <summary>Confirms the decision the history recorded as <paramref name="recorded"/>; throws if the code decided otherwise.</summary>
    internal void Confirm(OrchestratorAction recorded)
    {
        if (!_unconfirmed.Remove(recorded.TaskId, out var made))
            throw new NonDeterministicOrchestrationException(Name, InstanceId, recorded.TaskId, recorded.Describe(), "nothing (the code made no such call)");
        if (made.GetType() != recorded.GetType() || made.Describe() != recorded.Describe() && recorded is not TimerCreated)
            throw new NonDeterministicOrchestrationException(Name, InstanceId, recorded.TaskId, recorded.Describe(), made.Describe());
    }

    internal void MarkAllConfirmed() => _unconfirmed.Clear();

    /// <summary>True when task <paramref name="taskId"/> is a recorded action still waiting for its outcome.</summary>
    internal bool IsOpen(int taskId) => _open.ContainsKey(taskId) && !_unconfirmed.ContainsKey(taskId);

    internal IEnumerable<OrchestratorAction> OpenActions => _open.Values.Select(o => o.Action).Where(a => !_unconfirmed.ContainsKey(a.TaskId));

    internal void Complete(int taskId, string? result)
    {
        if (_open.Remove(taskId, out var task)) task.Completion.TrySetResult(result);
    }

    internal void Fail(int taskId, TaskFailureDetails failure)
    {
        if (_open.Remove(taskId, out var task))
            task.Completion.TrySetException(new TaskFailedException(task.Name, taskId, failure));
    }

    internal void Deliver(EventRaised raised)
    {
        if (_waiters.TryGetValue(raised.Name, out var queue))
        {
            while (queue.TryDequeue(out var waiter))
            {
                if (waiter.Completion.Task.IsCompleted) continue; // cancelled by a timeout
                try { waiter.Completion.TrySetResult(JsonDataConverter.Deserialize(raised.Input, waiter.Type)); }
                catch (System.Text.Json.JsonException ex) { waiter.Completion.TrySetException(ex); }
                return;
            }
        }
        _buffered.Add(raised);
    }

    private Task<string?> Schedule(Func<int, OrchestratorAction> create, string name)
    {
        var action = create(_nextTaskId++);
        var completion = new TaskCompletionSource<string?>();
        _open[action.TaskId] = new OpenTask(action, name, completion);
        Emit(action);
        return completion.Task;
    }

    private void Emit(OrchestratorAction action) => _unconfirmed[action.TaskId] = action;

    private async Task<string?> WithRetry(RetryPolicy? policy, Func<Task<string?>> attempt)
    {
        if (policy is null) return await attempt();
        var firstAttemptAt = Now;
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException failure) when (ShouldRetry(policy, n, failure, firstAttemptAt))
            {
                await CreateTimer(policy.DelayAfterAttempt(n), CancellationToken.None);
            }
        }
    }

    private bool ShouldRetry(RetryPolicy policy, int attempt, TaskFailedException failure, DateTime firstAttemptAt)
    {
        if (attempt >= policy.MaxNumberOfAttempts) return false;
        if (policy.Handle is { } handle && !handle(failure.FailureDetails)) return false;
        if (policy.RetryTimeout == Timeout.InfiniteTimeSpan) return true;
        return Now + policy.DelayAfterAttempt(attempt) - firstAttemptAt <= policy.RetryTimeout;
    }

    private static async Task<T> Typed<T>(Task<object?> task) => await task is T value ? value : default!;

    private sealed record OpenTask(OrchestratorAction Action, string Name, TaskCompletionSource<string?> Completion);

    private sealed class EventWaiter(Type type)
    {
        public Type Type { get; } = type;
        public TaskCompletionSource<object?> Completion { get; } = new();
    }

    private sealed class ReplaySafeLogger(ReplayContext context, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);
        public bool IsEnabled(LogLevel logLevel) => !context.IsReplaying && inner.IsEnabled(logLevel);
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!context.IsReplaying) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
