using Microsoft.Extensions.Logging;

namespace Tollgate.Durable;

/// <summary>
/// The orchestrator's only window on the world. Orchestrator code is replayed from its history
/// after every await, so it must be deterministic: everything that varies between runs (the clock,
/// GUIDs, I/O, other instances) has to come through this context, which answers from the history
/// during replay. Mirrors <c>Microsoft.DurableTask.TaskOrchestrationContext</c>: orchestrator code
/// written against it ports to the Durable Task SDK by swapping the context type.
/// </summary>
/// <remarks>
/// Activities are at-least-once: a host crash between running an activity and recording its result
/// runs it again. An activity with an external effect must therefore be idempotent, keyed on
/// <see cref="TaskActivityContext.IdempotencyKey"/>.
/// Never use <c>ConfigureAwait(false)</c>, <c>Task.Run</c>, <c>Task.Delay</c>, <c>DateTime.UtcNow</c>,
/// <c>Guid.NewGuid</c> or <c>Random</c> in orchestrator code: they escape replay.
/// </remarks>
public abstract class TaskOrchestrationContext
{
    /// <summary>The registered name of the running orchestrator.</summary>
    public abstract string Name { get; }

    /// <summary>The instance id of this orchestration.</summary>
    public abstract string InstanceId { get; }

    /// <summary>
    /// True while the orchestrator is re-executing code whose effects are already in the history.
    /// Use it to suppress side channels such as logging; never to change control flow.
    /// </summary>
    public abstract bool IsReplaying { get; }

    /// <summary>
    /// The replay-safe current time: the time the current episode started, taken from the history,
    /// so it is identical on every replay.
    /// </summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    /// <summary>Deserializes the orchestration's input.</summary>
    public abstract T? GetInput<T>();

    /// <summary>Schedules an activity and returns a task that completes with its result.</summary>
    /// <exception cref="TaskFailedException">The activity failed (after any retries).</exception>
    public abstract Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    /// <summary>Starts a child orchestration and returns a task that completes with its output.</summary>
    /// <exception cref="TaskFailedException">The child failed (after any retries).</exception>
    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, SubOrchestrationOptions? options = null);

    /// <summary>
    /// Creates a durable timer that fires at <paramref name="fireAt"/> (UTC). The timer survives host
    /// restarts. Cancelling the token completes the returned task as cancelled; the recorded timer
    /// still fires later and is then ignored.
    /// </summary>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for an event raised to this instance by name (case-insensitive). Events that arrive
    /// before anyone waits are buffered in order; each waiter takes the oldest.
    /// </summary>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>Raises an event on another orchestration instance (fire and forget, delivered once).</summary>
    public abstract void SendEvent(string instanceId, string eventName, object? payload);

    /// <summary>Sets the instance's custom status, visible to clients once the current episode is committed.</summary>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>
    /// Restarts the orchestration with a fresh history and <paramref name="newInput"/> once the
    /// orchestrator function returns. With <paramref name="preserveUnprocessedEvents"/>, events that
    /// arrived but were not awaited are carried into the new execution.
    /// </summary>
    public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);

    /// <summary>A GUID that is the same on every replay (name-based, RFC 4122 v5, from the instance id and history time).</summary>
    public abstract Guid NewGuid();

    /// <summary>A logger that writes only when <see cref="IsReplaying"/> is false, so each line appears once.</summary>
    public abstract ILogger CreateReplaySafeLogger(ILogger logger);

    /// <summary>Schedules an activity that returns nothing of interest.</summary>
    public virtual Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null)
        => CallActivityAsync<object?>(name, input, options);

    /// <summary>Starts a child orchestration whose output is not needed.</summary>
    public virtual Task CallSubOrchestratorAsync(string orchestratorName, object? input = null, SubOrchestrationOptions? options = null)
        => CallSubOrchestratorAsync<object?>(orchestratorName, input, options);

    /// <summary>Creates a durable timer that fires after <paramref name="delay"/> of orchestration time.</summary>
    public virtual Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken = default)
        => CreateTimer(CurrentUtcDateTime.Add(delay), cancellationToken);

    /// <summary>
    /// Waits for an event with a durable timeout.
    /// </summary>
    /// <exception cref="TaskCanceledException">No event arrived within <paramref name="timeout"/>.</exception>
    public virtual async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout)
    {
        using var cancelTimer = new CancellationTokenSource();
        using var cancelWait = new CancellationTokenSource();
        var eventTask = WaitForExternalEvent<T>(eventName, cancelWait.Token);
        var timerTask = CreateTimer(timeout, cancelTimer.Token);
        var winner = await Task.WhenAny(eventTask, timerTask);
        if (winner == eventTask)
        {
            cancelTimer.Cancel();
            return await eventTask;
        }
        cancelWait.Cancel();
        throw new TaskCanceledException($"No '{eventName}' event arrived within {timeout}.");
    }
}
