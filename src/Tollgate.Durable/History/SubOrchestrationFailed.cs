namespace Tollgate.Durable.History;

/// <summary>The child started by <see cref="TaskScheduledId"/> failed or was terminated.</summary>
public sealed record SubOrchestrationFailed(DateTime Timestamp, int TaskScheduledId, TaskFailureDetails Failure) : HistoryEvent(Timestamp), ICompletesAction;
