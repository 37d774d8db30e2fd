using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Ledger.AzureStorage.Tests.Support;
using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.AzureStorage.Tests;

/// <summary>What a writer crash can leave in Blob storage, and how the next writer settles it.</summary>
public sealed class CrashWindowTests(AzuriteFixture azurite) : AzuriteLedgerTests(azurite)
{
    [Fact]
    public async Task A_block_appended_without_its_checkpoint_is_checkpointed_by_the_next_writer_and_not_appended_twice()
    {
        var ledger = await NewLedgerAsync();
        var key = TestLedgers.NewKey();
        await using (var writer = await TestLedgers.OpenWriterAsync(ledger.Store, ledger.Index, TestLedgers.Signer(TestLedgers.SameKey(key))))
        {
            await writer.AppendAllAsync(TestEntries.Numbered(0, 5));
            await TestLedgers.WaitForIndexAsync(writer);
        }

        // The crash: a block reached the segment, and the writer died before signing a checkpoint for it.
        var segment = (await ledger.Store.ListSegmentsAsync(Ct))[^1];
        var orphans = TestEntries.Numbered(5, 3);
        await ledger.Store.AppendBlockAsync(segment.FirstIndex, segment.Length, TestEntries.Block(orphans), Ct);
        Assert.Null(await ledger.Store.ReadObjectAsync(LedgerLayout.Checkpoint(8), Ct));

        var other = Reopen(ledger);
        var signer = TestLedgers.Signer(TestLedgers.SameKey(key));
        await using var reopened = await TestLedgers.OpenWriterAsync(other.Store, other.Index, signer);

        Assert.Equal(8, reopened.Latest.Size);
        Assert.NotNull(await ledger.Store.ReadObjectAsync(LedgerLayout.Checkpoint(8), Ct));
        var retried = await reopened.AppendAsync(orphans[1]);
        Assert.Equal((6L, true), (retried.Index, retried.Existing));
        Assert.Equal(8, reopened.Latest.Size);
        Assert.Equal(8, (await TestLedgers.StoredKeysAsync(ledger.Store)).Distinct().Count());

        await TestLedgers.WaitForIndexAsync(reopened);
        Assert.Equal(6, (await ledger.Index.FindByKeyAsync(orphans[1].Key, Ct))?.Index);
        var report = await TestLedgers.VerifyAsync(ledger.Store, signer.VerifierKey, ledger.Index);
        Assert.True(report.Ok, TestLedgers.Describe(report));
        Assert.Equal(8, report.VerifiedSize);
    }

    [Fact]
    public async Task A_segment_created_with_nothing_in_it_is_taken_up_by_the_next_writer()
    {
        var ledger = await NewLedgerAsync(maxBlocksPerSegment: 2);
        var key = TestLedgers.NewKey();
        await using (var writer = await TestLedgers.OpenWriterAsync(ledger.Store, ledger.Index, TestLedgers.Signer(TestLedgers.SameKey(key))))
        {
            foreach (var entry in TestEntries.Numbered(0, 4)) await writer.AppendAsync(entry);
        }

        // The crash: the roll-over created the next segment, and the writer died before its first block.
        await ledger.Store.CreateSegmentAsync(4, Ct);

        var signer = TestLedgers.Signer(TestLedgers.SameKey(key));
        await using (var reopened = await TestLedgers.OpenWriterAsync(Reopen(ledger, 2).Store, ledger.Index, signer))
        {
            Assert.Equal(4, reopened.Latest.Size);
            Assert.Equal(4, (await reopened.AppendAsync(TestEntries.Numbered(4))).Index);
            await TestLedgers.WaitForIndexAsync(reopened);
        }

        Assert.Equal([0L, 2, 4], (await ledger.Store.ListSegmentsAsync(Ct)).Select(segment => segment.FirstIndex));
        var report = await TestLedgers.VerifyAsync(ledger.Store, signer.VerifierKey, ledger.Index);
        Assert.True(report.Ok, TestLedgers.Describe(report));
        Assert.Equal(5, report.VerifiedSize);
    }
}
