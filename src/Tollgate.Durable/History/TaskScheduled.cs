namespace Tollgate.Durable.History;

/// <summary>The orchestrator scheduled activity <see cref="Name"/>.</summary>
public sealed record TaskScheduled(DateTime Timestamp, int TaskId, string Name, string? Input) : OrchestratorAction(Timestamp, TaskId)
{
    public override string Describe() => $"call activity '{Name}'";
}
