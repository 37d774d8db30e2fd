using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Tollgate.Durable.Backend;

namespace Tollgate.Durable.AzureStorage;

/// <summary>
/// The Azure Storage backend (Tables, Queues and Blobs; Azurite locally), laid out like the Durable
/// Task Azure Storage provider. See <see cref="AzureStorageTaskHubNames"/> for the resources of a task hub.
/// </summary>
/// <remarks>
/// <para>
/// Creating a backend does no I/O. The task hub's tables, queues, containers and lease blobs must
/// exist before it is used: <see cref="CreateAsync"/> creates whatever is missing, as do
/// <see cref="AzureStorageTaskHub.EnsureCreatedAsync"/> and <see cref="EnsureCreatedAsync(DurableBackend, CancellationToken)"/>.
/// Nothing on the hot path checks for existence.
/// </para>
/// <para>
/// Every client keeps the SDK's default retry policy with a short per-attempt network timeout
/// (<see cref="AzureStorageBackendOptions.NetworkTimeout"/>, 10 s by default); conflicts are the
/// engine's to handle. No message or exception built here contains the connection string or
/// the account key.
/// </para>
/// </remarks>
public static class AzureStorageBackend
{
    /// <summary>The <see cref="DurableBackend.Name"/> of this backend.</summary>
    public const string BackendName = "azure-storage";

    /// <summary>The backend of a task hub, without creating anything in storage (see <see cref="EnsureCreatedAsync(DurableBackend, CancellationToken)"/>).</summary>
    /// <param name="connectionString">An Azure Storage connection string (account key or SAS) with Blob, Queue and Table endpoints.</param>
    /// <param name="taskHub">3-45 ASCII letters or digits, starting with a letter.</param>
    /// <param name="partitionCount">Control partitions (1-100); fixed for the task hub's life.</param>
    /// <param name="options">Network timeout and the transaction counter to use; defaults when null.</param>
    /// <exception cref="ArgumentException">The task hub name or the connection string is not valid (the message never repeats the connection string).</exception>
    public static DurableBackend Create(string connectionString, string taskHub, int partitionCount = 4, AzureStorageBackendOptions? options = null)
        => Open(connectionString, taskHub, partitionCount, options).Backend;

    /// <summary>The task hub (backend, transaction counter, resource names), without creating anything in storage.</summary>
    /// <inheritdoc cref="Create" path="/param"/>
    /// <inheritdoc cref="Create" path="/exception"/>
    public static AzureStorageTaskHub Open(string connectionString, string taskHub, int partitionCount = 4, AzureStorageBackendOptions? options = null)
    {
        var names = new AzureStorageTaskHubNames(taskHub, partitionCount);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ArgumentException("An Azure Storage connection string is required.", nameof(connectionString));
        options ??= new AzureStorageBackendOptions();
        var counter = options.Transactions ?? new StorageTransactionCounter();

        TableServiceClient tables;
        QueueServiceClient queues;
        BlobServiceClient blobs;
        try
        {
            tables = new TableServiceClient(connectionString, Configure(new TableClientOptions(), options, counter, StorageService.Table));
            queues = new QueueServiceClient(connectionString, Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, options, counter, StorageService.Queue));
            blobs = new BlobServiceClient(connectionString, Configure(new BlobClientOptions(), options, counter, StorageService.Blob));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            // The parser's message may quote the string: say what is wrong without it.
            throw new ArgumentException($"The Azure Storage connection string is not valid ({e.GetType().Name}); it needs AccountName and AccountKey " +
                                        "(or a SAS) and the Blob, Queue and Table endpoints.", nameof(connectionString));
        }

