namespace Tollgate.Durable;

/// <summary>What an activity knows about the call it is serving.</summary>
/// <param name="Name">The activity's registered name.</param>
/// <param name="InstanceId">The orchestration instance that scheduled it.</param>
/// <param name="TaskId">The schedule event's id in that instance's current execution.</param>
/// <param name="ExecutionId">The orchestration execution that scheduled it (changes on ContinueAsNew).</param>
public sealed record TaskActivityContext(string Name, string InstanceId, int TaskId, string ExecutionId)
{
    /// <summary>
    /// A key that is the same for every delivery of this one scheduled call and differs for every
    /// other call. Activities with external effects use it to make a retried delivery a no-op.
    /// </summary>
    public string IdempotencyKey => $"{InstanceId}:{ExecutionId}:{TaskId}";
}
