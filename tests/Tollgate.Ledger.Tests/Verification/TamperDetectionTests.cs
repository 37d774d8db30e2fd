using System.Text;
using Tollgate.Ledger.Checkpoints;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Tests.Storage;
using Tollgate.Ledger.Verification;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Verification;

/// <summary>A folder ledger of a few hundred entries, written once by a writer and copied by each test.</summary>
public sealed class TamperLedgerFixture : IAsyncLifetime
{
    internal FolderLedger Ledger { get; private set; } = null!;

    public async Task InitializeAsync() => Ledger = await FolderLedger.WriteAsync(300, wave: 10, maxBlocksPerSegment: 8);

    public Task DisposeAsync()
    {
        Ledger.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Every change someone with raw storage access could make is reported, pinned to the entry it affects
/// (or, for checkpoints and keys, with the reason).
/// </summary>
public class TamperDetectionTests(TamperLedgerFixture fixture) : IClassFixture<TamperLedgerFixture>
{
    private const long Target = 137;
    private FolderLedger Ledger => fixture.Ledger;
    private int Size => Ledger.Size;

    [Fact]
    public async Task The_untouched_copy_verifies()
    {
        using var copy = Ledger.Copy();

        var report = await copy.VerifyAsync();

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(Size, report.VerifiedSize);
        Assert.Equal(Size, report.IndexRowsChecked);
        Assert.True(Ledger.SegmentStarts.Count >= 4, $"only {Ledger.SegmentStarts.Count} segments");
        Assert.True(Ledger.CheckpointSizes.Count >= 30, $"only {Ledger.CheckpointSizes.Count} checkpoints");
    }

    [Fact]
    public async Task A_changed_byte_that_keeps_the_entry_valid_is_pinned_to_the_entry()
    {
        using var copy = Ledger.Copy();
        copy.ChangeEntry(Target, "operator-7", "operator-8");

        var report = await copy.VerifyAsync();

        var first = AssertFirst(report, Target, VerificationReason.LeafMismatch);
        Assert.Contains($"entry {Target}", first.Detail);
    }

    [Fact]
    public async Task A_changed_byte_that_breaks_the_entry_is_pinned_to_the_entry()
    {
        using var copy = Ledger.Copy();
        copy.ChangeEntry(Target, "\"v\":1}", "\"v\":2}");

        AssertFirst(await copy.VerifyAsync(), Target, VerificationReason.LeafMismatch);
        var deep = await copy.VerifyAsync(deep: true);
        AssertFirst(deep, Target, VerificationReason.EntryInvalid);
        Assert.Contains(deep.Problems, problem => problem.Reason == VerificationReason.LeafMismatch && problem.Index == Target);
    }

    [Fact]
    public async Task A_line_that_is_not_an_entry_is_invalid_even_without_deep_checks()
    {
        using var copy = Ledger.Copy();
        copy.ChangeEntry(Target, "{\"actor\"", "[\"actor\"");

        var report = await copy.VerifyAsync();

        AssertFirst(report, Target, VerificationReason.EntryInvalid);
    }

    [Fact]
    public async Task Without_the_index_a_changed_entry_is_pinned_to_the_checkpoints_around_it()
    {
        using var copy = Ledger.Copy();
        copy.ChangeEntry(Target, "operator-7", "operator-8");

        var report = await copy.VerifyAsync(withIndex: false);

        var before = Ledger.CheckpointSizes.Where(size => size <= Target).Max();
        var after = Ledger.CheckpointSizes.Where(size => size > Target).Min();
        var first = AssertFirst(report, before, VerificationReason.RootMismatch);
        Assert.Contains($"{before}..{after - 1}", first.Detail);
        Assert.Equal(LedgerLayout.Checkpoint(after), first.Subject);
    }

    [Fact]
    public async Task A_changed_key_is_reported_at_the_entry_and_as_a_duplicate()
    {
        using var copy = Ledger.Copy();
        copy.ChangeEntry(Target, $"\"key\":\"k-{Target:D6}\"", $"\"key\":\"k-{Target + 1:D6}\"");

        AssertFirst(await copy.VerifyAsync(), Target, VerificationReason.LeafMismatch);
        var deep = await copy.VerifyAsync(deep: true);
        AssertFirst(deep, Target, VerificationReason.LeafMismatch);
        Assert.Contains(deep.Problems, problem => problem.Reason == VerificationReason.DuplicateKey && problem.Index == Target + 1);
    }

    [Fact]
    public async Task A_removed_entry_line_is_pinned_to_its_index()
    {
        using var copy = Ledger.Copy();
        var (path, offset, length) = copy.Locate(Target);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, [.. bytes[..offset], .. bytes[(offset + length + 1)..]]);

        var report = await copy.VerifyAsync();

        AssertFirst(report, Target, VerificationReason.LeafMismatch);
    }

    /// <summary>
    /// Whether a checkpoint falls between the removed line and its segment's end depends on how the writer batched;
    /// without one, the segment gap comes first, and the index rows must still pin the change to its entry.
    /// </summary>
    [Fact]
    public async Task A_removed_entry_line_with_no_checkpoint_before_its_segment_ends_is_still_pinned_to_its_index()
    {
        using var copy = Ledger.Copy();
        var (path, offset, length) = copy.Locate(Target);
        var segmentEnd = long.Parse(Path.GetFileNameWithoutExtension(Directory.EnumerateFiles(copy.PathOf(LedgerLayout.SegmentPrefix)).Order(StringComparer.Ordinal)
            .First(name => string.CompareOrdinal(name, path) > 0)));
        for (var size = Target + 1; size <= segmentEnd; size++) File.Delete(copy.CheckpointPath(size));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, [.. bytes[..offset], .. bytes[(offset + length + 1)..]]);

        var report = await copy.VerifyAsync();

        AssertFirst(report, Target, VerificationReason.LeafMismatch);
    }

