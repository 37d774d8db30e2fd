using Tollgate.Ledger.Notes;

namespace Tollgate.Ledger.Tests.Notes;

/// <summary>The signed note format (c2sp.org/signed-note): strict parsing, and formatting as its exact inverse.</summary>
public sealed class SignedNoteTests
{
    // Any canonical base64 of at least five bytes parses; these are not real signatures.
    private const string Sig = "AAAAAQECAwQ=";
    private const string OtherSig = "//79/PsAAQI=";

    [Theory]
    [InlineData("hello\n\n— example.com/key AAAAAQECAwQ=\n")]
    [InlineData("two\nlines\n\n— a AAAAAQECAwQ=\n— b //79/PsAAQI=\n")]
    [InlineData("text with\n\nblank lines\n\n\n— a AAAAAQECAwQ=\n")]
    [InlineData("\n\n— a AAAAAQECAwQ=\n")]
    [InlineData("ünïcödé ✓ 😀\n\n— nämé AAAAAQECAwQ=\n")]
    [InlineData("— looks like a signature, but is text\n\n— a AAAAAQECAwQ=\n")]
    public void Format_gives_back_exactly_what_was_parsed(string text)
        => Assert.Equal(text, SignedNote.Parse(text).Format());

    [Fact]
    public void Parse_splits_at_the_last_blank_line()
    {
        var note = SignedNote.Parse("a\n\nb\n\n— k AAAAAQECAwQ=\n— j //79/PsAAQI=\n");

        Assert.Equal("a\n\nb\n", note.Text);
        Assert.Equal([new NoteSignature("k", 0x00000001, [1, 2, 3, 4]), new NoteSignature("j", 0xFFFEFDFC, [0xFB, 0, 1, 2])], note.Signatures);
    }

    [Fact]
    public void Parse_gives_back_exactly_what_was_formatted()
    {
        var note = new SignedNote("x\n\n", [new NoteSignature("k", 0xDEADBEEF, [9]), new NoteSignature("k", 1, new byte[100])]);

        var parsed = SignedNote.Parse(note.Format());

        Assert.Equal(note, parsed);
        Assert.Equal(note.GetHashCode(), parsed.GetHashCode());
    }

    [Theory]
    [InlineData("no final newline\n\n— a " + Sig, NoteReason.Malformed)]
    [InlineData("", NoteReason.Malformed)]
    [InlineData("text\n\n-- a " + Sig + "\n", NoteReason.Malformed)]
    [InlineData("text\n\n— a\n", NoteReason.Malformed)]
    [InlineData("text\n\n—a " + Sig + "\n", NoteReason.Malformed)]
    [InlineData("text\n\n " + Sig + "\n", NoteReason.Malformed)]
    [InlineData("text\n", NoteReason.NoSignatures)]
    [InlineData("text\n\n", NoteReason.NoSignatures)]
    [InlineData("text\n\n— a " + Sig + "\n\n", NoteReason.NoSignatures)]
    [InlineData("text\n\n—  " + Sig + "\n", NoteReason.BadKeyName)]
    [InlineData("text\n\n— a+b " + Sig + "\n", NoteReason.BadKeyName)]
    [InlineData("text\n\n— a\u00a0b " + Sig + "\n", NoteReason.BadKeyName)]
    [InlineData("text\n\n— a " + Sig + " \n", NoteReason.BadBase64)]
    [InlineData("text\n\n— a  " + Sig + "\n", NoteReason.BadBase64)]
    [InlineData("text\n\n— a AAAAAQECAwQ\n", NoteReason.BadBase64)]
    [InlineData("text\n\n— a AAAAAQECAwR=\n", NoteReason.BadBase64)]
    [InlineData("text\n\n— a AAAA AQECAwQ=\n", NoteReason.BadBase64)]
    [InlineData("text\n\n— a AAAAAQECAw-=\n", NoteReason.BadBase64)]
    [InlineData("text\n\n— a AAAAAA==\n", NoteReason.BadBase64)]
    [InlineData("text\r\n\n— a " + Sig + "\n", NoteReason.ControlCharacter)]
    [InlineData("te\txt\n\n— a " + Sig + "\n", NoteReason.ControlCharacter)]
    [InlineData("text\n\n— a " + Sig + "\r\n", NoteReason.ControlCharacter)]
    [InlineData("te\0xt\n\n— a " + Sig + "\n", NoteReason.ControlCharacter)]
    public void Parse_is_strict(string signedNote, string reason)
        => Assert.Equal(reason, Assert.Throws<NoteFormatException>(() => SignedNote.Parse(signedNote)).Reason);

