using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tollgate.Durable.Backend;
using Tollgate.Durable.Execution;
using Tollgate.Durable.History;

namespace Tollgate.Durable.Worker;

/// <summary>
/// One instance on the host that owns its partition: a mailbox drained one episode at a time.
/// An episode records the events that arrived together with every decision they caused in one
/// history append (guarded by the history version), then dispatches the work. Messages to other
/// instances are sent before the append (at-least-once, deduplicated by the receiver); activities
/// and timers are dispatched after it, and re-dispatched from the history after a restart.
/// </summary>
internal sealed class InstanceSession(string instanceId, EngineServices engine, CancellationToken stopping, Action<InstanceSession> onFinished)
{
    private const int MaxConflictRetries = 3;

    private readonly ConcurrentQueue<Inbound> _mailbox = new();
    private readonly HashSet<(string ExecutionId, int TaskId)> _dispatched = new();
    private readonly List<ITimer> _timers = new();
    private int _draining;
    private volatile bool _pendingWork;
    private volatile bool _closed;
    private bool _loaded;
    private OrchestrationExecution? _execution;
    private ExecutionStarted? _continuation;
    private HistoryVersion _version = HistoryVersion.Empty;
    private InstanceRecord? _record;

    public string InstanceId { get; } = instanceId;

    private IHistoryStore History => engine.Backend.History;
    private IInstanceStore Instances => engine.Backend.Instances;
    private IControlQueues Queues => engine.Backend.Queues;

    public void Post(Inbound item)
    {
        if (_closed) return;
        _mailbox.Enqueue(item);
        Kick();
    }

    /// <summary>Load the instance from storage and resume whatever it was waiting on (after a restart or partition move).</summary>
    public void Recover()
    {
        _pendingWork = true;
        Kick();
    }

    public void Close()
    {
        _closed = true;
        lock (_timers)
        {
            foreach (var timer in _timers) timer.Dispose();
            _timers.Clear();
        }
    }