    [Fact]
    public async Task A_changed_index_row_is_pinned_to_its_entry()
    {
        using var copy = Ledger.Copy();
        ChangeRow(copy, Target, row => row.Replace($"\"key\":\"k-{Target:D6}\"", $"\"key\":\"k-{Target - 1:D6}\""));

        var report = await copy.VerifyAsync();

        var first = AssertFirst(report, Target, VerificationReason.IndexMismatch);
        Assert.Contains($"k-{Target - 1:D6}", first.Detail);
    }

    [Fact]
    public async Task A_changed_leaf_hash_in_an_index_row_is_blamed_on_the_row_not_the_entry()
    {
        using var copy = Ledger.Copy();
        ChangeRow(copy, Target, row =>
        {
            var at = row.IndexOf("\"leafHash\":\"", StringComparison.Ordinal) + "\"leafHash\":\"".Length;
            return row[..at] + (row[at] == '0' ? '1' : '0') + row[(at + 1)..];
        });

        var report = await copy.VerifyAsync();

        var first = AssertFirst(report, Target, VerificationReason.IndexMismatch);
        Assert.Contains("row was changed", first.Detail);
    }

    [Fact]
    public async Task A_changed_row_location_is_pinned_to_its_entry()
    {
        using var copy = Ledger.Copy();
        ChangeRow(copy, Target, row => row.Replace("\"length\":", "\"length\":1"));

        AssertFirst(await copy.VerifyAsync(), Target, VerificationReason.IndexMismatch);
    }

    [Fact]
    public async Task A_removed_index_row_is_reported_missing_at_its_entry()
    {
        using var copy = Ledger.Copy();
        var line = copy.RowLineOf(Target);
        copy.WriteRowLines(copy.RowLines().Where((_, i) => i != line));

        var report = await copy.VerifyAsync();

        AssertFirst(report, Target, VerificationReason.IndexMissing);
        Assert.Single(report.Problems);
    }

    [Fact]
    public async Task An_unreadable_index_row_is_reported()
    {
        using var copy = Ledger.Copy();
        ChangeRow(copy, Target, row => row[..^1]);

        var report = await copy.VerifyAsync();

        Assert.Contains(report.Problems, problem => problem.Reason == VerificationReason.IndexMismatch && problem.Subject.Contains("unreadable"));
        Assert.Contains(report.Problems, problem => problem.Reason == VerificationReason.IndexMissing && problem.Index == Target);
    }

    [Fact]
    public async Task A_changed_checkpoint_fails_its_signature()
    {
        using var copy = Ledger.Copy();
        var size = MiddleCheckpoint();
        var path = copy.CheckpointPath(size);
        var lines = File.ReadAllText(path).Split('\n');
        lines[2] = (lines[2][0] == 'A' ? 'B' : 'A') + lines[2][1..];
        File.WriteAllText(path, string.Join('\n', lines));

        var report = await copy.VerifyAsync();

        var first = AssertFirst(report, size - 1, VerificationReason.BadSignature);
        Assert.Equal(LedgerLayout.Checkpoint(size), first.Subject);
        Assert.Single(report.Problems);
    }

