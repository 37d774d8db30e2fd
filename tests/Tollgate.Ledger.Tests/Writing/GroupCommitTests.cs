using Tollgate.Ledger.Storage;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Writing;

/// <summary>Appends that arrive while a block is being written go out together as the next block.</summary>
public class GroupCommitTests
{
    [Fact]
    public async Task Two_thousand_concurrent_appends_need_far_fewer_blocks_and_checkpoints()
    {
        var store = new BlockRecordingStore(new InMemoryLedgerStore());
        await using var writer = await OpenAsync(store, null, Signer());

        await Task.WhenAll(NumberedEntries(2_000).Select(entry => Task.Run(() => writer.AppendAsync(entry))));

        var checkpoints = (await CheckpointSizesAsync(store)).Count - 1;
        Assert.True(store.Blocks.Count < 200, $"{store.Blocks.Count} blocks for 2,000 concurrent appends: appends are not batched");
        Assert.InRange(checkpoints, 1, store.Blocks.Count);
        Assert.Equal(2_000, store.Blocks.Sum(block => block.Entries));
        Assert.Equal(2_000, writer.Latest.Size);
    }

    [Fact]
    public async Task A_block_holds_at_most_the_configured_number_of_entries()
    {
        var store = new BlockRecordingStore(new InMemoryLedgerStore());
        await using var writer = await OpenAsync(store, null, Signer(), Options(maxBatchEntries: 10));

        await Task.WhenAll(NumberedEntries(300).Select(entry => Task.Run(() => writer.AppendAsync(entry))));

        Assert.All(store.Blocks, block => Assert.InRange(block.Entries, 1, 10));
        Assert.Equal(300, store.Blocks.Sum(block => block.Entries));
        Assert.Equal(300, (await CheckpointSizesAsync(store))[^1]);
    }

    [Fact]
    public async Task A_block_stays_within_the_stores_block_size()
    {
        var store = new BlockRecordingStore(new InMemoryLedgerStore(), maxBlockBytes: 2_000);
        await using var writer = await OpenAsync(store, null, Signer());
        var entries = NumberedEntries(100);

        await Task.WhenAll(entries.Select(entry => Task.Run(() => writer.AppendAsync(entry))));

        Assert.All(store.Blocks, block => Assert.InRange(block.Bytes, 1, 2_000));
        Assert.Equal(entries.Sum(entry => entry.Bytes.Length + 1), store.Blocks.Sum(block => block.Bytes));
    }

    [Fact]
    public async Task Sequential_appends_are_each_checkpointed_at_once()
    {
        var store = new BlockRecordingStore(new InMemoryLedgerStore());
        await using var writer = await OpenAsync(store, null, Signer(), Options() with { CheckpointInterval = TimeSpan.FromHours(1) });

        for (var i = 0; i < 5; i++) Assert.Equal(i + 1, (await writer.AppendAsync(Numbered(i))).TreeSize);

        Assert.Equal([0L, 1, 2, 3, 4, 5], await CheckpointSizesAsync(store));
    }

    /// <summary>Records every block a writer appends: its size in bytes and in entries.</summary>
    private sealed class BlockRecordingStore(InMemoryLedgerStore inner, int? maxBlockBytes = null) : LedgerStore
    {
        private readonly List<(int Bytes, int Entries)> blocks = [];
        public IReadOnlyList<(int Bytes, int Entries)> Blocks { get { lock (blocks) return [.. blocks]; } }
        public override int MaxBlockBytes => maxBlockBytes ?? inner.MaxBlockBytes;
        public override int MaxBlocksPerSegment => inner.MaxBlocksPerSegment;
        public override Task<IReadOnlyList<SegmentInfo>> ListSegmentsAsync(CancellationToken cancellationToken) => inner.ListSegmentsAsync(cancellationToken);
        public override Task CreateSegmentAsync(long firstIndex, CancellationToken cancellationToken) => inner.CreateSegmentAsync(firstIndex, cancellationToken);

        public override async Task<SegmentInfo> AppendBlockAsync(long firstIndex, long expectedLength, ReadOnlyMemory<byte> block, CancellationToken cancellationToken)
        {
            var info = await inner.AppendBlockAsync(firstIndex, expectedLength, block, cancellationToken);
            lock (blocks) blocks.Add((block.Length, block.Span.Count((byte)'\n')));
            return info;
        }

        public override Task<byte[]> ReadSegmentAsync(long firstIndex, long offset, long? count, CancellationToken cancellationToken) =>
            inner.ReadSegmentAsync(firstIndex, offset, count, cancellationToken);
        public override Task<bool> TryCreateObjectAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
            inner.TryCreateObjectAsync(name, content, cancellationToken);
        public override Task<byte[]?> ReadObjectAsync(string name, CancellationToken cancellationToken) => inner.ReadObjectAsync(name, cancellationToken);
        public override Task<IReadOnlyList<string>> ListObjectsAsync(string prefix, CancellationToken cancellationToken) => inner.ListObjectsAsync(prefix, cancellationToken);
    }
}
