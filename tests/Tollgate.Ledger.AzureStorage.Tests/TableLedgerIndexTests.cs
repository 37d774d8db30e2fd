using Azure.Data.Tables;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Ledger.AzureStorage.Tests.Support;
using Tollgate.Ledger.Index;

namespace Tollgate.Ledger.AzureStorage.Tests;

/// <summary>The index table's rows, lookups and read-back on Azurite, without a writer.</summary>
public sealed class TableLedgerIndexTests(AzuriteFixture azurite) : AzuriteLedgerTests(azurite)
{
    private static readonly DateTimeOffset T0 = TestEntries.T0;

    /// <summary>Entry <paramref name="i"/> as the writer would index it (correlation i % 7, T0 + i seconds).</summary>
    private static IndexedEntry Indexed(long i, string? correlation = null, DateTimeOffset? time = null) =>
        new(i, $"k-{i:D6}", "evidence", correlation ?? TestEntries.Correlation((int)i), time ?? T0.AddSeconds(i),
            Convert.ToHexStringLower(BitConverter.GetBytes(i)).PadLeft(64, '0'), i / 100 * 100, i % 100 * 300, 299);

    [Fact]
    public async Task Each_entry_gets_an_entry_row_a_key_row_and_a_correlation_row_with_the_documented_keys()
    {
        var ledger = await NewLedgerAsync();
        var entry = Indexed(1042);
        await ledger.Index.AddAsync([entry], Ct);

        var rows = new List<TableEntity>();
        await foreach (var row in RawTable(ledger).QueryAsync<TableEntity>(cancellationToken: Ct)) rows.Add(row);
        Assert.Equal(3, rows.Count);

        var entryRow = Assert.Single(rows, row => row.PartitionKey == "e00000000000000001");
        Assert.Equal("00000000000000001042", entryRow.RowKey);
        Assert.Equal(1042L, entryRow["Index"]);
        Assert.Equal(entry.Key, entryRow["Key"]);
        Assert.Equal("evidence", entryRow["Kind"]);
        Assert.Equal(entry.CorrelationId, entryRow["CorrelationId"]);
        Assert.Equal(entry.Time, Assert.IsType<DateTimeOffset>(entryRow["Time"]));
        Assert.Equal(entry.LeafHash, entryRow["LeafHash"]);
        Assert.Equal(1000L, entryRow["SegmentFirstIndex"]);
        Assert.Equal(entry.Offset, entryRow["Offset"]);
        Assert.Equal(299, entryRow["Length"]);

        var keyHash = IndexRowKeys.Hash(entry.Key);
        var keyRow = Assert.Single(rows, row => row.PartitionKey == "k" + keyHash[..2]);
        Assert.Equal(keyHash, keyRow.RowKey);
        Assert.Equal(1042L, keyRow["Index"]);
        Assert.Equal(entry.Key, keyRow["Key"]);

        var correlationHash = IndexRowKeys.Hash(entry.CorrelationId);
        var correlationRow = Assert.Single(rows, row => row.PartitionKey == "c" + correlationHash[..2]);
        Assert.Equal(correlationHash + "00000000000000001042", correlationRow.RowKey);
        Assert.Equal(1042L, correlationRow["Index"]);
        Assert.Equal(entry.CorrelationId, correlationRow["CorrelationId"]);
    }

    [Fact]
    public async Task Adding_again_is_harmless_and_many_rows_of_one_partition_go_in_several_transactions()
    {
        var ledger = await NewLedgerAsync();
        // 1,200 entries of one correlation: 1,200 rows in one correlation partition, 1,000 in the first entry partition.
        var entries = Enumerable.Range(0, 1200).Select(i => Indexed(i, correlation: "one")).ToList();
        await ledger.Index.AddAsync(entries, Ct);
        await ledger.Index.AddAsync(entries[100..300], Ct);

        var records = await RowsAsync(ledger.Index);
        Assert.Equal(3600, records.Count);
        Assert.Equal(1200, (await ledger.Index.FindByCorrelationAsync("one", 5000, Ct)).Count);
        Assert.Equal(entries[1199], await ledger.Index.GetAsync(1199, Ct));
    }

