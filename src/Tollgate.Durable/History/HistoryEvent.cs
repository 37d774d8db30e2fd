using System.Text.Json.Serialization;

namespace Tollgate.Durable.History;

/// <summary>
/// One immutable fact in an orchestration's history. The history is the orchestration's whole
/// durable state: replaying it through the orchestrator code rebuilds everything else.
/// See README.md beside this file for the kinds and how their ids correlate.
/// </summary>
/// <param name="Timestamp">When the engine recorded the fact (UTC); passed in, never read from a clock here.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(OrchestratorStarted), "OrchestratorStarted")]
[JsonDerivedType(typeof(ExecutionStarted), "ExecutionStarted")]
[JsonDerivedType(typeof(ExecutionCompleted), "ExecutionCompleted")]
[JsonDerivedType(typeof(ExecutionTerminated), "ExecutionTerminated")]
[JsonDerivedType(typeof(ExecutionSuspended), "ExecutionSuspended")]
[JsonDerivedType(typeof(ExecutionResumed), "ExecutionResumed")]
[JsonDerivedType(typeof(TaskScheduled), "TaskScheduled")]
[JsonDerivedType(typeof(TaskCompleted), "TaskCompleted")]
[JsonDerivedType(typeof(TaskFailed), "TaskFailed")]
[JsonDerivedType(typeof(SubOrchestrationCreated), "SubOrchestrationCreated")]
[JsonDerivedType(typeof(SubOrchestrationCompleted), "SubOrchestrationCompleted")]
[JsonDerivedType(typeof(SubOrchestrationFailed), "SubOrchestrationFailed")]
[JsonDerivedType(typeof(TimerCreated), "TimerCreated")]
[JsonDerivedType(typeof(TimerFired), "TimerFired")]
[JsonDerivedType(typeof(EventSent), "EventSent")]
[JsonDerivedType(typeof(EventRaised), "EventRaised")]
public abstract record HistoryEvent(DateTime Timestamp);

/// <summary>
/// An event the orchestrator itself decided on (schedule, create, send). Its <see cref="TaskId"/> is
/// the position of that decision in the execution (0, 1, 2, ...) and is what replay matches on.
/// </summary>
public abstract record OrchestratorAction(DateTime Timestamp, int TaskId) : HistoryEvent(Timestamp)
{
    /// <summary>How the action reads in a non-determinism error.</summary>
    public abstract string Describe();
}

/// <summary>An event that reports the outcome of an earlier action, named by its task id.</summary>
public interface ICompletesAction
{
    int TaskScheduledId { get; }
}
