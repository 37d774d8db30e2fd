using Tollgate.Durable.History;

namespace Tollgate.Durable.Execution;

/// <summary>
/// One execution of an orchestrator, kept alive between episodes so that new events cost only
/// the code they wake (no replay), and rebuilt by replaying the history whenever it is not in memory.
/// Not thread-safe: one episode at a time.
/// </summary>
internal sealed class OrchestrationExecution
{
    private readonly ReplayContext _context;
    private readonly OrchestratorFunc _orchestrator;
    private readonly ReplayScheduler _scheduler = new();
    private readonly HashSet<string> _seenMessageIds = new(StringComparer.Ordinal);
    private readonly List<HistoryEvent> _heldWhileSuspended = new();
    private Task<string?>? _run;
    private bool _completionRecorded;

    public OrchestrationExecution(ExecutionStarted started, string instanceId, OrchestratorFunc orchestrator)
    {
        Started = started;
        _orchestrator = orchestrator;
        _context = new ReplayContext(started.Name, instanceId, started.ExecutionId, started.Input);
    }

    public ExecutionStarted Started { get; }
    public string ExecutionId => Started.ExecutionId;
    public bool IsSuspended { get; private set; }
    public string? CustomStatus => _context.CustomStatus;

    /// <summary>How the execution ended, once it has; recorded or not.</summary>
    public ExecutionCompleted? Completion { get; private set; }

    /// <summary>The completion, if it is not in the history yet.</summary>
    public ExecutionCompleted? UnrecordedCompletion => _completionRecorded ? null : Completion;

    /// <summary>Decisions the code made that the history does not hold yet, in task-id order.</summary>
    public IReadOnlyCollection<OrchestratorAction> NewActions => _context.Unconfirmed;

    /// <summary>Recorded actions still waiting for an outcome (activities to run, timers to arm).</summary>
    public IEnumerable<OrchestratorAction> OpenActions => _context.OpenActions;

    /// <summary>Events raised but never awaited; carried over by ContinueAsNew.</summary>
    public IReadOnlyList<EventRaised> UnprocessedEvents => _context.BufferedEvents;

    public (string? Input, bool PreserveEvents)? ContinueAsNewRequest => Completion?.Status == OrchestrationRuntimeStatus.ContinuedAsNew ? _context.ContinueAsNewRequest : null;

    /// <summary>
    /// Whether <paramref name="incoming"/> would change anything. Redelivered messages, outcomes of
    /// actions already closed and events for an ended execution are dropped before they reach the history.
    /// </summary>
    public bool Accepts(HistoryEvent incoming) => Completion is null && incoming switch
    {
        ExecutionStarted => false,
        ICompletesAction outcome => _context.IsOpen(outcome.TaskScheduledId),
        EventRaised raised => !_seenMessageIds.Contains(raised.MessageId),
        ExecutionSuspended => !IsSuspended,
        ExecutionResumed => IsSuspended,
        _ => true,
    };

    /// <summary>Replays recorded history: code runs with IsReplaying set and its decisions are matched, not emitted.</summary>
    public void Replay(IEnumerable<HistoryEvent> history)
    {
        _context.Replaying = true;
        ApplyAll(history);
        _context.Replaying = false;
    }

    /// <summary>Applies new events (an episode). Afterwards <see cref="NewActions"/> and <see cref="UnrecordedCompletion"/> hold what to record.</summary>
    public void Run(IEnumerable<HistoryEvent> newEvents)
    {
        _context.Replaying = false;
        ApplyAll(newEvents);
    }

    private void ApplyAll(IEnumerable<HistoryEvent> events)
    {
        var list = events as IReadOnlyList<HistoryEvent> ?? events.ToList();
        var next = 0;
        try
        {
            for (; next < list.Count; next++) Apply(list[next]);
        }
        catch (NonDeterministicOrchestrationException mismatch)
        {
            // Nothing the diverging code decided is recorded; the instance ends Failed with the
            // mismatch, unless the history already holds that end (a replay of a failed instance).
            _context.MarkAllConfirmed();
            var recordedEnd = list.Skip(next + 1).OfType<ExecutionCompleted>().LastOrDefault();
            Completion = recordedEnd ?? new ExecutionCompleted(_context.Now, OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(mismatch));
            _completionRecorded = recordedEnd is not null;
        }
    }

    /// <summary>Called once the new actions and completion are durably in the history.</summary>
    public void MarkRecorded()
    {
        _context.MarkAllConfirmed();
        if (Completion is not null) _completionRecorded = true;
    }

    private void Apply(HistoryEvent e)
    {
        switch (e)
        {
            case OrchestratorStarted started:
                _context.Now = started.Timestamp;
                return;
            case ExecutionCompleted recorded:
                // The history already holds the end; replay must not record it again.
                Completion ??= recorded;
                _completionRecorded = true;
                return;
            case OrchestratorAction action:
                _context.Confirm(action);
                return;
        }

        if (Completion is not null) return;

        if (IsSuspended && e is not (ExecutionResumed or ExecutionTerminated))
        {
            _heldWhileSuspended.Add(e);
            return;
        }

        switch (e)
        {
            case ExecutionStarted started:
                _context.Now = started.Timestamp;
                _run = Task.Factory.StartNew(() => _orchestrator(_context), CancellationToken.None, TaskCreationOptions.None, _scheduler).Unwrap();
                break;
            case TaskCompleted completed:
                _context.Complete(completed.TaskScheduledId, completed.Result);
                break;
            case TaskFailed failed:
                _context.Fail(failed.TaskScheduledId, failed.Failure);
                break;
            case SubOrchestrationCompleted completed:
                _context.Complete(completed.TaskScheduledId, completed.Result);
                break;
            case SubOrchestrationFailed failed:
                _context.Fail(failed.TaskScheduledId, failed.Failure);
                break;
            case TimerFired fired:
                _context.Complete(fired.TaskScheduledId, null);
                break;
            case EventRaised raised:
                if (_seenMessageIds.Add(raised.MessageId)) _context.Deliver(raised);
                break;
            case ExecutionSuspended:
                IsSuspended = true;
                return;
            case ExecutionResumed:
                IsSuspended = false;
                var held = _heldWhileSuspended.ToArray();
                _heldWhileSuspended.Clear();
                foreach (var h in held) Apply(h);
                return;
            case ExecutionTerminated terminated:
                Completion = new ExecutionCompleted(e.Timestamp, OrchestrationRuntimeStatus.Terminated, terminated.Output);
                return;
        }

        _scheduler.RunUntilIdle();
        ObserveCompletion(e.Timestamp);
    }

    private void ObserveCompletion(DateTime at)
    {
        if (_run is not { IsCompleted: true } run || Completion is not null) return;
        Completion = run.Status switch
        {
            TaskStatus.RanToCompletion when _context.ContinueAsNewRequest is { } next
                => new ExecutionCompleted(at, OrchestrationRuntimeStatus.ContinuedAsNew, next.Input),
            TaskStatus.RanToCompletion => new ExecutionCompleted(at, OrchestrationRuntimeStatus.Completed, run.Result),
            _ => new ExecutionCompleted(at, OrchestrationRuntimeStatus.Failed, null, FailureOf(run)),
        };
    }

    private static TaskFailureDetails FailureOf(Task run)
    {
        var exception = run.Exception?.InnerExceptions.Count == 1 ? run.Exception.InnerException! : (Exception?)run.Exception ?? new TaskCanceledException();
        return TaskFailureDetails.FromException(exception);
    }
}
