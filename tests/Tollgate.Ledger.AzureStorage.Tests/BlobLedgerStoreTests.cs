using System.Text;
using Azure.Storage.Blobs.Models;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Ledger.AzureStorage.Tests.Support;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.AzureStorage.Tests;

/// <summary>The store's conditions on Azurite: nothing is overwritten, appends land only where expected.</summary>
public sealed class BlobLedgerStoreTests(AzuriteFixture azurite) : AzuriteLedgerTests(azurite)
{
    [Fact]
    public async Task A_write_once_object_is_created_once_and_never_overwritten()
    {
        var store = (await NewLedgerAsync()).Store;
        foreach (var name in new[] { LedgerLayout.Checkpoint(7), LedgerLayout.VerifierKey, LedgerLayout.Object(new string('a', 64)), LedgerLayout.BundleManifest(new string('b', 64)) })
        {
            Assert.True(await store.TryCreateObjectAsync(name, "first"u8.ToArray(), Ct));
            Assert.False(await store.TryCreateObjectAsync(name, "second"u8.ToArray(), Ct));
            Assert.False(await store.TryCreateObjectAsync(name, "first"u8.ToArray(), Ct));
            Assert.Equal("first", Encoding.UTF8.GetString((await store.ReadObjectAsync(name, Ct))!));
        }
        Assert.Null(await store.ReadObjectAsync(LedgerLayout.Checkpoint(8), Ct));
    }

