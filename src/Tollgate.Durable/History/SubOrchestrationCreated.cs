namespace Tollgate.Durable.History;

/// <summary>The orchestrator started child <see cref="InstanceId"/> running <see cref="Name"/>.</summary>
public sealed record SubOrchestrationCreated(DateTime Timestamp, int TaskId, string Name, string InstanceId, string? Input) : OrchestratorAction(Timestamp, TaskId)
{
    public override string Describe() => $"call sub-orchestrator '{Name}' as '{InstanceId}'";
}
