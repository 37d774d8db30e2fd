namespace Tollgate.Durable;

/// <summary>A snapshot of one orchestration instance, as a client sees it.</summary>
public sealed record OrchestrationMetadata(
    string Name,
    string InstanceId,
    OrchestrationRuntimeStatus RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    DateTimeOffset? ScheduledStartAt,
    string? SerializedInput,
    string? SerializedOutput,
    string? SerializedCustomStatus,
    TaskFailureDetails? FailureDetails)
{
    public bool IsRunning => RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended;
    public bool IsCompleted => RuntimeStatus.IsTerminal();

    public T? ReadInputAs<T>() => JsonDataConverter.Deserialize<T>(SerializedInput);
    public T? ReadOutputAs<T>() => JsonDataConverter.Deserialize<T>(SerializedOutput);
    public T? ReadCustomStatusAs<T>() => JsonDataConverter.Deserialize<T>(SerializedCustomStatus);
}
