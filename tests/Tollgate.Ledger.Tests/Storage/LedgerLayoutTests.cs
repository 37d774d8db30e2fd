using Tollgate.Ledger.Storage;

namespace Tollgate.Ledger.Tests.Storage;

public class LedgerLayoutTests
{
    [Fact]
    public void Names_are_zero_padded_so_ordinal_order_is_numeric_order()
    {
        Assert.Equal("segments/00000000000000000000.jsonl", LedgerLayout.Segment(0));
        Assert.Equal("checkpoints/00000000000000001234.note", LedgerLayout.Checkpoint(1234));
        Assert.Equal("objects/sha256/ab", LedgerLayout.Object("ab"));
        Assert.Equal("bundles/ab.json", LedgerLayout.BundleManifest("ab"));
        Assert.Equal("bundles/ab.sig", LedgerLayout.BundleSignature("ab"));
        Assert.True(string.CompareOrdinal(LedgerLayout.Segment(9), LedgerLayout.Segment(10)) < 0);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(17L)]
    [InlineData(long.MaxValue)]
    public void Names_parse_back(long number)
    {
        Assert.True(LedgerLayout.TryParseSegment(LedgerLayout.Segment(number), out var first));
        Assert.Equal(number, first);
        Assert.True(LedgerLayout.TryParseCheckpoint(LedgerLayout.Checkpoint(number), out var size));
        Assert.Equal(number, size);
    }

    [Theory]
    [InlineData("segments/17.jsonl")]
    [InlineData("segments/0000000000000000001x.jsonl")]
    [InlineData("segments/-0000000000000000001.jsonl")]
    [InlineData("segments/+0000000000000000001.jsonl")]
    [InlineData("segments/ 0000000000000000001.jsonl")]
    [InlineData("segments/00000000000000000017.json")]
    [InlineData("checkpoints/00000000000000000017.jsonl")]
    [InlineData("segments/00000000000000000017.jsonl.partial")]
    public void Other_names_are_not_segments(string name)
    {
        Assert.False(LedgerLayout.TryParseSegment(name, out _));
    }

    [Fact]
    public void Checkpoint_and_segment_names_do_not_overlap()
    {
        Assert.False(LedgerLayout.TryParseCheckpoint(LedgerLayout.Segment(3), out _));
        Assert.False(LedgerLayout.TryParseSegment(LedgerLayout.Checkpoint(3), out _));
    }
}
