using Tollgate.Durable.AzureStorage;
using Tollgate.Durable.Backend;
using Tollgate.Durable.InMemory;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Hosting;

/// <summary>The task hub's storage, as <c>AzureWebJobsStorage</c> asks: Azure Storage (Azurite locally) or in-memory.</summary>
public static class BackendFactory
{
    public static DurableBackend Create(HostSettings settings)
        => settings.Storage.IsInMemory
            ? InMemoryBackend.Create(settings.TaskHub, settings.PartitionCount)
            : AzureStorageBackend.Create(settings.Storage.ConnectionString, settings.TaskHub, settings.PartitionCount);

    /// <summary>Creates what is missing of the task hub in storage (idempotent; nothing to do in memory).</summary>
    public static Task PrepareAsync(DurableBackend backend, CancellationToken cancellationToken)
        => backend.Name == AzureStorageBackend.BackendName ? AzureStorageBackend.EnsureCreatedAsync(backend, cancellationToken) : Task.CompletedTask;
}
