using Tollgate.Durable.AzureStorage;
using Tollgate.Durable.Backend;
using Tollgate.Durable.InMemory;

namespace Tollgate.Benchmarks;

/// <summary>A backend to measure: how to create a fresh task hub on it, and per scenario the default N and the target rate.</summary>
public sealed record BenchBackend(
    string Name,
    Func<string, int, CancellationToken, Task<BenchHub>> CreateHubAsync,
    IReadOnlyDictionary<string, ScenarioSettings> Settings)
{
    public const string InMemoryName = "in-memory";
    public const string AzuriteName = "azurite";

    public ScenarioSettings For(Scenario scenario) => Settings[scenario.Name];

    public static BenchBackend InMemory { get; } = new(InMemoryName,
        (taskHub, partitions, _) => Task.FromResult(new BenchHub(InMemoryBackend.Create(taskHub, partitions))),
        new Dictionary<string, ScenarioSettings>
        {
            [Scenario.Chain.Name] = new(DefaultN: 20_000, TargetPerSecond: 50_000),
            [Scenario.FanOut.Name] = new(DefaultN: 50_000, TargetPerSecond: 50_000),
        });

    /// <summary>The Azure Storage backend on <paramref name="connectionString"/> (Azurite, or a real account).</summary>
    public static BenchBackend Azurite(string connectionString) => new(AzuriteName,
        (taskHub, partitions, cancellationToken) => AzureStorageHub.CreateAsync(connectionString, taskHub, partitions, cancellationToken),
        new Dictionary<string, ScenarioSettings>
        {
            [Scenario.Chain.Name] = new(DefaultN: 500, TargetPerSecond: 100),
            [Scenario.FanOut.Name] = new(DefaultN: 5_000, TargetPerSecond: 1_000),
        });
}

public sealed record ScenarioSettings(int DefaultN, double TargetPerSecond);

/// <summary>
/// One fresh task hub: the backend a worker runs on and, where the backend can count them, the
/// storage transactions made through it so far.
/// </summary>
public sealed class BenchHub(DurableBackend backend, Func<StorageTransactionCounts>? readTransactions = null, Func<ValueTask>? cleanup = null) : IAsyncDisposable
{
    public DurableBackend Backend { get; } = backend;

    /// <summary>Null when the backend makes no storage requests (in-memory).</summary>
    public StorageTransactionCounts? ReadTransactions() => readTransactions?.Invoke();

    public ValueTask DisposeAsync() => cleanup?.Invoke() ?? ValueTask.CompletedTask;
}
