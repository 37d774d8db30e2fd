using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Tollgate.Ledger.AzureStorage;

/// <summary>
/// Opens a ledger on Azure Storage (Azurite locally): the container <c>&lt;prefix&gt;-ledger</c> for its bytes
/// (<see cref="BlobLedgerStore"/>) and the table <c>&lt;prefix&gt;LedgerIndex</c> for its lookup index
/// (<see cref="TableLedgerIndex"/>); see <see cref="AzureLedgerNames"/>.
/// </summary>
/// <remarks>
/// The clients keep the SDK's retry policy; the writer settles what a retry leaves unknown by reading back. No
/// message built here repeats the connection string.
/// </remarks>
public static class AzureLedger
{
    /// <summary>Per attempt: long enough for a 4 MiB block on a slow link, short enough that a hung request is retried.</summary>
    private static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Opens the ledger, creating its container and table if they are missing (what a writer does).</summary>
    /// <param name="connectionString">An Azure Storage connection string with Blob and Table endpoints.</param>
    /// <param name="prefix">Names the container and the table (see <see cref="AzureLedgerNames"/>).</param>
    /// <exception cref="ArgumentException">The prefix or the connection string is not valid.</exception>
    public static Task<AzureLedgerStorage> CreateAsync(string connectionString, string prefix = AzureLedgerNames.DefaultPrefix, CancellationToken cancellationToken = default)
    {
        var (blobs, tables) = Clients(connectionString);
        return CreateAsync(blobs, tables, prefix, cancellationToken);
    }

    /// <inheritdoc cref="CreateAsync(string, string, CancellationToken)"/>
    public static async Task<AzureLedgerStorage> CreateAsync(BlobServiceClient blobs, TableServiceClient tables, string prefix = AzureLedgerNames.DefaultPrefix,
        CancellationToken cancellationToken = default)
    {
        var ledger = Open(blobs, tables, prefix);
        await ledger.Store.Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await ledger.Index.Table.CreateIfNotExistsAsync(cancellationToken);
        return ledger;
    }

    /// <summary>Opens an existing ledger without creating anything (what an auditor's read does).</summary>
    /// <exception cref="LedgerException"><see cref="LedgerReason.NotFound"/> when the container or the table does not exist.</exception>
    /// <inheritdoc cref="CreateAsync(string, string, CancellationToken)"/>
    public static Task<AzureLedgerStorage> OpenAsync(string connectionString, string prefix = AzureLedgerNames.DefaultPrefix, CancellationToken cancellationToken = default)
    {
        var (blobs, tables) = Clients(connectionString);
        return OpenAsync(blobs, tables, prefix, cancellationToken);
    }

    /// <inheritdoc cref="OpenAsync(string, string, CancellationToken)"/>
    public static async Task<AzureLedgerStorage> OpenAsync(BlobServiceClient blobs, TableServiceClient tables, string prefix = AzureLedgerNames.DefaultPrefix,
        CancellationToken cancellationToken = default)
    {
        var ledger = Open(blobs, tables, prefix);
        if (!await ledger.Store.Container.ExistsAsync(cancellationToken))
            throw new LedgerException(LedgerReason.NotFound, $"No ledger here: the container '{ledger.Names.Container}' does not exist.");
        var table = ledger.Names.Table;
        var tableFound = false;
        await foreach (var _ in tables.QueryAsync(TableClient.CreateQueryFilter($"TableName eq {table}"), 1, cancellationToken))
        {
            tableFound = true;
            break;
        }
        if (!tableFound)
            throw new LedgerException(LedgerReason.NotFound, $"The ledger's index table '{table}' does not exist (the container '{ledger.Names.Container}' does).");
        return ledger;
    }

    /// <summary>The ledger's store and index over the given clients, without any request.</summary>
    /// <param name="maxBlocksPerSegment">See <see cref="BlobLedgerStore"/>; tests use small values to roll segments over.</param>
    public static AzureLedgerStorage Open(BlobServiceClient blobs, TableServiceClient tables, string prefix = AzureLedgerNames.DefaultPrefix,
        int maxBlocksPerSegment = BlobLedgerStore.AppendBlobBlockLimit)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(tables);
        var names = new AzureLedgerNames(prefix);
        return new AzureLedgerStorage(
            new BlobLedgerStore(blobs.GetBlobContainerClient(names.Container), maxBlocksPerSegment),
            new TableLedgerIndex(tables.GetTableClient(names.Table)),
            names);
    }

    /// <exception cref="ArgumentException">The connection string is not valid (the message never repeats it).</exception>
    public static (BlobServiceClient Blobs, TableServiceClient Tables) Clients(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ArgumentException("An Azure Storage connection string is required.", nameof(connectionString));
        try
        {
            return (new BlobServiceClient(connectionString, Configure(new BlobClientOptions())),
                new TableServiceClient(connectionString, Configure(new TableClientOptions())));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            // The parser's message may quote the string, account key included: say what is wrong without it.
            throw new ArgumentException($"The Azure Storage connection string is not valid ({e.GetType().Name}); it needs AccountName and AccountKey " +
                                        "(or a SAS) and the Blob and Table endpoints.", nameof(connectionString));
        }
    }

    private static T Configure<T>(T options) where T : ClientOptions
    {
        options.Retry.NetworkTimeout = NetworkTimeout;
        return options;
    }
}
