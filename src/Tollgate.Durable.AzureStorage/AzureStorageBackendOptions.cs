namespace Tollgate.Durable.AzureStorage;

/// <summary>How the Azure Storage backend talks to storage.</summary>
public sealed record AzureStorageBackendOptions
{
    /// <summary>
    /// How long one HTTP attempt may take before the SDK gives up on it and retries (the SDK's default
    /// retry policy is kept: 3 retries, exponential back-off from 0.8 s). The default, 10 s, suits
    /// Azurite and a storage account in the same region, where requests take milliseconds; the SDK's
    /// own default of 100 s would stall a partition for minutes on one lost connection.
    /// </summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where to count storage transactions; a new counter when null. Pass one to share it between
    /// task hubs or to read it without the <see cref="AzureStorageTaskHub"/>.
    /// </summary>
    public StorageTransactionCounter? Transactions { get; init; }

    /// <summary>Payloads whose UTF-8 JSON is larger than this go to a blob (45 KB, as in Durable Task).</summary>
    internal int InlinePayloadLimit { get; init; } = 45 * 1024;

    /// <summary>Azure Queues cap a visibility timeout at 7 days; longer delays are held back by re-sending. Lowered in tests.</summary>
    internal TimeSpan MaxVisibilityDelay { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Azure blob leases last 15-60 s; requested durations are clamped to these bounds.</summary>
    internal TimeSpan MinLeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    internal TimeSpan MaxLeaseDuration { get; init; } = TimeSpan.FromSeconds(60);
}
