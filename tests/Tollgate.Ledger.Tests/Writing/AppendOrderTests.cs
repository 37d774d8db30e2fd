using Tollgate.Ledger.Index;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Storage;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Writing;

public class AppendOrderTests
{
    [Fact]
    public async Task Sequential_appends_get_consecutive_indexes_each_under_its_own_checkpoint()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, null, Signer());
        var entries = NumberedEntries(40);

        for (var i = 0; i < entries.Length; i++)
        {
            var receipt = await writer.AppendAsync(entries[i]);

            Assert.Equal(i, receipt.Index);
            Assert.Equal(entries[i].Key, receipt.Key);
            Assert.False(receipt.Existing);
            Assert.Equal(i + 1, receipt.TreeSize);
            Assert.Equal(Convert.ToHexStringLower(Rfc9162Hasher.HashLeaf(entries[i].Bytes)), receipt.LeafHash);
        }

        Assert.Equal(40, writer.Latest.Size);
        for (var i = 0; i < entries.Length; i++)
        {
            Assert.Equal(entries[i].Bytes, await writer.ReadEntryAsync(i));
            Assert.Equal(i, writer.Find(entries[i].Key));
            Assert.Equal(Rfc9162Hasher.HashLeaf(entries[i].Bytes), writer.LeafHash(i));
        }
        Assert.Equal(entries.Select(entry => entry.Key), await StoredKeysAsync(store));
    }

    [Fact]
    public async Task Five_thousand_concurrent_appends_get_unique_consecutive_indexes()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, new InMemoryLedgerIndex(), Signer());
        var entries = NumberedEntries(5_000);

        var receipts = await Task.WhenAll(entries.Select(entry => Task.Run(() => writer.AppendAsync(entry))));

        Assert.Equal(Enumerable.Range(0, 5_000).Select(i => (long)i), receipts.Select(receipt => receipt.Index).Order());
        Assert.All(receipts, receipt => Assert.InRange(receipt.TreeSize, receipt.Index + 1, 5_000));
        Assert.All(receipts, receipt => Assert.False(receipt.Existing));
        Assert.Equal(5_000, writer.Latest.Size);
        var lines = await StoredLinesAsync(store);
        Assert.Equal(5_000, lines.Count);
        for (var i = 0; i < entries.Length; i++)
            Assert.Equal(entries[i].Bytes, lines[(int)receipts[i].Index]);
    }

    [Fact]
    public async Task Entries_beyond_the_latest_checkpoint_are_out_of_range()
    {
        await using var writer = await OpenAsync(new InMemoryLedgerStore(), null, Signer());
        await writer.AppendAllAsync(NumberedEntries(3));

        Assert.Equal(LedgerReason.BadRange, (await Assert.ThrowsAsync<LedgerException>(() => writer.ReadEntryAsync(3))).Reason);
        Assert.Equal(LedgerReason.BadRange, (await Assert.ThrowsAsync<LedgerException>(() => writer.ReadEntryAsync(-1))).Reason);
        Assert.Equal(LedgerReason.BadRange, Assert.Throws<LedgerException>(() => writer.LeafHash(3)).Reason);
        Assert.Equal(LedgerReason.BadRange, Assert.Throws<LedgerException>(() => writer.RootHash(4)).Reason);
        Assert.Equal(LedgerReason.BadRange, Assert.Throws<LedgerException>(() => writer.InclusionProof(2, 2)).Reason);
        Assert.Equal(LedgerReason.BadRange, Assert.Throws<LedgerException>(() => writer.InclusionProof(0, 4)).Reason);
        Assert.Equal(LedgerReason.BadRange, Assert.Throws<LedgerException>(() => writer.ConsistencyProof(3, 2)).Reason);
        Assert.Null(writer.Find("never-appended"));
    }

    [Fact]
    public async Task A_new_ledger_starts_with_a_signed_empty_checkpoint_and_its_verifier_key()
    {
        var store = new InMemoryLedgerStore();
        var signer = Signer();
        await using var writer = await OpenAsync(store, null, signer);

        Assert.Equal(0, writer.Latest.Size);
        Assert.Equal(Rfc9162Hasher.EmptyRoot, writer.Latest.RootHash);
        Assert.Equal([LedgerLayout.Checkpoint(0)], await CheckpointNamesAsync(store));
        Assert.Equal(signer.VerifierKey + "\n", System.Text.Encoding.UTF8.GetString((await store.ReadObjectAsync(LedgerLayout.VerifierKey, default))!));
        Assert.Equal(signer.VerifierKey, writer.VerifierKey);
        Assert.Equal(Origin, writer.Origin);
        Assert.Empty(await store.ListSegmentsAsync(default));
    }
}
