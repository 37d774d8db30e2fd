using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Tollgate.Durable.Backend;

namespace Tollgate.Durable.AzureStorage.Tests;

/// <summary>Fresh task hubs for each test, deleted again when the test class is done.</summary>
public abstract class AzureStorageTestBase(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly List<AzureStorageTaskHub> _hubs = new();

    protected AzuriteFixture Azurite => azurite;
    protected static CancellationToken Ct => CancellationToken.None;

    protected async Task<AzureStorageTaskHub> NewHubAsync(int partitions = 4, AzureStorageBackendOptions? options = null)
    {
        var hub = await AzureStorageBackend.CreateAsync(azurite.ConnectionString, AzuriteFixture.NewTaskHub(), partitions, options);
        lock (_hubs) _hubs.Add(hub);
        return hub;
    }

    /// <summary>Another process's view of the same task hub: new clients, no shared caches.</summary>
    protected AzureStorageTaskHub Reopen(AzureStorageTaskHub hub, AzureStorageBackendOptions? options = null)
        => AzureStorageBackend.Open(azurite.ConnectionString, hub.Names.TaskHub, hub.Names.PartitionCount, options);

    protected TableClient Table(string name) => new TableServiceClient(azurite.ConnectionString).GetTableClient(name);

    protected BlobContainerClient Container(string name) => new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(name);

    protected async Task<List<string>> BlobNamesAsync(AzureStorageTaskHub hub, string prefix = "")
    {
        var names = new List<string>();
        await foreach (var blob in Container(hub.Names.LargeMessagesContainer).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None)) names.Add(blob.Name);
        return names;
    }

    protected static string Json(int bytes)
    {
        var sb = new StringBuilder("\"", bytes + 2);
        var i = 0;
        while (sb.Length < bytes - 1) sb.Append((char)('a' + i++ % 26));
        return sb.Append('"').ToString();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        List<AzureStorageTaskHub> hubs;
        lock (_hubs) hubs = _hubs.ToList();
        foreach (var hub in hubs)
        {
            try { await hub.DeleteAsync(); } catch (Exception) { /* best effort */ }
        }
    }

    protected static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
            await Task.Delay(200);
        }
    }
}
