namespace Tollgate.Durable;

public enum OrchestrationRuntimeStatus
{
    Pending,
    Running,
    Suspended,
    Completed,
    ContinuedAsNew,
    Failed,
    Terminated,
}

public static class OrchestrationRuntimeStatusExtensions
{
    /// <summary>True for the states an instance never leaves (other than by purge).</summary>
    public static bool IsTerminal(this OrchestrationRuntimeStatus status)
        => status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}
