namespace Tollgate.Durable.History;

/// <summary>A client terminated the instance; <see cref="Output"/> becomes its output.</summary>
public sealed record ExecutionTerminated(DateTime Timestamp, string? Output) : HistoryEvent(Timestamp);