    [Fact]
    public async Task Objects_are_listed_by_prefix_in_ordinal_order_without_segments()
    {
        var store = (await NewLedgerAsync()).Store;
        string[] names = ["objects/sha256/b", "objects/sha256/a", "objects/sha256/B", "bundles/x.json", LedgerLayout.Checkpoint(10), LedgerLayout.Checkpoint(9)];
        foreach (var name in names) Assert.True(await store.TryCreateObjectAsync(name, "x"u8.ToArray(), Ct));
        await store.CreateSegmentAsync(0, Ct);

        Assert.Equal(["objects/sha256/B", "objects/sha256/a", "objects/sha256/b"], await store.ListObjectsAsync("objects/", Ct));
        Assert.Equal([LedgerLayout.Checkpoint(9), LedgerLayout.Checkpoint(10)], await store.ListObjectsAsync(LedgerLayout.CheckpointPrefix, Ct));
        Assert.Equal(names.Order(StringComparer.Ordinal), await store.ListObjectsAsync("", Ct));
        Assert.Empty(await store.ListObjectsAsync("nothing/", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryCreateObjectAsync(LedgerLayout.Segment(5), "x"u8.ToArray(), Ct));
    }

    [Fact]
    public async Task Creating_a_segment_that_exists_is_a_conflict()
    {
        var store = (await NewLedgerAsync()).Store;
        await store.CreateSegmentAsync(0, Ct);
        await store.AppendBlockAsync(0, 0, "{}\n"u8.ToArray(), Ct);

        var e = await Assert.ThrowsAsync<LedgerWriteConflictException>(() => store.CreateSegmentAsync(0, Ct));

        Assert.Equal(LedgerLayout.Segment(0), e.Name);
        Assert.Equal("{}\n", Encoding.UTF8.GetString(await store.ReadSegmentAsync(0, 0, null, Ct)));
    }

    [Fact]
    public async Task An_append_at_another_position_is_a_conflict_and_leaves_the_segment_unchanged()
    {
        var store = (await NewLedgerAsync()).Store;
        await store.CreateSegmentAsync(0, Ct);
        var first = await store.AppendBlockAsync(0, 0, "abc\n"u8.ToArray(), Ct);
        Assert.Equal(new SegmentInfo(0, 4, 1), first);

        await Assert.ThrowsAsync<LedgerWriteConflictException>(() => store.AppendBlockAsync(0, 0, "xyz\n"u8.ToArray(), Ct));
        await Assert.ThrowsAsync<LedgerWriteConflictException>(() => store.AppendBlockAsync(0, 3, "xyz\n"u8.ToArray(), Ct));
        await Assert.ThrowsAsync<LedgerWriteConflictException>(() => store.AppendBlockAsync(0, 10, "xyz\n"u8.ToArray(), Ct));

        Assert.Equal("abc\n", Encoding.UTF8.GetString(await store.ReadSegmentAsync(0, 0, null, Ct)));
        Assert.Equal([new SegmentInfo(0, 4, 1)], await store.ListSegmentsAsync(Ct));
        Assert.Equal(new SegmentInfo(0, 8, 2), await store.AppendBlockAsync(0, 4, "def\n"u8.ToArray(), Ct));
    }

    [Fact]
    public async Task An_append_to_a_missing_segment_is_NotFound()
    {
        var store = (await NewLedgerAsync()).Store;

        var e = await Assert.ThrowsAsync<LedgerException>(() => store.AppendBlockAsync(3, 0, "abc\n"u8.ToArray(), Ct));

        Assert.Equal(LedgerReason.NotFound, e.Reason);
        Assert.Contains(LedgerLayout.Segment(3), e.Message);
    }

    [Fact]
    public async Task A_block_over_4_MiB_is_refused_before_it_is_sent()
    {
        var store = (await NewLedgerAsync()).Store;
        await store.CreateSegmentAsync(0, Ct);

        var e = await Assert.ThrowsAsync<LedgerException>(() => store.AppendBlockAsync(0, 0, new byte[store.MaxBlockBytes + 1], Ct));

        Assert.Equal(LedgerReason.TooLarge, e.Reason);
        Assert.Equal([new SegmentInfo(0, 0, 0)], await store.ListSegmentsAsync(Ct));
    }

    [Fact]
    public async Task Segment_reads_are_ranged()
    {
        var store = (await NewLedgerAsync()).Store;
        await store.CreateSegmentAsync(0, Ct);
        Assert.Empty(await store.ReadSegmentAsync(0, 0, null, Ct));
        await store.AppendBlockAsync(0, 0, "0123\n"u8.ToArray(), Ct);
        await store.AppendBlockAsync(0, 5, "56789\n"u8.ToArray(), Ct);

        async Task<string> Read(long offset, long? count) => Encoding.UTF8.GetString(await store.ReadSegmentAsync(0, offset, count, Ct));
        Assert.Equal("0123\n56789\n", await Read(0, null));
        Assert.Equal("3\n56", await Read(3, 4));
        Assert.Equal("789\n", await Read(7, null));
        Assert.Equal("789\n", await Read(7, 100));
        Assert.Equal("", await Read(11, null));
        Assert.Equal("", await Read(20, 3));
        Assert.Equal("", await Read(2, 0));

        var e = await Assert.ThrowsAsync<LedgerException>(() => store.ReadSegmentAsync(11, 0, null, Ct));
        Assert.Equal(LedgerReason.NotFound, e.Reason);
    }

    [Fact]
    public async Task Segments_are_listed_by_first_index_with_their_length_and_block_count()
    {
        var ledger = await NewLedgerAsync();
        var store = ledger.Store;
        foreach (var first in new long[] { 12, 0, 5 }) await store.CreateSegmentAsync(first, Ct);
        await store.AppendBlockAsync(0, 0, "a\n"u8.ToArray(), Ct);
        await store.AppendBlockAsync(0, 2, "bb\n"u8.ToArray(), Ct);
        await store.AppendBlockAsync(5, 0, "ccc\n"u8.ToArray(), Ct);
        // Not a segment name: left out, as in the other stores.
        await RawContainer(ledger).GetBlobClient(LedgerLayout.SegmentPrefix + "notes.txt").UploadAsync(BinaryData.FromString("x"), Ct);

        Assert.Equal([new SegmentInfo(0, 5, 2), new SegmentInfo(5, 4, 1), new SegmentInfo(12, 0, 0)], await store.ListSegmentsAsync(Ct));
        var blob = await RawContainer(ledger).GetBlobClient(LedgerLayout.Segment(0)).GetPropertiesAsync(cancellationToken: Ct);
        Assert.Equal(BlobType.Append, blob.Value.BlobType);
    }

    [Fact]
    public async Task Listing_segments_costs_one_listing_and_one_properties_read_per_segment()
    {
        var ledger = await NewLedgerAsync();
        for (long first = 0; first < 5; first++) await ledger.Store.CreateSegmentAsync(first, Ct);
        var counter = new RequestCounter();

        Assert.Equal(5, (await Counted(ledger, counter).Store.ListSegmentsAsync(Ct)).Count);

        Assert.Equal(1 + 5, counter.Count);
    }

    [Fact]
    public async Task A_store_whose_container_is_missing_says_so()
    {
        var ledger = await NewLedgerAsync();
        await ledger.DeleteAsync(Ct);
        var store = ledger.Store;

        foreach (var call in new Func<Task>[]
                 {
                     () => store.ListSegmentsAsync(Ct),
                     () => store.ListObjectsAsync(LedgerLayout.CheckpointPrefix, Ct),
                     () => store.TryCreateObjectAsync(LedgerLayout.VerifierKey, "k"u8.ToArray(), Ct),
                     () => store.ReadObjectAsync(LedgerLayout.VerifierKey, Ct),
                     () => store.CreateSegmentAsync(0, Ct),
                 })
        {
            var e = await Assert.ThrowsAsync<LedgerException>(call);
            Assert.Equal(LedgerReason.NotFound, e.Reason);
            Assert.Contains($"'{ledger.Names.Container}'", e.Message);
        }
    }

    [Fact]
    public async Task The_writer_rolls_over_to_a_new_segment_every_MaxBlocksPerSegment_blocks()
    {
        var ledger = await NewLedgerAsync(maxBlocksPerSegment: 3);
        Assert.Equal(3, ledger.Store.MaxBlocksPerSegment);
        var signer = TestLedgers.Signer();
        var entries = TestEntries.Numbered(0, 10);
        await using (var writer = await TestLedgers.OpenWriterAsync(ledger.Store, ledger.Index, signer))
        {
            // One at a time: each append is its own block.
            foreach (var entry in entries) await writer.AppendAsync(entry);

            var segments = await ledger.Store.ListSegmentsAsync(Ct);
            Assert.Equal([0L, 3, 6, 9], segments.Select(segment => segment.FirstIndex));
            Assert.Equal([3, 3, 3, 1], segments.Select(segment => segment.BlockCount));
            var names = new List<string>();
            await foreach (var blob in RawContainer(ledger).GetBlobsAsync(BlobTraits.None, BlobStates.None, LedgerLayout.SegmentPrefix, Ct)) names.Add(blob.Name);
            Assert.Equal(segments.Select(segment => LedgerLayout.Segment(segment.FirstIndex)), names);

            var size = writer.Latest.Size;
            Assert.Equal(10, size);
            var root = writer.RootHash(size);
            for (var i = 0; i < entries.Length; i++)
            {
                Assert.Equal(entries[i].Bytes, await writer.ReadEntryAsync(i));
                MerkleProofs.VerifyInclusion(i, size, Rfc9162Hasher.HashLeaf(entries[i].Bytes), writer.InclusionProof(i, size), root);
            }
            await TestLedgers.WaitForIndexAsync(writer);
        }

        var report = await TestLedgers.VerifyAsync(Reopen(ledger).Store, signer.VerifierKey, ledger.Index);
        Assert.True(report.Ok, TestLedgers.Describe(report));
        Assert.Equal(10, report.VerifiedSize);
    }
}
