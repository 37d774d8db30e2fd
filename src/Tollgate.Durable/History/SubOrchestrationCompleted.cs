namespace Tollgate.Durable.History;

/// <summary>The child started by <see cref="TaskScheduledId"/> completed with <see cref="Result"/>.</summary>
public sealed record SubOrchestrationCompleted(DateTime Timestamp, int TaskScheduledId, string? Result) : HistoryEvent(Timestamp), ICompletesAction;
