using System.Text;
using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.Tests.Storage;

/// <summary>What the writer relies on from every store: segments grow only at the expected length, objects are write-once.</summary>
public abstract class LedgerStoreContractTests
{
    protected abstract LedgerStore Store { get; }

    [Fact]
    public async Task A_new_store_is_empty()
    {
        Assert.Empty(await Store.ListSegmentsAsync(default));
        Assert.Empty(await Store.ListObjectsAsync(LedgerLayout.CheckpointPrefix, default));
        Assert.Null(await Store.ReadObjectAsync(LedgerLayout.VerifierKey, default));
    }

    [Fact]
    public async Task A_segment_grows_by_blocks_at_its_expected_length()
    {
        await Store.CreateSegmentAsync(0, default);

        var first = await Store.AppendBlockAsync(0, 0, "a\n"u8.ToArray(), default);
        var second = await Store.AppendBlockAsync(0, 2, "bc\n"u8.ToArray(), default);

        Assert.Equal(2, first.Length);
        Assert.Equal(5, second.Length);
        Assert.Equal("a\nbc\n"u8.ToArray(), await Store.ReadSegmentAsync(0, 0, null, default));
        Assert.Equal("bc"u8.ToArray(), await Store.ReadSegmentAsync(0, 2, 2, default));
        Assert.Equal("c\n"u8.ToArray(), await Store.ReadSegmentAsync(0, 3, 100, default));
        Assert.Empty(await Store.ReadSegmentAsync(0, 5, null, default));
        Assert.Empty(await Store.ReadSegmentAsync(0, 50, null, default));
    }

    [Fact]
    public async Task An_append_at_a_stale_length_is_a_conflict_and_writes_nothing()
    {
        await Store.CreateSegmentAsync(0, default);
        await Store.AppendBlockAsync(0, 0, "a\n"u8.ToArray(), default);

        var behind = await Assert.ThrowsAsync<LedgerWriteConflictException>(() => Store.AppendBlockAsync(0, 0, "x\n"u8.ToArray(), default));
        await Assert.ThrowsAsync<LedgerWriteConflictException>(() => Store.AppendBlockAsync(0, 3, "x\n"u8.ToArray(), default));

        Assert.Equal("LEDGER_WRITE_CONFLICT", behind.Reason);
        Assert.Equal(LedgerLayout.Segment(0), behind.Name);
        Assert.Equal("a\n"u8.ToArray(), await Store.ReadSegmentAsync(0, 0, null, default));
    }

    [Fact]
    public async Task A_segment_is_created_once()
    {
        await Store.CreateSegmentAsync(7, default);

        await Assert.ThrowsAsync<LedgerWriteConflictException>(() => Store.CreateSegmentAsync(7, default));
    }

    [Fact]
    public async Task Segments_are_listed_in_index_order_with_their_lengths()
    {
        foreach (var first in new long[] { 10, 0, 3 })
        {
            await Store.CreateSegmentAsync(first, default);
            await Store.AppendBlockAsync(first, 0, Encoding.UTF8.GetBytes(new string('x', (int)first) + "\n"), default);
        }

        var segments = await Store.ListSegmentsAsync(default);

        Assert.Equal([0L, 3, 10], segments.Select(segment => segment.FirstIndex));
        Assert.Equal([1L, 4, 11], segments.Select(segment => segment.Length));
    }

    [Fact]
    public async Task Reading_a_missing_segment_is_not_found()
    {
        var e = await Assert.ThrowsAsync<LedgerException>(() => Store.ReadSegmentAsync(5, 0, null, default));

        Assert.Equal(LedgerReason.NotFound, e.Reason);
    }

    [Fact]
    public async Task Objects_are_write_once()
    {
        Assert.True(await Store.TryCreateObjectAsync(LedgerLayout.Checkpoint(3), "first"u8.ToArray(), default));

        Assert.False(await Store.TryCreateObjectAsync(LedgerLayout.Checkpoint(3), "second"u8.ToArray(), default));

        Assert.Equal("first"u8.ToArray(), await Store.ReadObjectAsync(LedgerLayout.Checkpoint(3), default));
    }