    [Fact]
    public async Task Adding_sends_one_transaction_per_partition_and_hundred_rows()
    {
        var ledger = await NewLedgerAsync();
        var counter = new RequestCounter();
        var index = Counted(ledger, counter).Index;
        var entries = Enumerable.Range(0, 1000).Select(i => Indexed(i, correlation: "one")).ToList();

        await index.AddAsync(entries, Ct);

        var keyPartitions = entries.Select(entry => IndexRowKeys.KeyPartition(IndexRowKeys.Hash(entry.Key))).Distinct().Count();
        Assert.Equal(10 + 10 + keyPartitions, counter.Count); // entry rows, correlation rows, key rows
        Assert.Equal(entries[640], await ledger.Index.FindByKeyAsync(entries[640].Key, Ct));
    }

    [Fact]
    public async Task Correlation_rows_of_many_ids_share_transactions_and_each_id_finds_only_its_own()
    {
        var ledger = await NewLedgerAsync();
        var counter = new RequestCounter();
        var index = Counted(ledger, counter).Index;
        var entries = Enumerable.Range(0, 1000).Select(i => Indexed(i, correlation: $"intent-{i / 2}")).ToList();

        await index.AddAsync(entries, Ct);

        var keyPartitions = entries.Select(entry => IndexRowKeys.KeyPartition(IndexRowKeys.Hash(entry.Key))).Distinct().Count();
        var correlationPartitions = entries.Select(entry => IndexRowKeys.CorrelationPartition(IndexRowKeys.Hash(entry.CorrelationId))).Distinct().Count();
        Assert.Equal(10 + keyPartitions + correlationPartitions, counter.Count);
        Assert.True(correlationPartitions <= 256);
        Assert.Equal([entries[640], entries[641]], await ledger.Index.FindByCorrelationAsync("intent-320", 10, Ct));
        Assert.Equal([entries[64], entries[65]], await ledger.Index.FindByCorrelationAsync("intent-32", 10, Ct));
    }

    [Fact]
    public async Task The_watermark_starts_at_zero_and_is_replaced()
    {
        var index = (await NewLedgerAsync()).Index;
        Assert.Equal(0, await index.GetIndexedSizeAsync(Ct));
        await index.SetIndexedSizeAsync(500, Ct);
        await index.SetIndexedSizeAsync(200, Ct);
        Assert.Equal(200, await index.GetIndexedSizeAsync(Ct));
        Assert.Empty(await RowsAsync(index));
    }

    [Fact]
    public async Task Lookups_by_key_correlation_time_and_index()
    {
        var index = (await NewLedgerAsync()).Index;
        var entries = Enumerable.Range(0, 2100).Select(i => Indexed(i)).ToList();
        await index.AddAsync(entries, Ct);

        Assert.Equal(entries[1234], await index.FindByKeyAsync("k-001234", Ct));
        Assert.Null(await index.FindByKeyAsync("k-999999", Ct));
        Assert.Equal(entries[2099], await index.GetAsync(2099, Ct));
        Assert.Null(await index.GetAsync(2100, Ct));
        Assert.Null(await index.GetAsync(-1, Ct));

        var byCorrelation = await index.FindByCorrelationAsync("corr-3", 1000, Ct);
        Assert.Equal(entries.Where(entry => entry.CorrelationId == "corr-3"), byCorrelation);
        Assert.Equal(entries.Where(entry => entry.CorrelationId == "corr-3").Take(10), await index.FindByCorrelationAsync("corr-3", 10, Ct));
        Assert.Empty(await index.FindByCorrelationAsync("nobody", 10, Ct));

        Assert.Equal(entries[995..1005], await index.FindByTimeAsync(T0.AddSeconds(995), T0.AddSeconds(1005), 100, Ct));
        Assert.Equal(entries[995..998], await index.FindByTimeAsync(T0.AddSeconds(995), T0.AddSeconds(1005), 3, Ct));
        Assert.Empty(await index.FindByTimeAsync(T0.AddSeconds(1005), T0.AddSeconds(995), 100, Ct));
    }

