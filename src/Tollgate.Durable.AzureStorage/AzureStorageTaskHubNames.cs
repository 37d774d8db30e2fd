using System.Text.RegularExpressions;

namespace Tollgate.Durable.AzureStorage;

/// <summary>
/// The storage resources of one task hub, named the way the Durable Task Azure Storage provider
/// names them. Tables keep the hub's case; queues and containers use it in lower case (their names
/// must be lower case).
/// </summary>
public sealed partial class AzureStorageTaskHubNames
{
    /// <summary>Shortest and longest task hub name: the longest derived name must stay within 63 characters.</summary>
    public const int MinLength = 3, MaxLength = 45;

    /// <summary>Most control partitions a task hub may have.</summary>
    public const int MaxPartitionCount = 100;

    /// <param name="taskHub">3-45 letters or digits, starting with a letter.</param>
    /// <param name="partitionCount">1-100.</param>
    /// <exception cref="ArgumentException">The task hub name is not valid (the parameter is named).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The partition count is out of range.</exception>
    public AzureStorageTaskHubNames(string taskHub, int partitionCount)
    {
        Validate(taskHub, nameof(taskHub));
        if (partitionCount is < 1 or > MaxPartitionCount)
            throw new ArgumentOutOfRangeException(nameof(partitionCount), partitionCount, $"A task hub has 1-{MaxPartitionCount} partitions.");
        TaskHub = taskHub;
        PartitionCount = partitionCount;
        var lower = taskHub.ToLowerInvariant();
        InstancesTable = taskHub + "Instances";
        HistoryTable = taskHub + "History";
        PoisonTable = taskHub + "Poison";
        HostsTable = taskHub + "Hosts";
        LargeMessagesContainer = lower + "-largemessages";
        LeasesContainer = lower + "-leases";
        ControlQueues = Enumerable.Range(0, partitionCount).Select(p => $"{lower}-control-{p:D2}").ToArray();
    }

    public string TaskHub { get; }
    public int PartitionCount { get; }

    /// <summary>One row per instance (PartitionKey = instance id, RowKey = "").</summary>
    public string InstancesTable { get; }

    /// <summary>PartitionKey = instance id; RowKey = 10-digit sequence, plus a "sentinel" row.</summary>
    public string HistoryTable { get; }

    /// <summary>Parked (poison) control messages.</summary>
    public string PoisonTable { get; }

    /// <summary>Host heartbeats (PartitionKey "hosts", RowKey = host id).</summary>
    public string HostsTable { get; }

    /// <summary>Payloads over the inline limit (45 KB), one blob each, never overwritten.</summary>
    public string LargeMessagesContainer { get; }

    /// <summary>One blob per partition ("partition-NN") whose blob lease is the partition lease.</summary>
    public string LeasesContainer { get; }

    /// <summary>"&lt;hub&gt;-control-NN", one per partition, in partition order.</summary>
    public IReadOnlyList<string> ControlQueues { get; }

    public string ControlQueue(int partition) => ControlQueues[partition];

    public static string LeaseBlob(int partition) => $"partition-{partition:D2}";

    public static bool IsValid(string? taskHub) => taskHub is not null && HubName().IsMatch(taskHub);

    /// <exception cref="ArgumentException">The name is not 3-45 letters or digits starting with a letter.</exception>
    public static void Validate(string? taskHub, string parameterName)
    {
        if (!IsValid(taskHub))
            throw new ArgumentException(
                $"A task hub name must be {MinLength}-{MaxLength} ASCII letters or digits and start with a letter; got '{taskHub}'.", parameterName);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex HubName();
}