    [Fact]
    public async Task Objects_are_listed_by_prefix_in_ordinal_order()
    {
        foreach (var size in new long[] { 12, 2, 100 })
            await Store.TryCreateObjectAsync(LedgerLayout.Checkpoint(size), "c"u8.ToArray(), default);
        await Store.TryCreateObjectAsync(LedgerLayout.VerifierKey, "k"u8.ToArray(), default);
        await Store.TryCreateObjectAsync(LedgerLayout.Object(new string('b', 64)), "o"u8.ToArray(), default);

        Assert.Equal([LedgerLayout.Checkpoint(2), LedgerLayout.Checkpoint(12), LedgerLayout.Checkpoint(100)],
            await Store.ListObjectsAsync(LedgerLayout.CheckpointPrefix, default));
        Assert.Equal([LedgerLayout.Object(new string('b', 64))], await Store.ListObjectsAsync(LedgerLayout.ObjectPrefix, default));
    }

    [Fact]
    public async Task Concurrent_appends_at_the_same_length_let_exactly_one_through()
    {
        await Store.CreateSegmentAsync(0, default);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try { await Store.AppendBlockAsync(0, 0, Encoding.UTF8.GetBytes($"{i}\n"), default); return true; }
            catch (LedgerWriteConflictException) { return false; }
            catch (IOException) { return false; }
        })));

        Assert.Equal(1, attempts.Count(won => won));
        Assert.Equal(2, (await Store.ReadSegmentAsync(0, 0, null, default)).Length);
    }

    [Fact]
    public async Task Concurrent_creations_of_one_object_let_exactly_one_through()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.TryCreateObjectAsync(LedgerLayout.Checkpoint(1), Encoding.UTF8.GetBytes($"writer {i}"), default))));

        Assert.Equal(1, created.Count(won => won));
        var content = Encoding.UTF8.GetString((await Store.ReadObjectAsync(LedgerLayout.Checkpoint(1), default))!);
        Assert.Equal($"writer {Array.IndexOf(created, true)}", content);
    }
}

public sealed class InMemoryLedgerStoreContractTests : LedgerStoreContractTests
{
    private readonly InMemoryLedgerStore store = new(maxBlocksPerSegment: 3);

    protected override LedgerStore Store => store;

    [Fact]
    public async Task A_segment_takes_at_most_its_block_limit()
    {
        await store.CreateSegmentAsync(0, default);
        for (var i = 0; i < 3; i++) await store.AppendBlockAsync(0, i * 2, "a\n"u8.ToArray(), default);

        await Assert.ThrowsAsync<LedgerWriteConflictException>(() => store.AppendBlockAsync(0, 6, "a\n"u8.ToArray(), default));

        Assert.Equal(3, (await store.ListSegmentsAsync(default)).Single().BlockCount);
        Assert.Equal(3, store.MaxBlocksPerSegment);
    }

    [Fact]
    public async Task After_write_runs_once_the_write_has_landed()
    {
        var seen = new List<(string Name, int Length)>();
        store.AfterWrite = name => seen.Add((name, name == LedgerLayout.Segment(0) ? (int)store.ListSegmentsAsync(default).Result.Single().Length : -1));
        await store.CreateSegmentAsync(0, default);
        await store.AppendBlockAsync(0, 0, "ab\n"u8.ToArray(), default);
        await store.TryCreateObjectAsync(LedgerLayout.Checkpoint(1), "c"u8.ToArray(), default);
        await store.TryCreateObjectAsync(LedgerLayout.Checkpoint(1), "c"u8.ToArray(), default);

        Assert.Equal([(LedgerLayout.Segment(0), 0), (LedgerLayout.Segment(0), 3), (LedgerLayout.Checkpoint(1), -1)], seen);
    }

