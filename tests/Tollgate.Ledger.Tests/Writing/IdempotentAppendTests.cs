using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Writing;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Writing;

/// <summary>An entry key names one fact: appending it again is a no-op, appending other content under it is refused.</summary>
public class IdempotentAppendTests
{
    [Fact]
    public async Task A_retried_append_returns_the_stored_index_and_writes_nothing()
    {
        var store = new InMemoryLedgerStore();
        var index = new InMemoryLedgerIndex();
        await using var writer = await OpenAsync(store, index, Signer());
        await writer.AppendAllAsync(NumberedEntries(10));
        await WaitForIndexAsync(writer);
        var stored = await SnapshotAsync(store);
        var rows = await RowsAsync(index);

        var first = await writer.AppendAsync(Numbered(4));
        var again = await writer.AppendAsync(LedgerEntryCopy(Numbered(4)));

        foreach (var receipt in new[] { first, again })
        {
            Assert.True(receipt.Existing);
            Assert.Equal(4, receipt.Index);
            Assert.Equal(Numbered(4).Key, receipt.Key);
            Assert.Equal(Convert.ToHexStringLower(writer.LeafHash(4)), receipt.LeafHash);
            Assert.Equal(10, receipt.TreeSize);
        }
        Assert.Equal(stored, await SnapshotAsync(store));
        Assert.Equal(rows, await RowsAsync(index));
        Assert.Equal(10, writer.Latest.Size);
    }

    [Fact]
    public async Task The_same_key_with_other_content_is_a_conflict_and_writes_nothing()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, null, Signer());
        await writer.AppendAllAsync(NumberedEntries(3));
        var stored = await SnapshotAsync(store);

        var e = await Assert.ThrowsAsync<LedgerException>(() => writer.AppendAsync(Entry("incident", Numbered(1).Key)));

        Assert.Equal(LedgerReason.KeyConflict, e.Reason);
        Assert.Contains(Numbered(1).Key, e.Message);
        Assert.Equal(stored, await SnapshotAsync(store));
        Assert.Equal(3, writer.Latest.Size);
    }

    [Fact]
    public async Task Concurrent_appends_of_one_key_resolve_to_one_entry()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, null, Signer());
        var others = NumberedEntries(200);

        var all = await Task.WhenAll(
            others.Select(entry => Task.Run(() => writer.AppendAsync(entry)))
                .Concat(Enumerable.Range(0, 50).Select(_ => Task.Run(() => writer.AppendAsync(Entry("approval", "the-one-key"))))));

        var theOne = all.Where(receipt => receipt.Key == "the-one-key").ToList();
        Assert.Equal(50, theOne.Count);
        Assert.Single(theOne.Select(receipt => receipt.Index).Distinct());
        Assert.Equal(201, writer.Latest.Size);
        Assert.Single(await StoredKeysAsync(store), key => key == "the-one-key");
    }

    [Fact]
    public async Task Concurrent_appends_of_one_key_with_different_content_store_one_and_refuse_the_rest()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, null, Signer());

        var attempts = Enumerable.Range(0, 20)
            .Select(i => Task.Run(() => writer.AppendAsync(Entry("approval", "contested", correlation: $"c-{i}"))))
            .ToList();
        var outcomes = await Task.WhenAll(attempts.Select(async attempt =>
        {
            try { return (Receipt: (AppendReceipt?)await attempt, Error: (LedgerException?)null); }
            catch (LedgerException e) { return (Receipt: (AppendReceipt?)null, Error: (LedgerException?)e); }
        }));

        var stored = await StoredLinesAsync(store);
        var winner = Assert.Single(stored);
        Assert.Equal(1, writer.Latest.Size);
        Assert.All(outcomes.Where(outcome => outcome.Error is not null), outcome => Assert.Equal(LedgerReason.KeyConflict, outcome.Error!.Reason));
        var succeeded = Assert.Single(outcomes, outcome => outcome.Receipt is not null).Receipt!;
        Assert.Equal(0, succeeded.Index);
        Assert.Equal(Convert.ToHexStringLower(Rfc9162Hasher.HashLeaf(winner)), succeeded.LeafHash);
    }

    [Fact]
    public async Task A_retry_after_reopening_finds_the_key()
    {
        var store = new InMemoryLedgerStore();
        var key = NewKey();
        await using (var writer = await OpenAsync(store, null, Signer(SameKey(key))))
            await writer.AppendAllAsync(NumberedEntries(5));

        await using var reopened = await OpenAsync(store, null, Signer(SameKey(key)));
        var receipt = await reopened.AppendAsync(Numbered(3));

        Assert.True(receipt.Existing);
        Assert.Equal(3, receipt.Index);
        Assert.Equal(LedgerReason.KeyConflict, (await Assert.ThrowsAsync<LedgerException>(() => reopened.AppendAsync(Entry("bundle", Numbered(3).Key)))).Reason);
        Assert.Equal(5, (await StoredLinesAsync(store)).Count);
    }

    private static LedgerEntry LedgerEntryCopy(LedgerEntry entry) => LedgerEntry.Parse(entry.Bytes.ToArray());
}
