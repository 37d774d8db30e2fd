using Tollgate.Ledger.Storage;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Writing;

/// <summary>Several writers on one ledger are fenced by the append-position condition.</summary>
public class SharedStoreTests
{
    [Fact]
    public async Task Two_writers_appending_at_once_store_each_key_once_in_one_history()
    {
        var store = new InMemoryLedgerStore(maxBlocksPerSegment: 3);
        var key = NewKey();
        var options = Options() with { CommitAttempts = 100 };
        await using var first = await OpenAsync(store, null, Signer(SameKey(key)), options);
        await using var second = await OpenAsync(store, null, Signer(SameKey(key)), options);
        var entries = NumberedEntries(300);

        // Entries 100-199 go through both writers.
        var appends = entries[..200].Select(entry => Task.Run(() => first.AppendAsync(entry)))
            .Concat(entries[100..].Select(entry => Task.Run(() => second.AppendAsync(entry))));
        var receipts = await Task.WhenAll(appends);

        var stored = await StoredKeysAsync(store);
        Assert.Equal(entries.Select(entry => entry.Key).Order(), stored.Order());
        Assert.All(receipts.GroupBy(receipt => receipt.Key), same => Assert.Single(same.Select(receipt => receipt.Index).Distinct()));
        Assert.All(receipts, receipt => Assert.Equal(receipt.Key, stored[(int)receipt.Index]));
        var report = await VerifyAsync(store, first.VerifierKey);
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(300, report.VerifiedSize);
    }
}
