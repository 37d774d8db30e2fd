using System.Text.Json.Nodes;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Tests.Storage;
using Tollgate.Ledger.Verification;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Verification;

public class GoodLedgerVerificationTests
{
    [Fact]
    public async Task An_in_memory_ledger_written_by_a_writer_verifies()
    {
        var store = new InMemoryLedgerStore(maxBlocksPerSegment: 4);
        var index = new InMemoryLedgerIndex();
        await using var writer = await OpenAsync(store, index, Signer());
        foreach (var wave in NumberedEntries(250).Chunk(10)) await writer.AppendAllAsync(wave);
        await WaitForIndexAsync(writer);
        var progress = new RecordingProgress<VerificationProgress>();

        var report = await new LedgerVerifier(store, EcdsaNoteVerifier.Parse(writer.VerifierKey), index) { Progress = progress }.VerifyAsync();

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Null(report.First);
        Assert.Equal(250, report.VerifiedSize);
        Assert.Equal(250, report.StoredEntries);
        Assert.Equal(0, report.UncheckpointedEntries);
        Assert.Equal((await CheckpointNamesAsync(store)).Count, report.CheckpointsVerified);
        Assert.True(report.CheckpointsVerified >= 25);
        Assert.Equal(250, report.IndexRowsChecked);
        Assert.Equal(Convert.ToHexStringLower(writer.Latest.RootHash), report.LatestRootHex);
        AssertProgress(progress, report.CheckpointsVerified, (await store.ListSegmentsAsync(default)).Sum(segment => segment.Length));
    }

    [Fact]
    public async Task A_folder_ledger_written_by_a_writer_verifies()
    {
        using var ledger = await FolderLedger.WriteAsync(120, wave: 10, maxBlocksPerSegment: 6);
        using var copy = ledger.Copy();
        var progress = new RecordingProgress<VerificationProgress>();

        var report = await new LedgerVerifier(new DirectoryLedgerStore(copy.Root), EcdsaNoteVerifier.Parse(ledger.VerifierKey), new DirectoryLedgerIndex(copy.Root))
        {
            Progress = progress,
        }.VerifyAsync();

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(120, report.VerifiedSize);
        Assert.Equal(120, report.StoredEntries);
        Assert.Equal(ledger.CheckpointSizes.Count, report.CheckpointsVerified);
        Assert.Equal(120, report.IndexRowsChecked);
        Assert.True(ledger.SegmentStarts.Count >= 2, $"only {ledger.SegmentStarts.Count} segments");
        AssertProgress(progress, report.CheckpointsVerified, ledger.SegmentStarts.Sum(start => new FileInfo(copy.SegmentPath(start)).Length));
    }

    [Fact]
    public async Task An_empty_ledger_verifies()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, new InMemoryLedgerIndex(), Signer());

        var report = await VerifyAsync(store, writer.VerifierKey, new InMemoryLedgerIndex());

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(0, report.VerifiedSize);
        Assert.Equal(1, report.CheckpointsVerified);
        Assert.Equal(0, report.IndexRowsChecked);
    }

    [Fact]
    public async Task Entries_that_straddle_the_verifiers_read_chunks_verify()
    {
        var store = new InMemoryLedgerStore();
        var index = new InMemoryLedgerIndex();
        await using var writer = await OpenAsync(store, index, Signer());
        var entries = Enumerable.Range(0, 150).Select(i =>
        {
            var payload = Payload("evidence");
            payload["blob"] = new string((char)('a' + i % 26), 60_000 + i * 7);
            return LedgerEntry.Create(Fields("evidence", $"big-{i}"), payload);
        }).ToArray();
        foreach (var wave in entries.Chunk(50)) await writer.AppendAllAsync(wave);
        await WaitForIndexAsync(writer);
        Assert.True(entries.Sum(entry => entry.Bytes.Length) > 8 * 1024 * 1024);

        var report = await VerifyAsync(store, writer.VerifierKey, index);

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(150, report.VerifiedSize);
        Assert.Equal(150, report.IndexRowsChecked);
    }

    [Fact]
    public async Task A_ledger_without_its_verifier_key_file_verifies_with_a_note()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, null, Signer());
        await writer.AppendAllAsync(NumberedEntries(3));
        store.Delete(LedgerLayout.VerifierKey);

        var report = await VerifyAsync(store, writer.VerifierKey);

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Contains(report.Notes, note => note.Contains(LedgerLayout.VerifierKey));
    }

    [Fact]
    public async Task Verifying_with_another_key_fails_on_the_key_and_every_checkpoint()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, null, Signer());
        await writer.AppendAllAsync(NumberedEntries(3));

        var report = await VerifyAsync(store, Signer().VerifierKey);

        Assert.False(report.Ok);
        Assert.Contains(report.Problems, problem => problem.Reason == VerificationReason.KeyMismatch && problem.Index is null);
        Assert.Equal((await CheckpointNamesAsync(store)).Count, report.Problems.Count(problem => problem.Reason == VerificationReason.BadSignature));
        Assert.Contains(report.Problems, problem => problem.Reason == VerificationReason.NoCheckpoint && problem.Index == 0);
        Assert.Equal(0, report.CheckpointsVerified);
        Assert.Equal(0, report.VerifiedSize);
    }

    [Fact]
    public async Task Extra_payload_members_do_not_disturb_verification()
    {
        var store = new InMemoryLedgerStore();
        await using var writer = await OpenAsync(store, null, Signer());
        var payload = Payload("order_path");
        payload["extra"] = new JsonObject { ["nested"] = new JsonArray(1, "two", null) };
        await writer.AppendAsync(LedgerEntry.Create(Fields("order_path", "op-1"), payload));

        Assert.True((await VerifyAsync(store, writer.VerifierKey)).Ok);
    }

    private static void AssertProgress(RecordingProgress<VerificationProgress> progress, int checkpoints, long segmentBytes)
    {
        var reports = progress.Reports;
        var checkpointReports = reports.Where(report => report.Stage == "checkpoints").ToList();
        Assert.Equal(Enumerable.Range(1, checkpoints).Select(i => (long)i), checkpointReports.Select(report => report.Done));
        Assert.All(checkpointReports, report => Assert.Equal(checkpoints, report.Total));
        var entryReports = reports.Where(report => report.Stage == "entries").ToList();
        Assert.NotEmpty(entryReports);
        Assert.Equal(segmentBytes, entryReports[^1].Done);
        Assert.All(entryReports, report => Assert.Equal(segmentBytes, report.Total));
        Assert.Equal(entryReports.Select(report => report.Done).Order(), entryReports.Select(report => report.Done));
    }
}