    [Fact]
    public async Task A_checkpoint_signed_by_another_key_under_the_same_name_is_refused()
    {
        using var copy = Ledger.Copy();
        var size = MiddleCheckpoint();
        var genuine = await ReadCheckpointAsync(new DirectoryLedgerStore(copy.Root), size, Ledger.VerifierKey);
        var impostor = Signer(NewKey(), Origin);
        Assert.Equal(Origin, impostor.KeyName);
        File.WriteAllText(copy.CheckpointPath(size), impostor.SignNote(new Checkpoint(Origin, size, genuine.RootHash, []).ToNoteText()));

        var report = await copy.VerifyAsync();

        var first = AssertFirst(report, size - 1, VerificationReason.BadSignature);
        Assert.Equal(LedgerLayout.Checkpoint(size), first.Subject);
    }

    [Fact]
    public async Task A_checkpoint_stored_under_another_size_is_refused()
    {
        using var copy = Ledger.Copy();
        var size = MiddleCheckpoint();
        var unused = Enumerable.Range(1, Size).Select(i => (long)i).First(i => i > size && !Ledger.CheckpointSizes.Contains(i));
        File.Copy(copy.CheckpointPath(size), copy.CheckpointPath(unused));

        var report = await copy.VerifyAsync();

        var first = AssertFirst(report, unused - 1, VerificationReason.BadCheckpoint);
        Assert.Contains($"signs size {size}", first.Detail);
    }

    [Fact]
    public async Task A_stray_file_among_the_checkpoints_is_reported()
    {
        using var copy = Ledger.Copy();
        File.WriteAllText(copy.PathOf(LedgerLayout.CheckpointPrefix + "latest.note"), "x");

        var report = await copy.VerifyAsync();

        Assert.Equal(VerificationReason.StrayObject, Assert.Single(report.Problems).Reason);
    }

    [Fact]
    public async Task A_changed_verifier_key_file_is_reported()
    {
        using var copy = Ledger.Copy();
        File.WriteAllText(copy.PathOf(LedgerLayout.VerifierKey), Signer(NewKey()).VerifierKey + "\n");

        var report = await copy.VerifyAsync();

        var problem = Assert.Single(report.Problems);
        Assert.Equal(VerificationReason.KeyMismatch, problem.Reason);
        Assert.Null(problem.Index);
        Assert.Equal(LedgerLayout.VerifierKey, problem.Subject);
    }

    [Theory]
    [InlineData((byte)' ')]
    [InlineData((byte)'\r')]
    [InlineData((byte)'\t')]
    [InlineData((byte)'x')]
    public async Task A_changed_newline_at_the_end_of_the_verifier_key_file_is_reported(byte replacement)
    {
        using var copy = Ledger.Copy();
        var path = copy.PathOf(LedgerLayout.VerifierKey);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal((byte)'\n', bytes[^1]);
        bytes[^1] = replacement;
        File.WriteAllBytes(path, bytes);

        var report = await copy.VerifyAsync();

        Assert.Equal(VerificationReason.KeyMismatch, Assert.Single(report.Problems).Reason);
    }

    [Fact]
    public async Task A_deleted_middle_segment_is_a_gap_at_its_first_index()
    {
        using var copy = Ledger.Copy();
        var deleted = Ledger.SegmentStarts[2];
        File.Delete(copy.SegmentPath(deleted));

        var report = await copy.VerifyAsync();

        var first = AssertFirst(report, deleted, VerificationReason.SegmentGap);
        Assert.Equal(LedgerLayout.Segment(Ledger.SegmentStarts[3]), first.Subject);
    }

    [Fact]
    public async Task A_deleted_first_segment_is_a_gap_at_zero()
    {
        using var copy = Ledger.Copy();
        File.Delete(copy.SegmentPath(0));

        AssertFirst(await copy.VerifyAsync(), 0, VerificationReason.SegmentGap);
    }

    [Fact]
    public async Task A_deleted_last_segment_is_a_truncation_at_its_first_index()
    {
        using var copy = Ledger.Copy();
        var deleted = Ledger.SegmentStarts[^1];
        File.Delete(copy.SegmentPath(deleted));

        var report = await copy.VerifyAsync();

        AssertFirst(report, deleted, VerificationReason.Truncated);
        Assert.Equal(deleted, report.StoredEntries);
    }

