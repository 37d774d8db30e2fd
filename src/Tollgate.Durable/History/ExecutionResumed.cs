namespace Tollgate.Durable.History;

/// <summary>A client resumed a suspended instance: the events held back are delivered in order.</summary>
public sealed record ExecutionResumed(DateTime Timestamp, string? Reason) : HistoryEvent(Timestamp);