    // Lone surrogates cannot travel through xunit's theory data (it replaces them), hence a fact.
    [Fact]
    public void Lone_surrogates_are_refused_both_ways()
    {
        Assert.Equal(NoteReason.InvalidUnicode, Assert.Throws<NoteFormatException>(() => SignedNote.Parse("te\ud800xt\n\n— a " + Sig + "\n")).Reason);
        Assert.Equal(NoteReason.InvalidUnicode, Assert.Throws<NoteFormatException>(() => SignedNote.Parse("text\n\n— a\udc00 " + Sig + "\n")).Reason);
        Assert.Equal(NoteReason.InvalidUnicode, Assert.Throws<NoteFormatException>(() => SignedNote.Parse("text\udbff\n\n— a " + Sig + "\n")).Reason);
        var note = new SignedNote("lone \ud800\n", [new NoteSignature("k", 1, [1])]);
        Assert.Equal(NoteReason.InvalidUnicode, Assert.Throws<NoteFormatException>(note.Format).Reason);
        var badName = new SignedNote("ok\n", [new NoteSignature("k\udc00", 1, [1])]);
        Assert.Equal(NoteReason.BadKeyName, Assert.Throws<NoteFormatException>(badName.Format).Reason);
    }

    [Fact]
    public void Parse_accepts_up_to_the_signature_limit_and_no_more()
    {
        static string Note(int signatures) => "t\n\n" + string.Concat(Enumerable.Repeat("— a " + OtherSig + "\n", signatures));

        Assert.Equal(SignedNote.MaxSignatures, SignedNote.Parse(Note(SignedNote.MaxSignatures)).Signatures.Count);
        Assert.Equal(NoteReason.TooManySignatures, Assert.Throws<NoteFormatException>(() => SignedNote.Parse(Note(SignedNote.MaxSignatures + 1))).Reason);
    }

    [Theory]
    [InlineData("no newline", "k", NoteReason.Malformed)]
    [InlineData("", "k", NoteReason.Malformed)]
    [InlineData("tab\t\n", "k", NoteReason.ControlCharacter)]
    [InlineData("ok\n", "", NoteReason.BadKeyName)]
    [InlineData("ok\n", "a b", NoteReason.BadKeyName)]
    [InlineData("ok\n", "a+b", NoteReason.BadKeyName)]
    [InlineData("ok\n", "a\nb", NoteReason.BadKeyName)]
    public void Format_refuses_what_parse_would_refuse(string text, string keyName, string reason)
    {
        var note = new SignedNote(text, [new NoteSignature(keyName, 1, [1])]);

        Assert.Equal(reason, Assert.Throws<NoteFormatException>(note.Format).Reason);
    }

    [Fact]
    public void Format_refuses_no_empty_or_too_many_signatures()
    {
        Assert.Equal(NoteReason.NoSignatures, Assert.Throws<NoteFormatException>(new SignedNote("t\n", []).Format).Reason);
        Assert.Equal(NoteReason.BadBase64, Assert.Throws<NoteFormatException>(new SignedNote("t\n", [new NoteSignature("k", 1, [])]).Format).Reason);
        var tooMany = Enumerable.Repeat(new NoteSignature("k", 1, [1]), SignedNote.MaxSignatures + 1).ToArray();
        Assert.Equal(NoteReason.TooManySignatures, Assert.Throws<NoteFormatException>(new SignedNote("t\n", tooMany).Format).Reason);
    }

    [Fact]
    public void Signatures_compare_by_content()
    {
        Assert.Equal(new NoteSignature("k", 7, [1, 2]), new NoteSignature("k", 7, [1, 2]));
        Assert.NotEqual(new NoteSignature("k", 7, [1, 2]), new NoteSignature("k", 7, [1, 3]));
        Assert.NotEqual(new NoteSignature("k", 7, [1, 2]), new NoteSignature("k", 8, [1, 2]));
        Assert.NotEqual(new NoteSignature("k", 7, [1, 2]), new NoteSignature("j", 7, [1, 2]));
    }
}
