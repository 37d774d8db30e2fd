using System.Text;
using Azure;
using Azure.Data.Tables;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Ledger.AzureStorage.Tests.Support;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Verification;

namespace Tollgate.Ledger.AzureStorage.Tests;

/// <summary>
/// What someone with the account key could do to a ledger on storage (a locked WORM policy prevents it in Azure;
/// Azurite has none), and that verification finds it and names the entry.
/// </summary>
public sealed class TamperTests(AzuriteFixture azurite) : AzuriteLedgerTests(azurite)
{
    private const int Size = 40;

    [Fact]
    public async Task A_segment_rewritten_with_one_byte_flipped_fails_at_that_entry()
    {
        var (ledger, verifierKey) = await WriteLedgerAsync();
        const long changed = 13;
        var row = (await ledger.Index.GetAsync(changed, Ct))!;
        var name = LedgerLayout.Segment(row.SegmentFirstIndex);
        var bytes = await ledger.Store.ReadSegmentAsync(row.SegmentFirstIndex, 0, null, Ct);
        // "operator-7" -> "operator-8": still a valid, canonical entry, just not the one that was appended.
        var actor = bytes.AsSpan((int)row.Offset, row.Length).IndexOf("operator-7"u8);
        Assert.True(actor >= 0);
        bytes[(int)row.Offset + actor + "operator-".Length] ^= 0x0F;

        await RewriteSegmentAsync(ledger, name, bytes);

        var report = await TestLedgers.VerifyAsync(ledger.Store, verifierKey, ledger.Index);
        Assert.False(report.Ok);
        Assert.Equal(changed, report.First!.Index);
        Assert.Equal(VerificationReason.LeafMismatch, report.First.Reason);
    }

    [Theory]
    [InlineData("Key", 7)]
    [InlineData("LeafHash", 21)]
    public async Task A_changed_entry_row_fails_naming_its_index(string field, long changed)
    {
        var (ledger, verifierKey) = await WriteLedgerAsync();
        var table = RawTable(ledger);
        var row = (await table.GetEntityAsync<TableEntity>(IndexRowKeys.EntryPartition(changed), IndexRowKeys.IndexRowKey(changed), cancellationToken: Ct)).Value;
        row[field] = field == "Key" ? "k-999999" : new string('0', 64);
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace, Ct);

        var report = await TestLedgers.VerifyAsync(ledger.Store, verifierKey, ledger.Index);

        Assert.False(report.Ok);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(changed, problem.Index);
        Assert.Equal(VerificationReason.IndexMismatch, problem.Reason);
        Assert.Equal($"entry row {changed}", problem.Subject);
    }

    [Fact]
    public async Task A_checkpoint_replaced_by_one_signed_with_another_key_fails()
    {
        var (ledger, verifierKey) = await WriteLedgerAsync();
        var sizes = (await ledger.Store.ListObjectsAsync(LedgerLayout.CheckpointPrefix, Ct))
            .Select(name => LedgerLayout.TryParseCheckpoint(name, out var size) ? size : -1).Where(size => size > 0).ToList();
        var size = sizes[sizes.Count / 2];
        var name = LedgerLayout.Checkpoint(size);
        var note = Encoding.UTF8.GetString((await ledger.Store.ReadObjectAsync(name, Ct))!);
        var text = note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 1)];
        using var forger = TestLedgers.Signer();

        await RawContainer(ledger).DeleteBlobAsync(name, cancellationToken: Ct);
        Assert.True(await ledger.Store.TryCreateObjectAsync(name, Encoding.UTF8.GetBytes(forger.SignNote(text)), Ct));

        var report = await TestLedgers.VerifyAsync(ledger.Store, verifierKey, ledger.Index);
        Assert.False(report.Ok);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(VerificationReason.BadSignature, problem.Reason);
        Assert.Equal(name, problem.Subject);
        Assert.Equal(size - 1, problem.Index);
    }

    [Fact]
    public async Task Deleting_the_last_segment_is_reported_as_truncation()
    {
        var (ledger, verifierKey) = await WriteLedgerAsync();
        var last = (await ledger.Store.ListSegmentsAsync(Ct))[^1];

        await RawContainer(ledger).DeleteBlobAsync(LedgerLayout.Segment(last.FirstIndex), cancellationToken: Ct);

        var report = await TestLedgers.VerifyAsync(ledger.Store, verifierKey, ledger.Index);
        Assert.False(report.Ok);
        Assert.Equal(last.FirstIndex, report.StoredEntries);
        Assert.Contains(report.Problems, problem => problem.Reason == VerificationReason.Truncated && problem.Index == last.FirstIndex);
        Assert.Equal(last.FirstIndex, report.First!.Index);
    }

    [Fact]
    public async Task Deleting_a_middle_segment_is_reported_as_a_gap()
    {
        var (ledger, verifierKey) = await WriteLedgerAsync();
        var segments = await ledger.Store.ListSegmentsAsync(Ct);
        var middle = segments[segments.Count / 2];

        await RawContainer(ledger).DeleteBlobAsync(LedgerLayout.Segment(middle.FirstIndex), cancellationToken: Ct);

        var report = await TestLedgers.VerifyAsync(ledger.Store, verifierKey, ledger.Index);
        Assert.False(report.Ok);
        Assert.Contains(report.Problems, problem => problem.Reason is VerificationReason.SegmentGap or VerificationReason.Truncated && problem.Index == middle.FirstIndex);
        Assert.Equal(middle.FirstIndex, report.First!.Index);
    }

    /// <summary>A verified ledger of <see cref="Size"/> entries in waves of 4, so it has many checkpoints and segments of 3 blocks.</summary>
    private async Task<(AzureLedgerStorage Ledger, string VerifierKey)> WriteLedgerAsync()
    {
        var ledger = await NewLedgerAsync(maxBlocksPerSegment: 3);
        using var signer = TestLedgers.Signer();
        await using (var writer = await TestLedgers.OpenWriterAsync(ledger.Store, ledger.Index, signer))
        {
            foreach (var wave in TestEntries.Numbered(0, Size).Chunk(4)) await writer.AppendAllAsync(wave);
            await TestLedgers.WaitForIndexAsync(writer);
        }
        var report = await TestLedgers.VerifyAsync(ledger.Store, signer.VerifierKey, ledger.Index);
        Assert.True(report.Ok, TestLedgers.Describe(report));
        Assert.True((await ledger.Store.ListSegmentsAsync(Ct)).Count >= 3);
        return (ledger, signer.VerifierKey);
    }
}
