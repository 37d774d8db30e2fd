using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Ledger.AzureStorage.Tests.Support;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Writing;
using Xunit.Abstractions;

namespace Tollgate.Ledger.AzureStorage.Tests;

/// <summary>The ledger writer end to end on Blob storage and the Tables index.</summary>
public sealed class LedgerWriterOnAzuriteTests(AzuriteFixture azurite, ITestOutputHelper output) : AzuriteLedgerTests(azurite)
{
    [Fact]
    public async Task Two_thousand_concurrent_appends_get_every_index_once_and_the_ledger_verifies()
    {
        var ledger = await NewLedgerAsync();
        var signer = TestLedgers.Signer();
        var entries = TestEntries.Numbered(0, 2000);
        await using var writer = await TestLedgers.OpenWriterAsync(ledger.Store, ledger.Index, signer);

        var receipts = await Task.WhenAll(entries.Select(entry => Task.Run(() => writer.AppendAsync(entry))));

        Assert.Equal(Enumerable.Range(0, 2000).Select(i => (long)i), receipts.Select(receipt => receipt.Index).Order());
        Assert.All(receipts, receipt => Assert.False(receipt.Existing));
        Assert.Equal(2000, writer.Latest.Size);
        var indexOf = receipts.ToDictionary(receipt => receipt.Key, receipt => receipt.Index);

        // A retried append: same index, nothing written.
        var retried = await writer.AppendAsync(TestEntries.Numbered(17));
        Assert.True(retried.Existing);
        Assert.Equal(indexOf["k-000017"], retried.Index);
        Assert.Equal(2000, writer.Latest.Size);
        Assert.Equal(2000, (await TestLedgers.StoredKeysAsync(ledger.Store)).Distinct().Count());

        // The index catches up and answers.
        await TestLedgers.WaitForIndexAsync(writer);
        Assert.Equal(2000, await ledger.Index.GetIndexedSizeAsync(Ct));
        foreach (var i in new[] { 0, 17, 999, 1999 })
        {
            var found = await ledger.Index.FindByKeyAsync($"k-{i:D6}", Ct);
            Assert.NotNull(found);
            Assert.Equal(indexOf[$"k-{i:D6}"], found.Index);
            Assert.Equal(entries[i].Bytes, await writer.ReadEntryAsync(found.Index));
        }
        var correlated = await ledger.Index.FindByCorrelationAsync("corr-3", 1000, Ct);
        Assert.Equal(
            entries.Where((_, i) => TestEntries.Correlation(i) == "corr-3").Select(entry => indexOf[entry.Key]).Order(),
            correlated.Select(entry => entry.Index));
        Assert.All(correlated, entry => Assert.Equal("corr-3", entry.CorrelationId));
        var inWindow = await ledger.Index.FindByTimeAsync(TestEntries.T0.AddSeconds(100), TestEntries.T0.AddSeconds(200), 1000, Ct);
        Assert.Equal(Enumerable.Range(100, 100).Select(i => $"k-{i:D6}").Order(StringComparer.Ordinal), inWindow.Select(entry => entry.Key).Order(StringComparer.Ordinal));
        Assert.Equal(inWindow.Select(entry => entry.Index).Order(), inWindow.Select(entry => entry.Index));

        var report = await TestLedgers.VerifyAsync(ledger.Store, signer.VerifierKey, ledger.Index);
        Assert.True(report.Ok, TestLedgers.Describe(report));
        Assert.Equal(2000, report.VerifiedSize);
        Assert.Equal(6000, report.IndexRowsChecked); // entry, key and correlation row of every entry
    }

    [Fact]
    public async Task A_writer_reopened_on_the_same_storage_sees_everything()
    {
        var ledger = await NewLedgerAsync(maxBlocksPerSegment: 4);
        var key = TestLedgers.NewKey();
        var entries = TestEntries.Numbered(0, 300);
        IReadOnlyList<AppendReceipt> receipts;
        byte[] root;
        await using (var first = await TestLedgers.OpenWriterAsync(ledger.Store, ledger.Index, TestLedgers.Signer(TestLedgers.SameKey(key))))
        {
            receipts = [.. (await Task.WhenAll(entries[..150].Select(entry => first.AppendAsync(entry)))), .. await first.AppendAllAsync(entries[150..])];
            root = first.RootHash(300);
            await TestLedgers.WaitForIndexAsync(first);
        }

        var other = Reopen(ledger, maxBlocksPerSegment: 4);
        await using var second = await TestLedgers.OpenWriterAsync(other.Store, other.Index, TestLedgers.Signer(TestLedgers.SameKey(key)));

        Assert.Equal(300, second.Latest.Size);
        Assert.Equal(root, second.RootHash(300));
        Assert.Equal(0, second.IndexLag);
        foreach (var receipt in receipts)
        {
            Assert.Equal(receipt.Index, second.Find(receipt.Key));
        }
        Assert.Equal(entries[42].Bytes, await second.ReadEntryAsync(receipts[42].Index));
        var again = await second.AppendAsync(entries[42]);
        Assert.Equal((receipts[42].Index, true), (again.Index, again.Existing));
        Assert.Equal(300, (await second.AppendAsync(TestEntries.Numbered(300))).Index);
    }

