using System.Text.Json;
using Tollgate.Durable;

namespace Tollgate.Host.Api;

/// <summary>The <c>progress</c> field: the custom status when it has the WorkflowProgress shape.</summary>
public sealed record ProgressView(string Stage, int Done, int Total, string? Detail);

public sealed record FailureView(string ErrorType, string ErrorMessage);

/// <summary>One instance as the API shows it. Payloads are raw JSON; <see cref="Input"/> only when asked for.</summary>
public sealed record OrchestrationView(
    string InstanceId,
    string Name,
    OrchestrationRuntimeStatus RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    DateTimeOffset? ScheduledStartAt,
    JsonElement? CustomStatus,
    ProgressView? Progress,
    JsonElement? Input,
    JsonElement? Output,
    FailureView? Failure)
{
    public static OrchestrationView From(OrchestrationMetadata instance, bool includeInput)
    {
        var customStatus = ApiJson.Raw(instance.SerializedCustomStatus);
        return new OrchestrationView(
            instance.InstanceId,
            instance.Name,
            instance.RuntimeStatus,
            instance.CreatedAt,
            instance.LastUpdatedAt,
            instance.ScheduledStartAt,
            customStatus,
            ProgressOf(customStatus),
            includeInput ? ApiJson.Raw(instance.SerializedInput) : null,
            ApiJson.Raw(instance.SerializedOutput),
            instance.FailureDetails is { } failure ? new FailureView(failure.ErrorType, failure.ErrorMessage) : null);
    }

    /// <summary>{stage, done, total, detail?}, matched case-insensitively; anything else is not progress.</summary>
    public static ProgressView? ProgressOf(JsonElement? customStatus)
    {
        if (customStatus is not { ValueKind: JsonValueKind.Object } status) return null;
        string? stage = null, detail = null;
        int? done = null, total = null;
        foreach (var property in status.EnumerateObject())
        {
            switch (property.Name.ToLowerInvariant())
            {
                case "stage" when property.Value.ValueKind == JsonValueKind.String: stage = property.Value.GetString(); break;
                case "done" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var d): done = d; break;
                case "total" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var t): total = t; break;
                case "detail" when property.Value.ValueKind == JsonValueKind.String: detail = property.Value.GetString(); break;
            }
        }
        return stage is not null && done is { } doneValue && total is { } totalValue ? new ProgressView(stage, doneValue, totalValue, detail) : null;
    }
}

/// <summary>A page of the instance list.</summary>
public sealed record OrchestrationListView(IReadOnlyList<OrchestrationView> Instances, string? ContinuationToken);
