using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Tollgate.Durable.AzureStorage.Tests;

namespace Tollgate.Ledger.AzureStorage.Tests.Support;

/// <summary>
/// Ledgers on Azurite, one per test under its own prefix (so test classes run in parallel), deleted when the class
/// is done. <see cref="Reopen"/> gives another process's view: new clients, nothing shared.
/// </summary>
public abstract class AzuriteLedgerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly List<AzureLedgerStorage> ledgers = [];

    protected static CancellationToken Ct => CancellationToken.None;

    protected async Task<AzureLedgerStorage> NewLedgerAsync(int maxBlocksPerSegment = BlobLedgerStore.AppendBlobBlockLimit)
    {
        var (blobs, tables) = AzureLedger.Clients(azurite.ConnectionString);
        var created = await AzureLedger.CreateAsync(blobs, tables, AzuriteFixture.NewTaskHub("ledger"), Ct);
        lock (ledgers) ledgers.Add(created);
        return maxBlocksPerSegment == BlobLedgerStore.AppendBlobBlockLimit ? created : Reopen(created, maxBlocksPerSegment);
    }

    protected AzureLedgerStorage Reopen(AzureLedgerStorage ledger, int maxBlocksPerSegment = BlobLedgerStore.AppendBlobBlockLimit)
    {
        var (blobs, tables) = AzureLedger.Clients(azurite.ConnectionString);
        return AzureLedger.Open(blobs, tables, ledger.Names.NamePrefix, maxBlocksPerSegment);
    }

    /// <summary>The ledger through clients whose requests <paramref name="counter"/> counts.</summary>
    protected AzureLedgerStorage Counted(AzureLedgerStorage ledger, RequestCounter counter) => AzureLedger.Open(
        new BlobServiceClient(azurite.ConnectionString, counter.AttachTo(new BlobClientOptions())),
        new TableServiceClient(azurite.ConnectionString, counter.AttachTo(new TableClientOptions())),
        ledger.Names.NamePrefix, ledger.Store.MaxBlocksPerSegment);

    protected string ConnectionString => azurite.ConnectionString;

    /// <summary>The ledger's container through a client of its own, as someone with the account key would reach it.</summary>
    protected BlobContainerClient RawContainer(AzureLedgerStorage ledger) =>
        new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(ledger.Names.Container);

    protected TableClient RawTable(AzureLedgerStorage ledger) => new TableServiceClient(azurite.ConnectionString).GetTableClient(ledger.Names.Table);

    /// <summary>Replaces a segment as raw access could: delete the append blob and create one with other bytes.</summary>
    protected async Task RewriteSegmentAsync(AzureLedgerStorage ledger, string name, byte[] bytes)
    {
        var blob = RawContainer(ledger).GetAppendBlobClient(name);
        await blob.DeleteAsync(cancellationToken: Ct);
        await blob.CreateAsync(new Azure.Storage.Blobs.Models.AppendBlobCreateOptions(), Ct);
        foreach (var chunk in bytes.Chunk(BlobLedgerStore.AppendBlockByteLimit))
            await blob.AppendBlockAsync(new MemoryStream(chunk), cancellationToken: Ct);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        List<AzureLedgerStorage> created;
        lock (ledgers) created = [.. ledgers];
        foreach (var ledger in created)
        {
            try { await ledger.DeleteAsync(Ct); }
            catch (Exception) { /* best effort: Azurite's data goes with it */ }
        }
    }
}
