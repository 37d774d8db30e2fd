using Tollgate.Ledger.Storage;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Writing;

/// <summary>An append blob takes a bounded number of blocks; the writer then starts the next segment.</summary>
public class SegmentRollOverTests
{
    [Fact]
    public async Task Sequential_appends_fill_each_segment_to_its_block_limit()
    {
        var store = new InMemoryLedgerStore(maxBlocksPerSegment: 3);
        var entries = NumberedEntries(10);
        await using var writer = await OpenAsync(store, null, Signer());

        foreach (var entry in entries) await writer.AppendAsync(entry);

        var segments = await store.ListSegmentsAsync(default);
        Assert.Equal([0L, 3, 6, 9], segments.Select(segment => segment.FirstIndex));
        Assert.Equal([3, 3, 3, 1], segments.Select(segment => segment.BlockCount));
        for (var i = 0; i < entries.Length; i++) Assert.Equal(entries[i].Bytes, await writer.ReadEntryAsync(i));
        Assert.True((await VerifyAsync(store, writer.VerifierKey)).Ok);
    }

    [Fact]
    public async Task A_reopened_writer_continues_the_last_segment_then_rolls_over()
    {
        var store = new InMemoryLedgerStore(maxBlocksPerSegment: 3);
        var key = NewKey();
        await using (var writer = await OpenAsync(store, null, Signer(SameKey(key))))
        {
            foreach (var entry in NumberedEntries(4)) await writer.AppendAsync(entry);
        }

        await using var reopened = await OpenAsync(store, null, Signer(SameKey(key)));
        for (var i = 4; i < 8; i++) Assert.Equal(i, (await reopened.AppendAsync(Numbered(i))).Index);

        var segments = await store.ListSegmentsAsync(default);
        Assert.Equal([0L, 3, 6], segments.Select(segment => segment.FirstIndex));
        Assert.Equal([3, 3, 2], segments.Select(segment => segment.BlockCount));
        Assert.Equal(NumberedEntries(8).Select(entry => entry.Key), await StoredKeysAsync(store));
        Assert.True((await VerifyAsync(store, reopened.VerifierKey)).Ok);
    }

    [Fact]
    public async Task Concurrent_appends_across_many_segments_stay_in_order()
    {
        var store = new InMemoryLedgerStore(maxBlocksPerSegment: 2);
        await using var writer = await OpenAsync(store, null, Signer(), Options(maxBatchEntries: 4));
        var entries = NumberedEntries(200);

        var receipts = await Task.WhenAll(entries.Select(entry => Task.Run(() => writer.AppendAsync(entry))));

        var segments = await store.ListSegmentsAsync(default);
        Assert.True(segments.Count >= 200 / 4 / 2, $"only {segments.Count} segments");
        Assert.All(segments, segment => Assert.InRange(segment.BlockCount, 1, 2));
        var lines = await StoredLinesAsync(store);
        for (var i = 0; i < entries.Length; i++) Assert.Equal(entries[i].Bytes, lines[(int)receipts[i].Index]);
        for (var i = 0; i < entries.Length; i++) Assert.Equal(entries[i].Bytes, await writer.ReadEntryAsync(receipts[i].Index));
        Assert.True((await VerifyAsync(store, writer.VerifierKey)).Ok);
    }
}
