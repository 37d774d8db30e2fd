namespace Tollgate.Durable.Backend;

/// <summary>The query semantics every instance store shares, for stores that filter in process.</summary>
public static class InstanceFilter
{
    public static bool Matches(InstanceRecord record, OrchestrationQuery query)
        => (query.Statuses is not { Count: > 0 } statuses || statuses.Contains(record.Status))
           && (query.CreatedFrom is not { } from || record.CreatedAt >= from)
           && (query.CreatedTo is not { } to || record.CreatedAt <= to)
           && (query.InstanceIdPrefix is not { } prefix || record.InstanceId.StartsWith(prefix, StringComparison.Ordinal));

    public static bool Matches(InstanceRecord record, PurgeInstancesFilter filter)
        => record.Status.IsTerminal()
           && (filter.Statuses is not { Count: > 0 } statuses || statuses.Contains(record.Status))
           && (filter.CreatedFrom is not { } from || record.CreatedAt >= from)
           && (filter.CreatedTo is not { } to || record.CreatedAt <= to);
}
