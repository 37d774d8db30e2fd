namespace Tollgate.Durable.History;

/// <summary>The orchestrator raised event <see cref="Name"/> on instance <see cref="InstanceId"/>.</summary>
public sealed record EventSent(DateTime Timestamp, int TaskId, string InstanceId, string Name, string? Input) : OrchestratorAction(Timestamp, TaskId)
{
    public override string Describe() => $"send event '{Name}' to '{InstanceId}'";
}
