namespace Tollgate.Durable.History;

/// <summary>Starts an execution: the first event of every execution (a ContinueAsNew starts another).</summary>
public sealed record ExecutionStarted(
    DateTime Timestamp,
    string Name,
    string? Input,
    string ExecutionId,
    ParentInstance? Parent = null) : HistoryEvent(Timestamp);

/// <summary>The orchestration that started this one as a sub-orchestration, and the task it waits on.</summary>
public sealed record ParentInstance(string InstanceId, string Name, int TaskScheduledId);
