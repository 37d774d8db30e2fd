namespace Tollgate.Durable.History;

/// <summary>Ends an execution: Completed with a result, Failed with details, or ContinuedAsNew.</summary>
public sealed record ExecutionCompleted(
    DateTime Timestamp,
    OrchestrationRuntimeStatus Status,
    string? Result,
    TaskFailureDetails? Failure = null) : HistoryEvent(Timestamp);
