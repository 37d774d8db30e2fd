namespace Tollgate.Durable.History;

/// <summary>Opens an episode; its timestamp is what <c>CurrentUtcDateTime</c> reads until the next one.</summary>
public sealed record OrchestratorStarted(DateTime Timestamp) : HistoryEvent(Timestamp);