    [Fact]
    public async Task Tamper_and_delete_change_stored_bytes_directly()
    {
        await store.CreateSegmentAsync(0, default);
        await store.AppendBlockAsync(0, 0, "ab\n"u8.ToArray(), default);
        await store.TryCreateObjectAsync(LedgerLayout.VerifierKey, "k"u8.ToArray(), default);

        store.Tamper(LedgerLayout.Segment(0), bytes => [.. bytes, .. "cd\n"u8]);
        store.Tamper(LedgerLayout.VerifierKey, _ => "other"u8.ToArray());

        Assert.Equal("ab\ncd\n"u8.ToArray(), await store.ReadSegmentAsync(0, 0, null, default));
        Assert.Equal("other"u8.ToArray(), await store.ReadObjectAsync(LedgerLayout.VerifierKey, default));
        store.Delete(LedgerLayout.Segment(0));
        store.Delete(LedgerLayout.VerifierKey);
        Assert.Empty(await store.ListSegmentsAsync(default));
        Assert.Null(await store.ReadObjectAsync(LedgerLayout.VerifierKey, default));
    }
}

public sealed class DirectoryLedgerStoreContractTests : LedgerStoreContractTests, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly DirectoryLedgerStore store;

    public DirectoryLedgerStoreContractTests() => store = new DirectoryLedgerStore(folder.Path);

    protected override LedgerStore Store => store;

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Files_follow_the_ledger_layout()
    {
        await store.CreateSegmentAsync(42, default);
        await store.TryCreateObjectAsync(LedgerLayout.Checkpoint(42), "c"u8.ToArray(), default);

        Assert.True(File.Exists(Path.Combine(folder.Path, "segments", "00000000000000000042.jsonl")));
        Assert.True(File.Exists(Path.Combine(folder.Path, "checkpoints", "00000000000000000042.note")));
        Assert.Equal(int.MaxValue, store.MaxBlocksPerSegment);
    }

    [Fact]
    public async Task Names_outside_the_folder_are_refused()
    {
        var e = await Assert.ThrowsAsync<LedgerException>(() => store.TryCreateObjectAsync("../escape.txt", "x"u8.ToArray(), default));

        Assert.Equal(LedgerReason.BadRange, e.Reason);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(folder.Path)!, "escape.txt")));
        Assert.Equal(LedgerReason.BadRange, (await Assert.ThrowsAsync<LedgerException>(() => store.ReadObjectAsync("../../etc/passwd", default))).Reason);
    }

    [Fact]
    public async Task Half_written_objects_and_foreign_files_are_not_listed()
    {
        Directory.CreateDirectory(Path.Combine(folder.Path, "checkpoints"));
        Directory.CreateDirectory(Path.Combine(folder.Path, "segments"));
        File.WriteAllText(Path.Combine(folder.Path, "checkpoints", "00000000000000000001.note.0123.partial"), "half");
        File.WriteAllText(Path.Combine(folder.Path, "segments", "notes.txt"), "hello");
        File.WriteAllText(Path.Combine(folder.Path, "segments", "1.jsonl"), "");

        Assert.Empty(await store.ListObjectsAsync(LedgerLayout.CheckpointPrefix, default));
        Assert.Empty(await store.ListSegmentsAsync(default));
    }

    [Fact]
    public async Task A_store_opened_on_an_existing_folder_sees_what_another_wrote()
    {
        await store.CreateSegmentAsync(0, default);
        await store.AppendBlockAsync(0, 0, "a\n"u8.ToArray(), default);

        var other = new DirectoryLedgerStore(folder.Path);

        Assert.Equal(2, (await other.ListSegmentsAsync(default)).Single().Length);
        await Assert.ThrowsAsync<LedgerWriteConflictException>(() => other.AppendBlockAsync(0, 0, "b\n"u8.ToArray(), default));
    }
}
