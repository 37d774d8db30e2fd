namespace Tollgate.Durable.History;

/// <summary>Activity <see cref="TaskScheduledId"/> returned <see cref="Result"/>.</summary>
public sealed record TaskCompleted(DateTime Timestamp, int TaskScheduledId, string? Result) : HistoryEvent(Timestamp), ICompletesAction;
