using Tollgate.Durable.AzureStorage;

namespace Tollgate.Benchmarks;

/// <summary>A fresh task hub on Azure Storage, created before the run and deleted after it.</summary>
internal static class AzureStorageHub
{
    public static async Task<BenchHub> CreateAsync(string connectionString, string taskHub, int partitionCount, CancellationToken cancellationToken)
    {
        var hub = await AzureStorageBackend.CreateAsync(connectionString, taskHub, partitionCount, cancellationToken: cancellationToken);
        return new BenchHub(hub.Backend, hub.Transactions.Read, async () =>
        {
            try { await hub.DeleteAsync(); }
            catch (Exception e) { Console.Error.WriteLine($"Deleting task hub '{taskHub}' failed ({e.GetType().Name}: {e.Message}); it is left in storage."); }
        });
    }
}
