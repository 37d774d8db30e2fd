namespace Tollgate.Durable.History;

/// <summary>A client suspended the instance: events received from now on wait until it is resumed.</summary>
public sealed record ExecutionSuspended(DateTime Timestamp, string? Reason) : HistoryEvent(Timestamp);
