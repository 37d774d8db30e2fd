namespace Tollgate.Durable.Backend;

/// <summary>
/// Where a task hub keeps its state: the four stores the engine needs, all for one task hub.
/// Two implementations: Azure Storage (Tables, Queues, Blobs; Azurite locally) and in-memory.
/// </summary>
/// <param name="Name">Backend name for logs and health ("azure-storage", "in-memory").</param>
/// <param name="TaskHub">The task hub: one isolated set of instances, history, queues and leases.</param>
/// <param name="PartitionCount">How many control partitions instances are spread over (fixed for a task hub's life).</param>
public sealed record DurableBackend(
    string Name,
    string TaskHub,
    int PartitionCount,
    IInstanceStore Instances,
    IHistoryStore History,
    IControlQueues Queues,
    IPartitionLeases Leases)
{
    public int PartitionOf(string instanceId) => PartitionMap.PartitionOf(instanceId, PartitionCount);

    /// <summary>Checks that the storage answers; the message says what failed.</summary>
    public Task<(bool Ok, string Detail)> ProbeAsync(CancellationToken cancellationToken) => Instances.ProbeAsync(cancellationToken);
}

/// <summary>Instance id → control partition; stable across processes, versions and machines.</summary>
public static class PartitionMap
{
    public static int PartitionOf(string instanceId, int partitionCount)
    {
        // FNV-1a over UTF-16 code units: string.GetHashCode is randomized per process.
        uint hash = 2166136261;
        foreach (var c in instanceId) { hash ^= c; hash *= 16777619; }
        return (int)(hash % (uint)partitionCount);
    }
}
