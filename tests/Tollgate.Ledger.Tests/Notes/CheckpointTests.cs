using Tollgate.Ledger.Checkpoints;

namespace Tollgate.Ledger.Tests.Notes;

/// <summary>Checkpoint note texts (c2sp.org/tlog-checkpoint): strict parsing, and writing as its exact inverse.</summary>
public sealed class CheckpointTests
{
    private const string Root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

    [Theory]
    [InlineData("example.com/behind-the-sofa\n20852163\n" + Root + "\n")]
    [InlineData("o\n0\n" + Root + "\n")]
    [InlineData("o\n9223372036854775807\n" + Root + "\n")]
    [InlineData("rekor.sigstore.dev - 2605736670972794746\n1\n" + Root + "\nTimestamp: 1\nanother extension\n")]
    [InlineData("ünïcödé 😀\n1\n" + Root + "\n")]
    public void Note_text_round_trips(string text)
    {
        var checkpoint = Checkpoint.ParseNoteText(text);

        Assert.Equal(text, checkpoint.ToNoteText());
        Assert.Equal(checkpoint, Checkpoint.ParseNoteText(checkpoint.ToNoteText()));
    }

    [Fact]
    public void Fields_are_read_from_the_c2sp_example()
    {
        var checkpoint = Checkpoint.ParseNoteText("example.com/behind-the-sofa\n20852163\n" + Root + "\n");

        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163, checkpoint.Size);
        Assert.Equal(Convert.FromBase64String(Root), checkpoint.RootHash);
        Assert.Empty(checkpoint.Extensions);
    }

    [Theory]
    [InlineData("o\n1\n" + Root, CheckpointReason.Malformed)]
    [InlineData("", CheckpointReason.Malformed)]
    [InlineData("o\n1\n", CheckpointReason.Malformed)]
    [InlineData("o\n", CheckpointReason.Malformed)]
    [InlineData("o\r\n1\n" + Root + "\n", CheckpointReason.Malformed)]
    [InlineData("o\t\n1\n" + Root + "\n", CheckpointReason.Malformed)]
    [InlineData("\n1\n" + Root + "\n", CheckpointReason.BadOrigin)]
    [InlineData("o\n01\n" + Root + "\n", CheckpointReason.BadSize)]
    [InlineData("o\n00\n" + Root + "\n", CheckpointReason.BadSize)]
    [InlineData("o\n+1\n" + Root + "\n", CheckpointReason.BadSize)]
    [InlineData("o\n-1\n" + Root + "\n", CheckpointReason.BadSize)]
    [InlineData("o\n1.0\n" + Root + "\n", CheckpointReason.BadSize)]
    [InlineData("o\n 1\n" + Root + "\n", CheckpointReason.BadSize)]
    [InlineData("o\n\n" + Root + "\n", CheckpointReason.BadSize)]
    [InlineData("o\n9223372036854775808\n" + Root + "\n", CheckpointReason.BadSize)]
    [InlineData("o\n１\n" + Root + "\n", CheckpointReason.BadSize)]
    [InlineData("o\n1\nAAAA\n", CheckpointReason.BadRootHash)]
    [InlineData("o\n1\n" + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", CheckpointReason.BadRootHash)]
    [InlineData("o\n1\n" + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", CheckpointReason.BadRootHash)]
    [InlineData("o\n1\n" + "CsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n", CheckpointReason.BadRootHash)]
    [InlineData("o\n1\n" + Root + "AAAA\n", CheckpointReason.BadRootHash)]
    [InlineData("o\n1\n\n", CheckpointReason.BadRootHash)]
    [InlineData("o\n1\n" + Root + "\n\n", CheckpointReason.BadExtension)]
    [InlineData("o\n1\n" + Root + "\next\n\nmore\n", CheckpointReason.BadExtension)]
    public void Parsing_is_strict(string text, string reason)
        => Assert.Equal(reason, Assert.Throws<CheckpointFormatException>(() => Checkpoint.ParseNoteText(text)).Reason);

    [Fact]
    public void Parsing_refuses_a_lone_surrogate()
        => Assert.Equal(CheckpointReason.Malformed, Assert.Throws<CheckpointFormatException>(() => Checkpoint.ParseNoteText("o\ud800\n1\n" + Root + "\n")).Reason);

    [Fact]
    public void Writing_refuses_what_parsing_would_refuse()
    {
        var root = new byte[32];
        var cases = new (Checkpoint Checkpoint, string Reason)[]
        {
            (new Checkpoint("", 1, root, []), CheckpointReason.BadOrigin),
            (new Checkpoint("two\nlines", 1, root, []), CheckpointReason.BadOrigin),
            (new Checkpoint("tab\t", 1, root, []), CheckpointReason.BadOrigin),
            (new Checkpoint("lone \ud800", 1, root, []), CheckpointReason.BadOrigin),
            (new Checkpoint("o", -1, root, []), CheckpointReason.BadSize),
            (new Checkpoint("o", 1, new byte[31], []), CheckpointReason.BadRootHash),
            (new Checkpoint("o", 1, new byte[33], []), CheckpointReason.BadRootHash),
            (new Checkpoint("o", 1, root, [""]), CheckpointReason.BadExtension),
            (new Checkpoint("o", 1, root, ["a\nb"]), CheckpointReason.BadExtension),
        };

        foreach (var (checkpoint, reason) in cases)
            Assert.Equal(reason, Assert.Throws<CheckpointFormatException>(checkpoint.ToNoteText).Reason);
    }

    [Fact]
    public void Equality_compares_contents_not_references()
    {
        var a = new Checkpoint("o", 5, Convert.FromBase64String(Root), ["x"]);
        var b = new Checkpoint("o", 5, Convert.FromBase64String(Root), new List<string> { "x" });

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Size = 6 });
        Assert.NotEqual(a, b with { RootHash = new byte[32] });
        Assert.NotEqual(a, b with { Extensions = [] });
        Assert.NotEqual(a, b with { Origin = "p" });
        Assert.Contains(Root, a.ToString());
    }
}
