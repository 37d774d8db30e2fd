using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Ledger.AzureStorage.Tests.Support;

namespace Tollgate.Ledger.AzureStorage.Tests;

/// <summary>Opening and creating a ledger's container and table.</summary>
public sealed class AzureLedgerTests(AzuriteFixture azurite) : AzuriteLedgerTests(azurite)
{
    [Fact]
    public void Names_follow_the_prefix_like_the_durable_engine_names_its_resources()
    {
        var names = new AzureLedgerNames("Tollgate7");
        Assert.Equal("tollgate7-ledger", names.Container);
        Assert.Equal("Tollgate7LedgerIndex", names.Table);
        Assert.Equal("tollgate-ledger", new AzureLedgerNames().Container);
        Assert.Equal("tollgateLedgerIndex", new AzureLedgerNames().Table);
        Assert.Equal(63, new AzureLedgerNames("a" + new string('b', AzureLedgerNames.MaxPrefixLength - 1)).Table.Length);

        foreach (var bad in new[] { "", "7up", "has-dash", "has space", "a" + new string('b', AzureLedgerNames.MaxPrefixLength) })
            Assert.Equal("prefix", Assert.Throws<ArgumentException>(() => new AzureLedgerNames(bad)).ParamName);
    }

    [Fact]
    public async Task Create_makes_the_container_and_the_table_and_can_run_again()
    {
        var ledger = await NewLedgerAsync();
        var again = await AzureLedger.CreateAsync(ConnectionString, ledger.Names.NamePrefix, Ct);

        Assert.True(await RawContainer(ledger).ExistsAsync(Ct));
        Assert.Equal(ledger.Names.Container, again.Store.Container.Name);
        Assert.Equal(ledger.Names.Table, again.Index.Table.Name);
        var opened = await AzureLedger.OpenAsync(ConnectionString, ledger.Names.NamePrefix, Ct);
        Assert.Equal(ledger.Names.Table, opened.Index.Table.Name);
        Assert.Equal(0, await opened.Index.GetIndexedSizeAsync(Ct));
    }

    [Fact]
    public async Task Open_does_not_create_and_says_what_is_missing()
    {
        var prefix = AzuriteFixture.NewTaskHub("absent");
        var e = await Assert.ThrowsAsync<LedgerException>(() => AzureLedger.OpenAsync(ConnectionString, prefix, Ct));
        Assert.Equal(LedgerReason.NotFound, e.Reason);
        Assert.Contains($"'{prefix}-ledger'", e.Message);
        Assert.False(await new BlobServiceClient(ConnectionString).GetBlobContainerClient($"{prefix}-ledger").ExistsAsync(Ct));

        // The container without its table.
        await new BlobServiceClient(ConnectionString).GetBlobContainerClient($"{prefix}-ledger").CreateAsync(cancellationToken: Ct);
        try
        {
            e = await Assert.ThrowsAsync<LedgerException>(() => AzureLedger.OpenAsync(ConnectionString, prefix, Ct));
            Assert.Equal(LedgerReason.NotFound, e.Reason);
            Assert.Contains($"'{prefix}LedgerIndex'", e.Message);
        }
        finally
        {
            await new BlobServiceClient(ConnectionString).GetBlobContainerClient($"{prefix}-ledger").DeleteIfExistsAsync(cancellationToken: Ct);
        }
    }

    [Fact]
    public async Task Delete_removes_both()
    {
        var ledger = await NewLedgerAsync();
        await ledger.DeleteAsync(Ct);
        await ledger.DeleteAsync(Ct);

        Assert.False(await RawContainer(ledger).ExistsAsync(Ct));
        var tables = new List<string>();
        await foreach (var table in new TableServiceClient(ConnectionString).QueryAsync(TableClient.CreateQueryFilter($"TableName eq {ledger.Names.Table}"), cancellationToken: Ct))
            tables.Add(table.Name);
        Assert.Empty(tables);
    }

    [Fact]
    public void A_bad_connection_string_is_refused_without_repeating_it()
    {
        const string secret = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";
        var e = Assert.Throws<ArgumentException>(() => AzureLedger.Clients($"AccountName=x;AccountKey={secret};NotAThing"));
        Assert.DoesNotContain(secret, e.Message);
        Assert.Equal("connectionString", e.ParamName);
        Assert.Throws<ArgumentException>(() => AzureLedger.Clients(" "));
    }

    [Fact]
    public void A_segment_limit_beyond_what_an_append_blob_takes_is_refused()
    {
        var container = new BlobServiceClient(ConnectionString).GetBlobContainerClient("unused");
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlobLedgerStore(container, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlobLedgerStore(container, BlobLedgerStore.AppendBlobBlockLimit + 1));
        Assert.Equal(BlobLedgerStore.AppendBlobBlockLimit, new BlobLedgerStore(container).MaxBlocksPerSegment);
        Assert.Equal(4 * 1024 * 1024, new BlobLedgerStore(container).MaxBlockBytes);
    }
}
