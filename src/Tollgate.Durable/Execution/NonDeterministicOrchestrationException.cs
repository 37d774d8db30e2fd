namespace Tollgate.Durable.Execution;

/// <summary>
/// Replay found the orchestrator code making a different decision than the one its history
/// recorded. The instance fails with this error rather than continue on a history it cannot trust.
/// </summary>
public sealed class NonDeterministicOrchestrationException(string orchestratorName, string instanceId, int taskId, string expected, string actual)
    : Exception($"Non-deterministic orchestration '{orchestratorName}' ('{instanceId}'): at step #{taskId} the history recorded " +
                $"'{expected}' but the orchestrator code now does '{actual}'. Was the orchestrator code changed while this " +
                "instance was running, or does it read the clock, random numbers, environment or I/O directly?")
{
    public int TaskId { get; } = taskId;
    public string Expected { get; } = expected;
    public string Actual { get; } = actual;
}