    [Fact]
    public async Task A_second_signing_key_cannot_open_the_ledger()
    {
        var ledger = await NewLedgerAsync();
        await using (var writer = await TestLedgers.OpenWriterAsync(ledger.Store, ledger.Index, TestLedgers.Signer()))
            await writer.AppendAsync(TestEntries.Numbered(0));

        var e = await Assert.ThrowsAsync<LedgerException>(() => TestLedgers.OpenWriterAsync(ledger.Store, ledger.Index, TestLedgers.Signer()));

        Assert.Equal("LEDGER_KEY_MISMATCH", e.Reason);
    }

    [Fact]
    public async Task Two_writers_appending_at_once_to_one_ledger_leave_it_consistent()
    {
        var ledger = await NewLedgerAsync(maxBlocksPerSegment: 20);
        var other = Reopen(ledger, maxBlocksPerSegment: 20);
        var key = TestLedgers.NewKey();
        var signer = TestLedgers.Signer(TestLedgers.SameKey(key));
        await using var a = await TestLedgers.OpenWriterAsync(ledger.Store, ledger.Index, signer);
        await using var b = await TestLedgers.OpenWriterAsync(other.Store, other.Index, TestLedgers.Signer(TestLedgers.SameKey(key)));

        // Keys 200-399 are appended by both: each must land once, and both writers must report the same index.
        var fromA = Appends(a, TestEntries.Numbered(0, 400));
        var fromB = Appends(b, TestEntries.Numbered(200, 400));
        var receiptsA = await fromA;
        var receiptsB = await fromB;

        var stored = await TestLedgers.StoredKeysAsync(ledger.Store);
        Assert.Equal(600, stored.Count);
        Assert.Equal(600, stored.Distinct().Count());
        var indexOf = stored.Select((storedKey, i) => (storedKey, i)).ToDictionary(pair => pair.storedKey, pair => (long)pair.i);
        Assert.All(receiptsA.Concat(receiptsB), receipt => Assert.Equal(indexOf[receipt.Key], receipt.Index));
        Assert.True((await ledger.Store.ListSegmentsAsync(Ct)).Count > 1);

        await TestLedgers.WaitForIndexAsync(a);
        await TestLedgers.WaitForIndexAsync(b);
        var report = await TestLedgers.VerifyAsync(ledger.Store, signer.VerifierKey, ledger.Index);
        Assert.True(report.Ok, TestLedgers.Describe(report));
        Assert.Equal(600, report.StoredEntries);
        Assert.Equal(600, report.VerifiedSize);
        output.WriteLine($"appends retried after LEDGER_UNAVAILABLE: {unavailable}");
    }

    /// <summary>
    /// Appends in waves of concurrent calls, so the two writers interleave many blocks. An append refused as
    /// LEDGER_UNAVAILABLE (the other writer kept winning the append position) is appended again, as the writer's
    /// contract says is safe; the test counts those.
    /// </summary>
    private async Task<List<AppendReceipt>> Appends(LedgerWriter writer, LedgerEntry[] entries)
    {
        await Task.Yield();
        var receipts = new List<AppendReceipt>();
        foreach (var wave in entries.Chunk(25)) receipts.AddRange(await Task.WhenAll(wave.Select(entry => AppendAsync(writer, entry))));
        return receipts;
    }

    private int unavailable;

    private async Task<AppendReceipt> AppendAsync(LedgerWriter writer, LedgerEntry entry)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await writer.AppendAsync(entry); }
            catch (LedgerException e) when (e.Reason == LedgerReason.Unavailable && attempt < 10)
            {
                Interlocked.Increment(ref unavailable);
                await Task.Delay(Random.Shared.Next(5, 50));
            }
        }
    }
}