    [Fact]
    public async Task Swapped_segment_contents_are_pinned_to_the_first_moved_entry()
    {
        using var copy = Ledger.Copy();
        var (a, b) = (Ledger.SegmentStarts[1], Ledger.SegmentStarts[2]);
        var (aBytes, bBytes) = (File.ReadAllBytes(copy.SegmentPath(a)), File.ReadAllBytes(copy.SegmentPath(b)));
        File.WriteAllBytes(copy.SegmentPath(a), bBytes);
        File.WriteAllBytes(copy.SegmentPath(b), aBytes);

        AssertFirst(await copy.VerifyAsync(), a, VerificationReason.LeafMismatch);
    }

    [Fact]
    public async Task Swapped_segment_names_are_pinned_to_the_first_moved_entry()
    {
        using var copy = Ledger.Copy();
        var (a, b) = (Ledger.SegmentStarts[1], Ledger.SegmentStarts[2]);
        File.Move(copy.SegmentPath(a), copy.SegmentPath(a) + ".tmp");
        File.Move(copy.SegmentPath(b), copy.SegmentPath(a));
        File.Move(copy.SegmentPath(a) + ".tmp", copy.SegmentPath(b));

        AssertFirst(await copy.VerifyAsync(), a, VerificationReason.LeafMismatch);
    }

    [Fact]
    public async Task A_renamed_segment_is_a_gap()
    {
        using var copy = Ledger.Copy();
        var moved = Ledger.SegmentStarts[2];
        File.Move(copy.SegmentPath(moved), copy.SegmentPath(moved + 1));

        AssertFirst(await copy.VerifyAsync(), moved, VerificationReason.SegmentGap);
    }

