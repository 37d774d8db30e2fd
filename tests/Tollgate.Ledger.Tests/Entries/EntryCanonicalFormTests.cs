using System.Text;
using Tollgate.Ledger.Entries;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Entries;

/// <summary>An entry's bytes are what the tree hashes, so only the one canonical spelling of an entry is accepted.</summary>
public class EntryCanonicalFormTests
{
    private static readonly byte[] Valid = Entry("approval", "ap/1").Bytes;
    private static string Text => Encoding.UTF8.GetString(Valid);

    [Fact]
    public void Whitespace_is_refused_with_its_offset()
    {
        var e = RefusedParse(LedgerReason.NotCanonical, Encoding.UTF8.GetBytes("{ " + Text[1..]));

        Assert.Contains("at byte 1.", e.Message);
    }

    [Fact]
    public void Whitespace_deep_inside_is_refused_with_its_offset()
    {
        var at = Text.IndexOf("\"payload\":", StringComparison.Ordinal) + "\"payload\":".Length;

        var e = RefusedParse(LedgerReason.NotCanonical, Encoding.UTF8.GetBytes(Text[..at] + "\n" + Text[at..]));

        Assert.Contains($"at byte {at}.", e.Message);
    }

    [Fact]
    public void Unsorted_members_are_refused_with_the_offset_of_the_first_difference()
    {
        var unsorted = "{\"v\":1," + Text[1..^"\"v\":1}".Length].TrimEnd(',') + "}";

        var e = RefusedParse(LedgerReason.NotCanonical, Encoding.UTF8.GetBytes(unsorted));

        Assert.Contains("at byte 2.", e.Message);
    }

    [Fact]
    public void A_non_canonical_number_is_refused_at_the_number()
    {
        Assert.EndsWith("\"v\":1}", Text);

        var e = RefusedParse(LedgerReason.NotCanonical, Encoding.UTF8.GetBytes(Text[..^1] + ".0}"));

        Assert.Contains($"at byte {Valid.Length - 1}.", e.Message);
    }

    [Fact]
    public void An_needless_escape_is_refused_at_the_escape()
    {
        Assert.StartsWith("{\"actor\":\"operator-7\"", Text);

        var e = RefusedParse(LedgerReason.NotCanonical, Encoding.UTF8.GetBytes("{\"actor\":\"\\u006fperator-7\"" + Text["{\"actor\":\"operator-7\"".Length..]));

        Assert.Contains("at byte 10.", e.Message);
    }

    [Fact]
    public void A_trailing_newline_is_not_part_of_an_entry()
    {
        var e = RefusedParse(LedgerReason.NotCanonical, [.. Valid, (byte)'\n']);

        Assert.Contains($"at byte {Valid.Length}.", e.Message);
    }

    [Theory]
    [InlineData("{\"actor\":")]
    [InlineData("not json")]
    [InlineData("{\"a\":1}{\"b\":2}")]
    [InlineData("")]
    public void Bytes_that_are_not_json_are_refused(string text)
    {
        RefusedParse(LedgerReason.NotJson, Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        var bytes = Valid.ToArray();
        bytes[Text.IndexOf("operator-7", StringComparison.Ordinal)] = 0xff;

        var e = Assert.Throws<LedgerException>(() => LedgerEntry.Parse(bytes));

        Assert.Contains(e.Reason, new[] { LedgerReason.NotJson, LedgerReason.NotCanonical });
    }

    [Fact]
    public void An_entry_of_exactly_the_maximum_size_is_accepted_and_one_byte_more_is_refused()
    {
        var padding = LedgerEntry.MaxBytes - Padded(0).Bytes.Length;

        Assert.Equal(LedgerEntry.MaxBytes, Padded(padding).Bytes.Length);
        var e = Refused(LedgerReason.TooLarge, () => Padded(padding + 1));
        Assert.Contains($"{LedgerEntry.MaxBytes + 1}", e.Message);
    }

    [Fact]
    public void Size_is_checked_before_anything_else()
    {
        RefusedParse(LedgerReason.TooLarge, new byte[LedgerEntry.MaxBytes + 1]);
    }

    private static LedgerEntry Padded(int padding)
    {
        var payload = Payload("approval");
        payload["pad"] = new string('x', padding);
        return LedgerEntry.Create(Fields(), payload);
    }
}