    private void Kick()
    {
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0) _ = Task.Run(DrainAsync, CancellationToken.None);
    }

    private async Task DrainAsync()
    {
        var failures = 0;
        while (true)
        {
            while (!_closed && (_pendingWork || !_mailbox.IsEmpty))
            {
                _pendingWork = false;
                var batch = new List<Inbound>();
                while (_mailbox.TryDequeue(out var item)) batch.Add(item);
                try
                {
                    await EpisodeWithRetriesAsync(batch);
                    failures = 0;
                }
                catch (Exception failure) when (!_closed)
                {
                    failures++;
                    await RecoverFromFailureAsync(batch, failure, failures);
                }
            }
            Volatile.Write(ref _draining, 0);
            if (_closed || (_mailbox.IsEmpty && !_pendingWork) || Interlocked.CompareExchange(ref _draining, 1, 0) != 0) break;
        }

        if (!_closed && _mailbox.IsEmpty && _execution is { UnrecordedCompletion: null, Completion.Status: not OrchestrationRuntimeStatus.ContinuedAsNew } done && done.Completion is not null)
            onFinished(this);
    }

    private async Task EpisodeWithRetriesAsync(List<Inbound> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EpisodeAsync(batch);
                return;
            }
            catch (HistoryConflictException) when (attempt < MaxConflictRetries)
            {
                // Another host wrote first: reload and decide again from what it recorded.
                engine.Logger.LogDebug("History conflict on {InstanceId}; reloading", InstanceId);
                Unload();
            }
        }
    }

    private async Task RecoverFromFailureAsync(List<Inbound> batch, Exception failure, int failures)
    {
        engine.Logger.LogWarning(failure, "Episode of {InstanceId} failed (attempt {Failures}); will retry", InstanceId, failures);
        Unload();
        var backoff = TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, failures - 1)));
        // Queue messages go back to the queue so their dequeue count rises and a message that can
        // never be processed is eventually parked; in-process results stay with the session.
        foreach (var item in batch)
        {
            if (item.Source is { } source)
            {
                try { await Queues.AbandonAsync(source, backoff, CancellationToken.None); }
                catch (Exception abandonFailure) { engine.Logger.LogDebug(abandonFailure, "Abandon failed; the visibility timeout will return the message"); }
            }
        }
        try { await Task.Delay(backoff, stopping); } catch (OperationCanceledException) { return; }
        foreach (var item in batch.Where(i => i.Source is null)) _mailbox.Enqueue(item);
        _pendingWork = true;
    }

    private void Unload()
    {
        _loaded = false;
        _execution = null;
        _continuation = null;
    }

    private async Task EpisodeAsync(List<Inbound> batch)
    {
        var now = engine.UtcNow;
        if (!_loaded) await LoadAsync(now);

        var consumed = batch.Where(i => i.Source is not null).Select(i => i.Source!).ToList();
        var episode = new List<HistoryEvent> { new OrchestratorStarted(now) };

        if (_execution is null)
        {
            var start = _continuation ?? StartFromRecord(now);
            if (start is null)
            {
                await SetAsideUnstartedAsync(batch, now);
                return;
            }
            _continuation = null;
            _execution = new OrchestrationExecution(start, InstanceId, engine.Resolve(start.Name));
            _execution.Run(episode);
            _execution.Run([start]);
            episode.Add(start);
        }
        else
        {
            _execution.Run(episode);
        }

        var execution = _execution;
        var seenMessages = new HashSet<string>(StringComparer.Ordinal);
        var carried = new List<EventRaised>();
        foreach (var item in batch)
        {
            if (item.Event is ExecutionStarted) continue;
            if (item.ExecutionId is { } pinned && pinned != execution.ExecutionId) continue;
            if (item.Event is EventRaised raised && !seenMessages.Add(raised.MessageId)) continue;
            if (!execution.Accepts(item.Event))
            {
                if (item.Event is EventRaised unconsumed && execution.Completion?.Status == OrchestrationRuntimeStatus.ContinuedAsNew) carried.Add(unconsumed);
                continue;
            }
            execution.Run([item.Event]);
            episode.Add(item.Event);
        }

        var actions = execution.NewActions.ToList();
        var completion = execution.UnrecordedCompletion;
        if (episode.Count == 1 && actions.Count == 0 && completion is null)
        {
            await DeleteAllAsync(consumed);
            return;
        }

        var record = new List<HistoryEvent>(episode.Count + actions.Count + 1);
        record.AddRange(episode);
        record.AddRange(actions);
        if (completion is not null) record.Add(completion);

        var refusals = await SendOutboundAsync(execution, actions, completion, now);
        _version = await History.AppendAsync(InstanceId, _version, record, stopping);
        execution.MarkRecorded();
        await engine.Inject(FaultPoints.AfterHistoryCommit);

        await WriteRecordAsync(execution, now);
        await DeleteAllAsync(consumed);
        foreach (var refusal in refusals) Post(new Inbound(refusal, ExecutionId: execution.ExecutionId));

        if (completion?.Status == OrchestrationRuntimeStatus.ContinuedAsNew) ContinueAsNew(execution, now, carried);
        else if (completion is null) await DispatchAsync(execution, actions);
    }

    private async Task LoadAsync(DateTime now)
    {
        var snapshot = await History.LoadAsync(InstanceId, stopping);
        _version = snapshot.Version;
        _record = await Instances.GetAsync(InstanceId, withPayloads: true, stopping);
        _loaded = true;
        _execution = null;
        if (snapshot.Events.Count == 0) return;

        var started = (ExecutionStarted)snapshot.Events[0];
        var execution = new OrchestrationExecution(started, InstanceId, engine.Resolve(started.Name));
        execution.Replay(snapshot.Events);
        _execution = execution;

        if (execution is { Completion: { } done, UnrecordedCompletion: null })
        {
            if (done.Status == OrchestrationRuntimeStatus.ContinuedAsNew) ContinueAsNew(execution, now, []);
            else await WriteRecordAsync(execution, now); // the host may have died between the history and the row
            return;
        }
        if (execution.Completion is null) await DispatchAsync(execution, execution.OpenActions.ToList());
    }

    /// <summary>The instance row is the durable record of a start; the queued ExecutionStarted only wakes the owner.</summary>
    private ExecutionStarted? StartFromRecord(DateTime now)
    {
        if (_record is not { Status: OrchestrationRuntimeStatus.Pending } pending) return null;
        if ((pending.ScheduledStartAt ?? pending.CreatedAt) > now) return null;
        return new ExecutionStarted(now, pending.Name, pending.Input, pending.ExecutionId, pending.Parent);
    }

    private async Task SetAsideUnstartedAsync(List<Inbound> batch, DateTime now)
    {
        foreach (var item in batch)
        {
            if (item.Source is not { } source) continue;
            if (_record is null)
                await Queues.ParkAsync(source, $"{DurableReason.InstanceNotFound}: no instance '{InstanceId}' exists for this {item.Event.GetType().Name}.", stopping);
            else if (_record is { Status: OrchestrationRuntimeStatus.Pending, ScheduledStartAt: { } startAt } && startAt > now)
                await Queues.AbandonAsync(source, startAt - now, stopping); // held until the scheduled start
            else
                await Queues.DeleteAsync(source, stopping);
        }
        _loaded = false; // the row may appear or change before the next message
    }

    private async Task<List<HistoryEvent>> SendOutboundAsync(OrchestrationExecution execution, List<OrchestratorAction> actions, ExecutionCompleted? completion, DateTime now)
    {
        var refusals = new List<HistoryEvent>();
        var sends = new List<Task>();
        foreach (var action in actions)
        {
            switch (action)
            {
                case SubOrchestrationCreated child:
                    sends.Add(StartChildAsync(execution, child, now, refusals));
                    break;
                case EventSent sent:
                    var messageId = $"{InstanceId}:{execution.ExecutionId}:{sent.TaskId}";
                    sends.Add(SendAsync(new OrchestrationMessage(sent.InstanceId, new EventRaised(now, sent.Name, sent.Input, messageId), messageId), TimeSpan.Zero));
                    break;
                case TimerCreated timer:
                    sends.Add(SendAsync(new OrchestrationMessage(InstanceId, new TimerFired(timer.FireAt, timer.TaskId, timer.FireAt),
                        $"{InstanceId}:{execution.ExecutionId}:timer:{timer.TaskId}"), timer.FireAt - now));
                    break;
            }
        }

        if (completion is { Status: not OrchestrationRuntimeStatus.ContinuedAsNew } && execution.Started.Parent is { } parent)
        {
            HistoryEvent outcome = completion.Status == OrchestrationRuntimeStatus.Completed
                ? new SubOrchestrationCompleted(now, parent.TaskScheduledId, completion.Result)
                : new SubOrchestrationFailed(now, parent.TaskScheduledId, completion.Failure
                    ?? new TaskFailureDetails("OrchestrationTerminated", $"Sub-orchestration '{InstanceId}' was terminated: {completion.Result}"));
            sends.Add(SendAsync(new OrchestrationMessage(parent.InstanceId, outcome, $"{InstanceId}:{execution.ExecutionId}:done"), TimeSpan.Zero));
        }

        await Task.WhenAll(sends);
        return refusals;
    }

    private async Task StartChildAsync(OrchestrationExecution execution, SubOrchestrationCreated child, DateTime now, List<HistoryEvent> refusals)
    {
        // Deterministic, so that a retried episode (after a crash or conflict) recognises its own child.
        var childExecutionId = DeterministicGuid.Create($"{InstanceId}/{execution.ExecutionId}/{child.TaskId}").ToString("N");
        var parent = new ParentInstance(InstanceId, execution.Started.Name, child.TaskId);
        var record = new InstanceRecord(child.InstanceId, child.Name, engine.Backend.PartitionOf(child.InstanceId),
            OrchestrationRuntimeStatus.Pending, childExecutionId, now, now, Input: child.Input, Parent: parent);
        if (!await Instances.TryCreateAsync(record, stopping))
        {
            var existing = await Instances.GetAsync(child.InstanceId, withPayloads: false, stopping);
            if (existing is null || existing.ExecutionId != childExecutionId)
            {
                lock (refusals)
                    refusals.Add(new SubOrchestrationFailed(now, child.TaskId, new TaskFailureDetails(DurableReason.InstanceExists,
                        $"Cannot start sub-orchestration '{child.Name}': an instance '{child.InstanceId}' already exists.")));
                return;
            }
        }
        await SendAsync(new OrchestrationMessage(child.InstanceId,
            new ExecutionStarted(now, child.Name, child.Input, childExecutionId, parent), $"{childExecutionId}:start"), TimeSpan.Zero);
    }

    private async Task SendAsync(OrchestrationMessage message, TimeSpan delay)
    {
        await Queues.SendAsync(message, delay, stopping);
        if (delay <= TimeSpan.Zero) engine.Wake(message.InstanceId);
    }

    private async Task DispatchAsync(OrchestrationExecution execution, List<OrchestratorAction> actions)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case TaskScheduled task when _dispatched.Add((execution.ExecutionId, task.TaskId)):
                    engine.Activities.Run(this, execution.ExecutionId, task, stopping);
                    break;
                case TimerCreated timer:
                    Arm(execution.ExecutionId, timer);
                    await engine.Inject(FaultPoints.DuringTimer);
                    break;
            }
        }
    }

    /// <summary>
    /// Fires the timer in process. The queued TimerFired message is the durable copy (it wakes a
    /// scaled-to-zero host); whichever arrives second is dropped as a duplicate.
    /// </summary>
    private void Arm(string executionId, TimerCreated timer)
    {
        var fired = new Inbound(new TimerFired(timer.FireAt, timer.TaskId, timer.FireAt), ExecutionId: executionId);
        var delay = timer.FireAt - engine.UtcNow;
        if (delay <= TimeSpan.Zero)
        {
            Post(fired);
            return;
        }
        if (delay > TimeSpan.FromHours(1)) return; // the queue message covers long timers
        lock (_timers)
        {
            if (_closed) return;
            // Timers may call back a few milliseconds early by the wall clock; re-arm rather than
            // let CurrentUtcDateTime after the timer read earlier than its due time.
            _timers.Add(engine.Time.CreateTimer(_ => Arm(executionId, timer), null, delay, Timeout.InfiniteTimeSpan));
        }
    }

    private void ContinueAsNew(OrchestrationExecution ended, DateTime now, List<EventRaised> arrivedAfterEnd)
    {
        var (input, preserveEvents) = ended.ContinueAsNewRequest ?? (ended.Completion?.Result, true);
        _continuation = new ExecutionStarted(now, ended.Started.Name, input, Guid.NewGuid().ToString("N"), ended.Started.Parent);
        _execution = null;
        if (preserveEvents)
            foreach (var carried in ended.UnprocessedEvents.Concat(arrivedAfterEnd)) _mailbox.Enqueue(new Inbound(carried));
        _pendingWork = true;
    }

    private async Task WriteRecordAsync(OrchestrationExecution execution, DateTime now)
    {
        var completion = execution.Completion;
        var status = completion?.Status switch
        {
            null => execution.IsSuspended ? OrchestrationRuntimeStatus.Suspended : OrchestrationRuntimeStatus.Running,
            OrchestrationRuntimeStatus.ContinuedAsNew => OrchestrationRuntimeStatus.Running,
            var ended => ended.Value,
        };
        var current = _record ?? new InstanceRecord(InstanceId, execution.Started.Name, engine.Backend.PartitionOf(InstanceId),
            status, execution.ExecutionId, now, now, Input: execution.Started.Input, Parent: execution.Started.Parent);
        var desired = current with
        {
            Status = status,
            ExecutionId = execution.ExecutionId,
            Input = execution.Started.Input,
            Output = completion?.Status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Terminated ? completion.Result : null,
            Failure = completion?.Failure,
            CustomStatus = execution.CustomStatus,
            ScheduledStartAt = current.ScheduledStartAt,
        };
        if (desired == _record) return;
        desired = desired with { LastUpdatedAt = now };
        await Instances.UpsertAsync(desired, stopping);
        _record = desired;
        engine.InstanceChanged(InstanceId);
    }

    private async Task DeleteAllAsync(List<QueuedMessage> consumed)
    {
        if (consumed.Count == 0) return;
        await Task.WhenAll(consumed.Select(m => Queues.DeleteAsync(m, stopping)));
    }
}
