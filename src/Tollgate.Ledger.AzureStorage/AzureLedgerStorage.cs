using Azure;

namespace Tollgate.Ledger.AzureStorage;

/// <summary>One ledger on Azure Storage: its segments and objects, its lookup index, and their names.</summary>
public sealed record AzureLedgerStorage(BlobLedgerStore Store, TableLedgerIndex Index, AzureLedgerNames Names)
{
    /// <summary>
    /// Deletes the container and the table, for tests and benchmarks. A ledger under a WORM policy refuses this,
    /// as it should; nothing in Tollgate calls it on a real ledger.
    /// </summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await Store.Container.DeleteIfExistsAsync(cancellationToken: cancellationToken);
        try
        {
            await Index.Table.DeleteAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }
}
