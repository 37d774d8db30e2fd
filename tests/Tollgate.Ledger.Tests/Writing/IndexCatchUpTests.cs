using Tollgate.Ledger.Index;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Tests.Storage;
using Tollgate.Ledger.Writing;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Writing;

/// <summary>The lookup index follows the writer and is complete once <see cref="LedgerWriter.IndexLag"/> is 0.</summary>
public class IndexCatchUpTests
{
    [Fact]
    public async Task The_in_memory_index_catches_up_and_finds_by_key_correlation_and_time()
    {
        var store = new InMemoryLedgerStore(maxBlocksPerSegment: 5);
        var index = new InMemoryLedgerIndex();
        await using var writer = await OpenAsync(store, index, Signer());

        await AppendAndCheckLookupsAsync(writer, store, index);
    }

    [Fact]
    public async Task The_folder_index_catches_up_and_finds_by_key_correlation_and_time()
    {
        using var folder = new TempFolder();
        var store = new TestStore(new DirectoryLedgerStore(folder.Path), maxBlocksPerSegment: 5);
        var index = new DirectoryLedgerIndex(folder.Path);
        await using var writer = await OpenAsync(store, index, Signer());

        await AppendAndCheckLookupsAsync(writer, store, index);
    }

    [Fact]
    public async Task A_writer_opened_with_an_index_that_is_behind_fills_it_in()
    {
        var store = new InMemoryLedgerStore();
        var key = NewKey();
        await using (var writer = await OpenAsync(store, null, Signer(SameKey(key)))) await writer.AppendAllAsync(NumberedEntries(50));
        var index = new InMemoryLedgerIndex();

        await using var reopened = await OpenAsync(store, index, Signer(SameKey(key)));
        await WaitForIndexAsync(reopened);

        Assert.Equal(50, await index.GetIndexedSizeAsync(default));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), (await RowsAsync(index)).Select(row => row.Index));
        Assert.Equal(17, (await index.FindByKeyAsync(Numbered(17).Key, default))!.Index);
    }

    [Fact]
    public async Task A_failing_index_is_retried_and_does_not_fail_appends()
    {
        var index = new FlakyIndex(failures: 2);
        await using var writer = await OpenAsync(new InMemoryLedgerStore(), index, Signer());

        var receipts = await writer.AppendAllAsync(NumberedEntries(20));
        await WaitForIndexAsync(writer);

        Assert.Equal(20, receipts.Count);
        Assert.True(index.Failed > 2);
        Assert.Equal(20, await index.GetIndexedSizeAsync(default));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), (await RowsAsync(index)).Select(row => row.Index));
    }

    [Fact]
    public async Task Disposing_the_writer_flushes_the_index()
    {
        var index = new InMemoryLedgerIndex();
        var writer = await OpenAsync(new InMemoryLedgerStore(), index, Signer());
        await writer.AppendAllAsync(NumberedEntries(500));

        await writer.DisposeAsync();

        Assert.Equal(0, writer.IndexLag);
        Assert.Equal(500, await index.GetIndexedSizeAsync(default));
    }

    private static async Task AppendAndCheckLookupsAsync(LedgerWriter writer, LedgerStore store, LedgerIndexStore index)
    {
        var entries = NumberedEntries(140);
        for (var wave = 0; wave < entries.Length; wave += 20)
            await Task.WhenAll(entries.Skip(wave).Take(20).Select(entry => Task.Run(() => writer.AppendAsync(entry))));
        await WaitForIndexAsync(writer);

        Assert.Equal(140, await index.GetIndexedSizeAsync(default));
        var lines = await StoredLinesAsync(store);
        foreach (var entry in entries)
        {
            var row = await index.FindByKeyAsync(entry.Key, default);
            Assert.NotNull(row);
            Assert.Equal(entry.Bytes, lines[(int)row.Index]);
            Assert.Equal(entry.Kind, row.Kind);
            Assert.Equal(entry.Fields.CorrelationId, row.CorrelationId);
            Assert.Equal(entry.Fields.Time, row.Time);
            Assert.Equal(Convert.ToHexStringLower(Rfc9162Hasher.HashLeaf(entry.Bytes)), row.LeafHash);
            Assert.Equal(entry.Bytes.Length, row.Length);
            Assert.Equal(entry.Bytes, await store.ReadSegmentAsync(row.SegmentFirstIndex, row.Offset, row.Length, default));
            Assert.Equal(row, await index.GetAsync(row.Index, default));
        }
        Assert.Null(await index.FindByKeyAsync("no-such-key", default));

        var byCorrelation = await index.FindByCorrelationAsync("corr-3", 1_000, default);
        Assert.Equal(entries.Where(entry => entry.Fields.CorrelationId == "corr-3").Select(entry => entry.Key).Order(), byCorrelation.Select(row => row.Key).Order());
        Assert.Equal(byCorrelation.Select(row => row.Index).Order(), byCorrelation.Select(row => row.Index));
        Assert.Equal(5, (await index.FindByCorrelationAsync("corr-3", 5, default)).Count);

        var byTime = await index.FindByTimeAsync(T0.AddSeconds(30), T0.AddSeconds(40), 1_000, default);
        Assert.Equal(entries[30..40].Select(entry => entry.Key).Order(), byTime.Select(row => row.Key).Order());
        Assert.Equal(3, (await index.FindByTimeAsync(T0, T0.AddDays(1), 3, default)).Count);
        Assert.Empty(await index.FindByTimeAsync(T0.AddSeconds(140), T0.AddDays(1), 1_000, default));
    }

    private sealed class FlakyIndex(int failures) : LedgerIndexStore
    {
        private readonly InMemoryLedgerIndex inner = new();
        private int failed;

        public int Failed => Volatile.Read(ref failed);

        public override Task AddAsync(IReadOnlyList<IndexedEntry> entries, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref failed) <= failures ? throw new IOException("index unavailable") : inner.AddAsync(entries, cancellationToken);

        public override Task<long> GetIndexedSizeAsync(CancellationToken cancellationToken) => inner.GetIndexedSizeAsync(cancellationToken);
        public override Task SetIndexedSizeAsync(long size, CancellationToken cancellationToken) => inner.SetIndexedSizeAsync(size, cancellationToken);
        public override Task<IndexedEntry?> FindByKeyAsync(string key, CancellationToken cancellationToken) => inner.FindByKeyAsync(key, cancellationToken);
        public override Task<IReadOnlyList<IndexedEntry>> FindByCorrelationAsync(string correlationId, int limit, CancellationToken cancellationToken) =>
            inner.FindByCorrelationAsync(correlationId, limit, cancellationToken);
        public override Task<IReadOnlyList<IndexedEntry>> FindByTimeAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
            inner.FindByTimeAsync(from, to, limit, cancellationToken);
        public override Task<IndexedEntry?> GetAsync(long index, CancellationToken cancellationToken) => inner.GetAsync(index, cancellationToken);
        public override IAsyncEnumerable<IndexRecord> ReadAllAsync(CancellationToken cancellationToken) => inner.ReadAllAsync(cancellationToken);
    }
}