    [Fact]
    public async Task An_entry_time_the_table_cannot_hold_as_a_date_is_kept_and_found()
    {
        var index = (await NewLedgerAsync()).Index;
        var ancient = Indexed(0, time: new DateTimeOffset(1500, 6, 1, 12, 0, 0, 123, TimeSpan.Zero));
        var early = Indexed(1, time: new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var modern = Indexed(2);
        await index.AddAsync([ancient, early, modern], Ct);

        Assert.Equal(ancient, await index.GetAsync(0, Ct));
        Assert.Equal([ancient, early, modern], await index.FindByTimeAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10, Ct));
        Assert.Equal([ancient], await index.FindByTimeAsync(new DateTimeOffset(1400, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(1600, 1, 1, 0, 0, 0, TimeSpan.Zero), 10, Ct));
        Assert.Equal([modern], await index.FindByTimeAsync(T0, T0.AddDays(1), 10, Ct));
        Assert.Equal(ancient.Time, (await RowsAsync(index)).Single(row => row.Source == "entry row 0").Time);
    }

    [Fact]
    public async Task Read_back_names_each_row_and_carries_only_its_fields()
    {
        var ledger = await NewLedgerAsync();
        var entry = Indexed(42);
        await ledger.Index.AddAsync([entry], Ct);
        await ledger.Index.SetIndexedSizeAsync(43, Ct);

        var records = await RowsAsync(ledger.Index);

        var keyHash = IndexRowKeys.Hash(entry.Key);
        var correlationHash = IndexRowKeys.Hash(entry.CorrelationId);
        Assert.Equal(3, records.Count);
        Assert.Contains(IndexRecord.Of(entry, "entry row 42"), records);
        Assert.Contains(new IndexRecord($"key row {keyHash}", 42, Key: entry.Key), records);
        Assert.Contains(new IndexRecord($"correlation row {correlationHash}/42", 42, CorrelationId: entry.CorrelationId), records);
    }

    [Fact]
    public async Task A_row_that_cannot_be_mapped_is_reported_with_index_minus_one_and_named()
    {
        var ledger = await NewLedgerAsync();
        await ledger.Index.AddAsync([Indexed(5)], Ct);
        var table = RawTable(ledger);
        await table.AddEntityAsync(new TableEntity("e00000000000000000", "junk") { ["Index"] = 1L }, Ct);
        await table.AddEntityAsync(new TableEntity("zzz", "stray"), Ct);
        // An entry row moved under another index: its row key no longer agrees with its Index.
        var moved = (await table.GetEntityAsync<TableEntity>("e00000000000000000", "00000000000000000005", cancellationToken: Ct)).Value;
        moved.RowKey = "00000000000000000006";
        await table.AddEntityAsync(moved, Ct);
        // A key row whose Key is not the one its row key hashes.
        var keyHash = IndexRowKeys.Hash("k-000005");
        var keyRow = (await table.GetEntityAsync<TableEntity>("k" + keyHash[..2], keyHash, cancellationToken: Ct)).Value;
        keyRow["Key"] = "k-000006";
        await table.UpdateEntityAsync(keyRow, Azure.ETag.All, TableUpdateMode.Replace, Ct);

        var unreadable = (await RowsAsync(ledger.Index)).Where(record => record.Index < 0).Select(record => record.Source).Order().ToList();

        Assert.Equal(4, unreadable.Count);
        Assert.Contains(unreadable, source => source.StartsWith("index row e00000000000000000/junk ", StringComparison.Ordinal));
        Assert.Contains(unreadable, source => source.StartsWith("index row e00000000000000000/00000000000000000006 ", StringComparison.Ordinal));
        Assert.Contains(unreadable, source => source.StartsWith("index row zzz/stray ", StringComparison.Ordinal));
        Assert.Contains(unreadable, source => source.StartsWith($"index row k{keyHash[..2]}/{keyHash} ", StringComparison.Ordinal));
        Assert.Null(await ledger.Index.FindByKeyAsync("k-000005", Ct));
        Assert.Null(await ledger.Index.GetAsync(6, Ct));
    }

    private static async Task<List<IndexRecord>> RowsAsync(LedgerIndexStore index)
    {
        var rows = new List<IndexRecord>();
        await foreach (var row in index.ReadAllAsync(Ct)) rows.Add(row);
        return rows;
    }
}