        var largeMessages = blobs.GetBlobContainerClient(names.LargeMessagesContainer);
        var context = new StorageContext
        {
            Names = names,
            Options = options,
            Transactions = counter,
            TableService = tables,
            QueueService = queues,
            BlobService = blobs,
            Instances = tables.GetTableClient(names.InstancesTable),
            History = tables.GetTableClient(names.HistoryTable),
            Poison = tables.GetTableClient(names.PoisonTable),
            Hosts = tables.GetTableClient(names.HostsTable),
            ControlQueues = names.ControlQueues.Select(queues.GetQueueClient).ToArray(),
            LargeMessages = largeMessages,
            Leases = blobs.GetBlobContainerClient(names.LeasesContainer),
            Payloads = new LargePayloads(largeMessages),
            Secrets = Redaction.SecretsOf(connectionString),
        };
        var backend = new DurableBackend(BackendName, taskHub, partitionCount,
            new AzureInstanceStore(context), new AzureHistoryStore(context), new AzureControlQueues(context), new AzurePartitionLeases(context));
        return new AzureStorageTaskHub(backend, context);
    }

    /// <summary>Opens the task hub and creates whatever of it is missing in storage.</summary>
    /// <inheritdoc cref="Create" path="/param"/>
    /// <inheritdoc cref="Create" path="/exception"/>
    public static async Task<AzureStorageTaskHub> CreateAsync(string connectionString, string taskHub, int partitionCount = 4,
        AzureStorageBackendOptions? options = null, CancellationToken cancellationToken = default)
    {
        var hub = Open(connectionString, taskHub, partitionCount, options);
        await hub.EnsureCreatedAsync(cancellationToken);
        return hub;
    }

    /// <summary>Creates whatever is missing of the task hub of a backend made by <see cref="Create"/>.</summary>
    /// <exception cref="ArgumentException">The backend is not an Azure Storage backend.</exception>
    public static Task EnsureCreatedAsync(DurableBackend backend, CancellationToken cancellationToken = default)
        => TaskHubOf(backend).EnsureCreatedAsync(cancellationToken);

    /// <summary>The task hub behind a backend made by <see cref="Create"/>: its transaction counter and names.</summary>
    /// <exception cref="ArgumentException">The backend is not an Azure Storage backend.</exception>
    public static AzureStorageTaskHub TaskHubOf(DurableBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return backend.Instances is AzureInstanceStore store
            ? new AzureStorageTaskHub(backend, store.Storage)
            : throw new ArgumentException($"The backend is '{backend.Name}', not '{BackendName}'.", nameof(backend));
    }

    private static T Configure<T>(T clientOptions, AzureStorageBackendOptions options, StorageTransactionCounter counter, StorageService service) where T : ClientOptions
    {
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        counter.AttachTo(clientOptions, service);
        return clientOptions;
    }
}

/// <summary>One task hub on Azure Storage: the engine's backend, the storage transactions made through it, and its resources.</summary>
public sealed class AzureStorageTaskHub
{
    private readonly StorageContext _storage;

    internal AzureStorageTaskHub(DurableBackend backend, StorageContext storage)
    {
        Backend = backend;
        _storage = storage;
    }

    public DurableBackend Backend { get; }

    /// <summary>Every HTTP request made through this task hub's clients, retries included.</summary>
    public StorageTransactionCounter Transactions => _storage.Transactions;

    public AzureStorageTaskHubNames Names => _storage.Names;

    /// <summary>
    /// Creates the tables, control queues, containers and partition lease blobs that do not exist yet
    /// (idempotent; safe to run from several hosts at once). Run once at startup.
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        var s = _storage;
        var creations = new List<Task>
        {
            s.Instances.CreateIfNotExistsAsync(cancellationToken),
            s.History.CreateIfNotExistsAsync(cancellationToken),
            s.Poison.CreateIfNotExistsAsync(cancellationToken),
            s.Hosts.CreateIfNotExistsAsync(cancellationToken),
            s.LargeMessages.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
        };
        creations.AddRange(s.ControlQueues.Select(q => q.CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        creations.Add(CreateLeasesAsync(cancellationToken));
        await Task.WhenAll(creations);
    }

    private async Task CreateLeasesAsync(CancellationToken cancellationToken)
    {
        await _storage.Leases.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, Names.PartitionCount).Select(p =>
            AzurePartitionLeases.CreateLeaseBlobAsync(_storage.Leases.GetBlobClient(AzureStorageTaskHubNames.LeaseBlob(p)), cancellationToken)));
    }

    /// <summary>Deletes every table, queue and container of the task hub, with all their data. For tests and benchmarks.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        var s = _storage;
        var deletions = new List<Task>
        {
            DeleteTableAsync(s.Instances, cancellationToken),
            DeleteTableAsync(s.History, cancellationToken),
            DeleteTableAsync(s.Poison, cancellationToken),
            DeleteTableAsync(s.Hosts, cancellationToken),
            s.LargeMessages.DeleteIfExistsAsync(cancellationToken: cancellationToken),
            s.Leases.DeleteIfExistsAsync(cancellationToken: cancellationToken),
        };
        deletions.AddRange(s.ControlQueues.Select(q => q.DeleteIfExistsAsync(cancellationToken)));
        await Task.WhenAll(deletions);
    }

    private static async Task DeleteTableAsync(TableClient table, CancellationToken cancellationToken)
    {
        try { await table.DeleteAsync(cancellationToken); }
        catch (RequestFailedException e) when (e.Status == 404) { }
    }

    public override string ToString() => $"azure-storage task hub '{Names.TaskHub}' ({Names.PartitionCount} partitions)";
}
