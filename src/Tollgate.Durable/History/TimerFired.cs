namespace Tollgate.Durable.History;

/// <summary>Timer <see cref="TaskScheduledId"/> came due.</summary>
public sealed record TimerFired(DateTime Timestamp, int TaskScheduledId, DateTime FireAt) : HistoryEvent(Timestamp), ICompletesAction;
