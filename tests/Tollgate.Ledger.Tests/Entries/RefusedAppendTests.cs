using System.Text;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Storage;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Entries;

/// <summary>A refused entry or append leaves storage, the index and the writer exactly as they were.</summary>
public class RefusedAppendTests
{
    [Fact]
    public async Task Refusals_change_neither_store_nor_index_nor_writer()
    {
        var store = new InMemoryLedgerStore();
        var index = new InMemoryLedgerIndex();
        await using var writer = await OpenAsync(store, index, Signer());
        await writer.AppendAllAsync(NumberedEntries(5));
        await WaitForIndexAsync(writer);
        var stored = await SnapshotAsync(store);
        var rows = await RowsAsync(index);
        var latest = writer.Latest;

        // Bytes that are not a valid entry never become a LedgerEntry, so they cannot reach the writer.
        var notCanonical = Encoding.UTF8.GetBytes(" " + Encoding.UTF8.GetString(Numbered(5).Bytes));
        RefusedParse(LedgerReason.NotCanonical, notCanonical);
        RefusedParse(LedgerReason.BadPayload, Variant(Numbered(5), tree => tree["payload"] = new System.Text.Json.Nodes.JsonObject()));
        // A valid entry whose key already names another fact.
        var conflict = await Assert.ThrowsAsync<LedgerException>(() => writer.AppendAsync(Entry("approval", Numbered(2).Key, correlation: "other")));
        Assert.Equal(LedgerReason.KeyConflict, conflict.Reason);
        Assert.Contains("is entry 2", conflict.Message);

        Assert.Equal(stored, await SnapshotAsync(store));
        Assert.Equal(rows, await RowsAsync(index));
        Assert.Same(latest, writer.Latest);
        Assert.Equal(5, writer.Latest.Size);
        Assert.Equal(0, writer.IndexLag);
        Assert.Equal(Numbered(2).Bytes, await writer.ReadEntryAsync(2));
    }

    [Fact]
    public async Task A_conflict_with_an_append_in_flight_writes_only_the_first()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, new InMemoryLedgerIndex(), Signer());
        await writer.AppendAsync(Numbered(0));
        using var writing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        store.AfterWrite = name =>
        {
            if (!LedgerLayout.TryParseSegment(name, out _)) return;
            writing.Set();
            release.Wait(TimeSpan.FromSeconds(20));
        };
        var first = Entry("approval", "same-key");
        var firstAppend = writer.AppendAsync(first);
        Assert.True(writing.Wait(TimeSpan.FromSeconds(20)));

        var e = await Assert.ThrowsAsync<LedgerException>(() => writer.AppendAsync(Entry("approval", "same-key", correlation: "different")));
        release.Set();
        var receipt = await firstAppend;

        Assert.Equal(LedgerReason.KeyConflict, e.Reason);
        Assert.Contains("is being appended", e.Message);
        Assert.Equal(1, receipt.Index);
        Assert.Equal(2, writer.Latest.Size);
        Assert.Equal([Numbered(0).Key, "same-key"], await StoredKeysAsync(store));
        Assert.Equal(first.Bytes, await writer.ReadEntryAsync(1));
    }
}
