namespace Tollgate.Durable.History;

/// <summary>The orchestrator created a durable timer due at <see cref="FireAt"/>.</summary>
public sealed record TimerCreated(DateTime Timestamp, int TaskId, DateTime FireAt) : OrchestratorAction(Timestamp, TaskId)
{
    public override string Describe() => $"create timer for {FireAt:O}";
}
