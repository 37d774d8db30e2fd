namespace Tollgate.Durable.History;

/// <summary>Activity <see cref="TaskScheduledId"/> threw.</summary>
public sealed record TaskFailed(DateTime Timestamp, int TaskScheduledId, TaskFailureDetails Failure) : HistoryEvent(Timestamp), ICompletesAction;
