namespace Tollgate.Durable;

/// <summary>A filter over instances; every criterion that is set must match.</summary>
public sealed record OrchestrationQuery
{
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }
    public DateTimeOffset? CreatedFrom { get; init; }
    public DateTimeOffset? CreatedTo { get; init; }
    public string? InstanceIdPrefix { get; init; }
    public bool FetchInputsAndOutputs { get; init; }

    private readonly int _pageSize = 100;
    public int PageSize
    {
        get => _pageSize;
        init => _pageSize = value is > 0 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(PageSize), value, "Must be between 1 and 1000.");
    }

    /// <summary>Where the previous page ended; null for the first page.</summary>
    public string? ContinuationToken { get; init; }
}

/// <summary>One page of a query; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record OrchestrationPage(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);

/// <summary>Which instances a bulk purge removes. Only terminal instances are ever purged.</summary>
public sealed record PurgeInstancesFilter(
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses = null);

public sealed record PurgeResult(int PurgedInstanceCount);
