using System.Text.Json;

namespace Tollgate.Cli.Http;

public sealed record ProgressInfo(string Stage, int Done, int Total, string? Detail)
{
    /// <summary><c>[stage] done/total detail</c>: the plain progress line.</summary>
    public override string ToString() => Detail is { Length: > 0 } ? $"[{Stage}] {Done}/{Total} {Detail}" : $"[{Stage}] {Done}/{Total}";
}

public sealed record FailureInfo(string ErrorType, string ErrorMessage);

/// <summary>An instance as the host's API returns it.</summary>
public sealed record OrchestrationStatus(
    string InstanceId,
    string Name,
    string RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    DateTimeOffset? ScheduledStartAt,
    JsonElement? CustomStatus,
    ProgressInfo? Progress,
    JsonElement? Input,
    JsonElement? Output,
    FailureInfo? Failure)
{
    public bool IsTerminal => RuntimeStatus is "Completed" or "Failed" or "Terminated";
}

public sealed record OrchestrationList(IReadOnlyList<OrchestrationStatus> Instances, string? ContinuationToken);

public sealed record StartedOrchestration(string Id, string? StatusUri);

internal sealed record ErrorBody(string? Reason, string? Message);
