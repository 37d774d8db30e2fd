using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Tests.Storage;
using Tollgate.Ledger.Writing;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Writing;

/// <summary>
/// Writes whose outcome the writer never learns, and writers that stop half-way: storage must end up holding
/// every acknowledged entry exactly once, covered by a signed checkpoint.
/// </summary>
public class CrashRecoveryTests
{
    [Fact]
    public async Task A_block_that_landed_though_the_append_call_failed_is_read_back_not_written_twice()
    {
        var store = new InMemoryLedgerStore();
        var index = new InMemoryLedgerIndex();
        await using var writer = await OpenAsync(store, index, Signer());
        await writer.AppendAsync(Numbered(0));
        var failures = FailOnce(store, name => LedgerLayout.TryParseSegment(name, out _));
        var entries = NumberedEntries(21)[1..];

        var receipts = await Task.WhenAll(entries.Select(entry => Task.Run(() => writer.AppendAsync(entry))));

        Assert.Single(failures);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), receipts.Select(receipt => receipt.Index).Order());
        Assert.Equal(NumberedEntries(21).Select(entry => entry.Key).Order(), (await StoredKeysAsync(store)).Order());
        Assert.Equal(21, writer.Latest.Size);
        await WaitForIndexAsync(writer);
        await AssertVerifiesAsync(store, writer.VerifierKey, index, 21);
    }

    public static TheoryData<string> FailingWrites => new("first segment", "block", "next segment", "checkpoint");

    /// <summary>
    /// One write of each kind lands but reports an error. Appends either succeed or fail as retryable
    /// (<see cref="LedgerReason.Unavailable"/>); retrying them all leaves each entry stored exactly once.
    /// </summary>
    [Theory]
    [MemberData(nameof(FailingWrites))]
    public async Task Retrying_after_a_write_of_unknown_outcome_stores_every_entry_once(string failing)
    {
        var store = new InMemoryLedgerStore(maxBlocksPerSegment: 2);
        var key = NewKey();
        var entries = NumberedEntries(30);
        var writer = await OpenAsync(store, new InMemoryLedgerIndex(), Signer(SameKey(key)));
        if (failing is "block" or "next segment" or "checkpoint") await writer.AppendAsync(entries[0]);
        if (failing is "next segment") await writer.AppendAsync(entries[1]);
        var failures = FailOnce(store, failing switch
        {
            "first segment" => name => name == LedgerLayout.Segment(0),
            "block" => name => name == LedgerLayout.Segment(0),
            "next segment" => name => name == LedgerLayout.Segment(2),
            _ => name => LedgerLayout.TryParseCheckpoint(name, out _),
        });

        var acknowledged = await AppendWithRetriesAsync(writer, entries);

        Assert.Single(failures);
        Assert.Equal(entries.Length, acknowledged.Count);
        Assert.Equal(Enumerable.Range(0, entries.Length).Select(i => (long)i), acknowledged.Values.Select(receipt => receipt.Index).Order());
        Assert.Equal(entries.Select(entry => entry.Key).Order(), (await StoredKeysAsync(store)).Order());
        await writer.DisposeAsync();

        var checkpoints = await CheckpointNamesAsync(store);
        await using var reopened = await OpenAsync(store, null, Signer(SameKey(key)));
        Assert.Equal(entries.Length, reopened.Latest.Size);
        Assert.Equal(checkpoints, await CheckpointNamesAsync(store));
        foreach (var (entryKey, receipt) in acknowledged) Assert.Equal(receipt.Index, reopened.Find(entryKey));
        await AssertVerifiesAsync(store, reopened.VerifierKey, null, entries.Length);
    }

    [Fact]
    public async Task A_checkpoint_write_of_unknown_outcome_fails_the_appends_retryably_and_a_new_writer_needs_no_new_checkpoint()
    {
        var store = new InMemoryLedgerStore();
        var key = NewKey();
        var writer = await OpenAsync(store, null, Signer(SameKey(key)));
        await writer.AppendAllAsync(NumberedEntries(5));
        FailOnce(store, name => LedgerLayout.TryParseCheckpoint(name, out _));

        var e = await Assert.ThrowsAsync<LedgerException>(() => writer.AppendAsync(Numbered(5)));
        Assert.Equal(LedgerReason.Unavailable, e.Reason);
        // Abandoned: never disposed, as if the process had died here.
        var checkpoints = await CheckpointNamesAsync(store);
        Assert.Contains(LedgerLayout.Checkpoint(6), checkpoints);

        await using var successor = await OpenAsync(store, null, Signer(SameKey(key)));

        Assert.Equal(6, successor.Latest.Size);
        Assert.Equal(checkpoints, await CheckpointNamesAsync(store));
        var retried = await successor.AppendAsync(Numbered(5));
        Assert.True(retried.Existing);
        Assert.Equal(5, retried.Index);
        await AssertVerifiesAsync(store, successor.VerifierKey, null, 6);
    }

    [Fact]
    public async Task A_block_stored_by_a_writer_that_died_before_its_checkpoint_is_checkpointed_by_the_next_writer()
    {
        var store = new InMemoryLedgerStore();
        var index = new InMemoryLedgerIndex();
        var key = NewKey();
        var abandoned = await OpenAsync(store, index, Signer(SameKey(key)));
        var acknowledged = await abandoned.AppendAllAsync(NumberedEntries(10));
        // The dead writer's last block: in the segment, but no checkpoint covers it.
        var segment = (await store.ListSegmentsAsync(default))[^1];
        var lost = NumberedEntries(13)[10..];
        await store.AppendBlockAsync(segment.FirstIndex, segment.Length, Block(lost), default);
        Assert.DoesNotContain(LedgerLayout.Checkpoint(13), await CheckpointNamesAsync(store));
        var beforeReopen = await VerifyAsync(store, abandoned.VerifierKey);
        Assert.Equal(10, beforeReopen.VerifiedSize);
        Assert.Equal(3, beforeReopen.UncheckpointedEntries);

        await using var successor = await OpenAsync(store, index, Signer(SameKey(key)));

        Assert.Contains(LedgerLayout.Checkpoint(13), await CheckpointNamesAsync(store));
        Assert.Equal(13, successor.Latest.Size);
        Assert.Equal(13, (await ReadCheckpointAsync(store, 13, successor.VerifierKey)).Size);
        foreach (var receipt in acknowledged) Assert.Equal(receipt.Index, successor.Find(receipt.Key));
        for (var i = 0; i < lost.Length; i++) Assert.Equal(10 + i, successor.Find(lost[i].Key));
        Assert.True((await successor.AppendAsync(lost[1])).Existing);
        Assert.Equal(13, (await successor.AppendAsync(Numbered(13))).Index);
        await WaitForIndexAsync(successor);
        await AssertVerifiesAsync(store, successor.VerifierKey, index, 14);
    }

    [Fact]
    public async Task Everything_acknowledged_before_a_crash_survives_it_exactly_once()
    {
        var inner = new InMemoryLedgerStore(maxBlocksPerSegment: 4);
        var key = NewKey();
        var dying = new TestStore(inner);
        var writer = await OpenAsync(dying, null, Signer(SameKey(key)), Options() with { CommitAttempts = 2 });
        var entries = NumberedEntries(400);
        var acknowledged = new List<AppendReceipt>();
        foreach (var wave in entries[..200].Chunk(20)) acknowledged.AddRange(await writer.AppendAllAsync(wave));
        var blocks = 0;
        // The crash: after the third block of the next wave, nothing the old writer sends reaches storage.
        dying.BeforeWrite = name =>
        {
            if (LedgerLayout.TryParseSegment(name, out _) && Interlocked.Increment(ref blocks) > 3) throw new IOException("the process is gone");
        };
        var inFlight = entries[200..].Select(entry => Task.Run(() => writer.AppendAsync(entry))).ToList();
        var outcomes = await Task.WhenAll(inFlight.Select(async append =>
        {
            try { return await append; }
            catch (LedgerException e) when (e.Reason == LedgerReason.Unavailable) { return null; }
        }));
        acknowledged.AddRange(outcomes.OfType<AppendReceipt>());

        await using var successor = await OpenAsync(inner, null, Signer(SameKey(key)));

        var stored = await StoredKeysAsync(inner);
        Assert.Equal(stored.Count, stored.Distinct().Count());
        foreach (var receipt in acknowledged) Assert.Equal(receipt.Index, successor.Find(receipt.Key));
        Assert.Equal(stored.Count, successor.Latest.Size);
        var retried = await successor.AppendAllAsync(entries);
        Assert.Equal(entries.Select(entry => entry.Key).Order(), (await StoredKeysAsync(inner)).Order());
        foreach (var receipt in acknowledged) Assert.Equal(receipt.Index, retried.Single(again => again.Key == receipt.Key).Index);
        await AssertVerifiesAsync(inner, successor.VerifierKey, null, 400);
    }

    [Fact]
    public async Task Storage_that_keeps_failing_fails_the_append_retryably_and_writes_nothing()
    {
        var inner = new InMemoryLedgerStore();
        var store = new TestStore(inner);
        await using var writer = await OpenAsync(store, null, Signer(), Options() with { CommitAttempts = 3 });
        await writer.AppendAsync(Numbered(0));
        var stored = await SnapshotAsync(inner);
        var attempts = 0;
        store.BeforeWrite = name =>
        {
            if (LedgerLayout.TryParseSegment(name, out _)) { attempts++; throw new IOException("storage is down"); }
        };

        var e = await Assert.ThrowsAsync<LedgerException>(() => writer.AppendAsync(Numbered(1)));

        Assert.Equal(LedgerReason.Unavailable, e.Reason);
        Assert.Equal(3, attempts);
        Assert.Equal(stored, await SnapshotAsync(inner));
        store.BeforeWrite = null;
        Assert.Equal(1, (await writer.AppendAsync(Numbered(1))).Index);
    }

    /// <summary>Makes the first write matching <paramref name="which"/> land, then throw.</summary>
    private static List<string> FailOnce(InMemoryLedgerStore store, Func<string, bool> which)
    {
        var failures = new List<string>();
        store.AfterWrite = name =>
        {
            lock (failures)
            {
                if (failures.Count > 0 || !which(name)) return;
                failures.Add(name);
            }
            throw new IOException($"connection reset after writing {name}");
        };
        return failures;
    }

    /// <summary>Appends every entry, retrying those that fail retryably, as a careful client would.</summary>
    private static async Task<Dictionary<string, AppendReceipt>> AppendWithRetriesAsync(LedgerWriter writer, IReadOnlyList<LedgerEntry> entries)
    {
        var receipts = new Dictionary<string, AppendReceipt>();
        var waiting = entries.ToList();
        for (var round = 0; waiting.Count > 0; round++)
        {
            Assert.True(round < 5, $"{waiting.Count} entries still failing after {round} rounds");
            var outcomes = await Task.WhenAll(waiting.Select(async entry =>
            {
                try { return (entry, receipt: await Task.Run(() => writer.AppendAsync(entry))); }
                catch (LedgerException e) when (e.Reason == LedgerReason.Unavailable) { return (entry, receipt: (AppendReceipt?)null); }
            }));
            foreach (var (entry, receipt) in outcomes.Where(outcome => outcome.receipt is not null)) receipts[entry.Key] = receipt!;
            waiting = [.. outcomes.Where(outcome => outcome.receipt is null).Select(outcome => outcome.entry)];
        }
        return receipts;
    }

    private static async Task AssertVerifiesAsync(LedgerStore store, string verifierKey, LedgerIndexStore? index, long size)
    {
        var report = await VerifyAsync(store, verifierKey, index);
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(size, report.VerifiedSize);
        Assert.Equal(0, report.UncheckpointedEntries);
    }
}
