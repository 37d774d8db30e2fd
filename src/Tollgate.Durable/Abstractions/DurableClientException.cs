namespace Tollgate.Durable;

/// <summary>A client request the engine refused; <see cref="Reason"/> is a stable code, and nothing was changed.</summary>
public sealed class DurableClientException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}

/// <summary>The stable reason codes of <see cref="DurableClientException"/>.</summary>
public static class DurableReason
{
    public const string OrchestratorNotFound = "ORCHESTRATOR_NOT_FOUND";
    public const string InstanceExists = "INSTANCE_EXISTS";
    public const string InstanceNotFound = "INSTANCE_NOT_FOUND";
    public const string InstanceNotRunning = "INSTANCE_NOT_RUNNING";
    public const string InputTooLarge = "INPUT_TOO_LARGE";
    public const string InvalidInstanceId = "INVALID_INSTANCE_ID";
    public const string InvalidEventName = "INVALID_EVENT_NAME";
}
