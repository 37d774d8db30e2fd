namespace Tollgate.Durable.Worker;

/// <summary>How one worker process takes part in a task hub.</summary>
public sealed record DurableWorkerOptions
{
    /// <summary>Identifies this host in leases and logs; unique per process by default.</summary>
    public string HostId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Activities this host runs at once, across all its instances.</summary>
    public int MaxConcurrentActivities { get; init; } = 100;

    /// <summary>How long a partition lease lasts unless renewed; a crashed host's partitions move after this.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest an idle partition waits between control-queue polls (polls back off to this).</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a received control message stays invisible while its episode runs; if the host dies
    /// before deleting it, another host sees it again after this.
    /// </summary>
    public TimeSpan MessageVisibilityTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries after which a message that never gets processed is parked with a reason.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>The largest input or event payload a client accepts (UTF-8 bytes of its JSON).</summary>
    public int MaxPayloadBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// Called at the engine's named crash points (see <see cref="FaultPoints"/>); the crash tests use
    /// it to stop a real host at an exact step. Null in production.
    /// </summary>
    public Func<string, Task>? FaultInjection { get; init; }
}

/// <summary>The engine steps at which a crash is most likely to lose or double work, as named injection points.</summary>
public static class FaultPoints
{
    /// <summary>An episode's history is committed; its activities and timers are not dispatched yet.</summary>
    public const string AfterHistoryCommit = "after-history-commit";

    /// <summary>An activity has started running.</summary>
    public const string DuringActivity = "during-activity";

    /// <summary>An activity returned; its result is not in the history yet.</summary>
    public const string AfterActivityBeforeRecord = "after-activity-before-record";

    /// <summary>A durable timer is recorded and armed, and has not fired.</summary>
    public const string DuringTimer = "during-timer";
}
