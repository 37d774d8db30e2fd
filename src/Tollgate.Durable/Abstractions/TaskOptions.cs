namespace Tollgate.Durable;

/// <summary>Options for one scheduled activity or sub-orchestration.</summary>
public record TaskOptions
{
    public TaskOptions(RetryPolicy? retry = null) => Retry = retry;

    /// <summary>Retry policy applied by the orchestrator on failure, with durable timers between attempts.</summary>
    public RetryPolicy? Retry { get; init; }
}

/// <summary>Options for a sub-orchestration call.</summary>
public record SubOrchestrationOptions : TaskOptions
{
    public SubOrchestrationOptions(RetryPolicy? retry = null, string? instanceId = null) : base(retry) => InstanceId = instanceId;

    /// <summary>The child's instance id; a deterministic GUID when omitted.</summary>
    public string? InstanceId { get; init; }
}

/// <summary>Options for starting a new orchestration instance from a client.</summary>
/// <param name="InstanceId">The instance id; a random GUID when omitted.</param>
/// <param name="StartAt">Start no earlier than this time (UTC); now when omitted.</param>
public sealed record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null);