    [Fact]
    public async Task Whole_lines_cut_from_the_tail_are_a_truncation_at_the_first_missing_entry()
    {
        using var copy = Ledger.Copy();
        var (path, offset, _) = copy.Locate(Size - 3);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..offset]);

        var report = await copy.VerifyAsync();

        AssertFirst(report, Size - 3, VerificationReason.Truncated);
        Assert.Equal(Size - 3, report.StoredEntries);
    }

    [Fact]
    public async Task A_tail_cut_mid_line_is_a_torn_segment_at_the_cut_entry()
    {
        using var copy = Ledger.Copy();
        var (path, offset, length) = copy.Locate(Size - 1);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..(offset + length / 2)]);

        var report = await copy.VerifyAsync();

        Assert.Equal(Size - 1, report.First!.Index);
        Assert.Contains(report.Problems, problem => problem.Reason == VerificationReason.TornSegment && problem.Index == Size - 1);
        Assert.Contains(report.Problems, problem => problem.Reason == VerificationReason.Truncated && problem.Index == Size - 1);
    }

    [Fact]
    public async Task A_cut_final_newline_is_a_torn_segment()
    {
        using var copy = Ledger.Copy();
        var path = copy.SegmentPath(Ledger.SegmentStarts[^1]);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^1]);

        var report = await copy.VerifyAsync();

        Assert.Contains(report.Problems, problem => problem.Reason == VerificationReason.TornSegment && problem.Index == Size - 1);
    }

    [Fact]
    public async Task A_forged_entry_after_the_last_checkpoint_is_reported_as_uncheckpointed_not_verified()
    {
        using var copy = Ledger.Copy();
        var forged = LedgerEntry.Create(Fields("approval", "forged-approval"), Payload("approval"));
        File.AppendAllText(copy.SegmentPath(Ledger.SegmentStarts[^1]), Encoding.UTF8.GetString(forged.Bytes) + "\n");

        var report = await copy.VerifyAsync();

        // By design not a problem (a writer between its block and its checkpoint looks the same), but the
        // report says the entry is stored and not covered by any signature.
        Assert.Equal(Size + 1, report.StoredEntries);
        Assert.Equal(Size, report.VerifiedSize);
        Assert.Equal(1, report.UncheckpointedEntries);
        Assert.True(report.Ok, string.Join("\n", report.Problems));
    }

    [Fact]
    public async Task A_copied_entry_after_the_last_checkpoint_is_a_duplicate_key_to_a_deep_verification()
    {
        using var copy = Ledger.Copy();
        File.AppendAllText(copy.SegmentPath(Ledger.SegmentStarts[^1]), Encoding.UTF8.GetString(Ledger.Entries[(int)Target].Bytes) + "\n");

        var quick = await copy.VerifyAsync();
        var deep = await copy.VerifyAsync(deep: true);

        // Without deep checks only the uncheckpointed count shows it, as for any entry beyond the last checkpoint.
        Assert.True(quick.Ok, string.Join("\n", quick.Problems));
        Assert.Equal(1, quick.UncheckpointedEntries);
        AssertFirst(deep, Size, VerificationReason.DuplicateKey);
        Assert.Equal(1, deep.UncheckpointedEntries);
    }

    [Fact]
    public async Task Deleting_the_newest_checkpoints_leaves_the_entries_uncheckpointed_but_their_rows_still_catch_a_change()
    {
        using var copy = Ledger.Copy();
        var kept = Ledger.CheckpointSizes.Where(size => size <= Size - 40).Max();
        foreach (var size in Ledger.CheckpointSizes.Where(size => size > kept)) File.Delete(copy.CheckpointPath(size));
        copy.ChangeEntry(Size - 2, "operator-7", "operator-8");

        var report = await copy.VerifyAsync();

        Assert.Equal(kept, report.VerifiedSize);
        Assert.Equal(Size - kept, report.UncheckpointedEntries);
        AssertFirst(report, Size - 2, VerificationReason.IndexMismatch);
    }

    [Fact]
    public async Task A_trusted_checkpoint_exposes_history_rewritten_and_re_signed_with_the_key()
    {
        var trustedSize = Ledger.CheckpointSizes.First(size => size >= 4);
        using var copy = Ledger.Copy();
        var trusted = File.ReadAllText(copy.CheckpointPath(trustedSize));
        var rewrittenEntry = Entry("approval", Ledger.Entries[3].Key, correlation: "rewritten");
        using var rewritten = await FolderLedger.WriteAsync(
            (int)trustedSize + 20, wave: 10, maxBlocksPerSegment: 8, SameKey(Ledger.Key), i => i == 3 ? rewrittenEntry : Numbered(i));
        using var rewrittenCopy = rewritten.Copy();
        Assert.True((await rewrittenCopy.VerifyAsync()).Ok);

        var report = await rewrittenCopy.VerifyAsync(trustedCheckpoint: trusted);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(VerificationReason.Forked, problem.Reason);
        Assert.Contains($"first {trustedSize} entries", problem.Detail);
    }

    [Fact]
    public async Task A_trusted_checkpoint_the_ledger_extends_is_noted()
    {
        using var copy = Ledger.Copy();
        var trustedSize = MiddleCheckpoint();

        var report = await copy.VerifyAsync(trustedCheckpoint: File.ReadAllText(copy.CheckpointPath(trustedSize)));

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Contains(report.Notes, note => note.Contains($"trusted checkpoint of size {trustedSize}"));
    }

    [Fact]
    public async Task A_trusted_checkpoint_beyond_what_is_stored_is_a_truncation()
    {
        using var copy = Ledger.Copy();
        var trusted = File.ReadAllText(copy.CheckpointPath(Size));
        var last = Ledger.SegmentStarts[^1];
        File.Delete(copy.SegmentPath(last));
        foreach (var size in Ledger.CheckpointSizes.Where(size => size > last)) File.Delete(copy.CheckpointPath(size));
        File.Delete(copy.RowsPath);
        File.Delete(copy.PathOf("index/indexed-size"));

        var report = await copy.VerifyAsync(trustedCheckpoint: trusted);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(VerificationReason.Truncated, problem.Reason);
        Assert.Equal(last, problem.Index);
    }

    [Fact]
    public async Task A_trusted_checkpoint_signed_by_another_key_is_refused()
    {
        using var copy = Ledger.Copy();
        var forged = Signer(NewKey()).SignNote(new Checkpoint(Origin, 1, Rfc9162Hasher.HashLeaf(Ledger.Entries[0].Bytes), []).ToNoteText());

        var report = await copy.VerifyAsync(trustedCheckpoint: forged);

        Assert.Equal(VerificationReason.BadSignature, Assert.Single(report.Problems).Reason);
    }

    private long MiddleCheckpoint() => Ledger.CheckpointSizes[Ledger.CheckpointSizes.Count / 2];

    private static void ChangeRow(LedgerCopy copy, long index, Func<string, string> change)
    {
        var lines = copy.RowLines();
        var line = copy.RowLineOf(index);
        var changed = change(lines[line]);
        Assert.NotEqual(lines[line], changed);
        lines[line] = changed;
        copy.WriteRowLines(lines);
    }

    private static VerificationProblem AssertFirst(VerificationReport report, long index, string reason)
    {
        Assert.False(report.Ok, "the change went unnoticed");
        var first = report.First!;
        Assert.True(first.Index == index && first.Reason == reason,
            $"expected {reason} at index {index}; got:\n{string.Join("\n", report.Problems)}");
        return first;
    }
}
