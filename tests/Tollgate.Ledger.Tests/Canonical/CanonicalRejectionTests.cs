using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Ledger.Canonical;

namespace Tollgate.Ledger.Tests.Canonical;

/// <summary>Every input without a canonical form is refused with its reason code, by every entry point.</summary>
public sealed class CanonicalRejectionTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("[1,]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("[1/*comment*/]")]
    [InlineData("// comment\n1")]
    [InlineData("01")]
    [InlineData("-01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("1e")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("'a'")]
    [InlineData("{a:1}")]
    [InlineData("[1 2]")]
    [InlineData("1 2")]
    [InlineData("{} {}")]
    [InlineData("\"tab\there\"")]
    [InlineData("\"new\nline\"")]
    [InlineData("\"\\x41\"")]
    [InlineData("\"\\u12\"")]
    [InlineData("tru")]
    [InlineData("nul")]
    [InlineData("[\"unterminated]")]
    public void Refuses_what_is_not_strict_json(string json)
        => AssertRefused(Encoding.UTF8.GetBytes(json), CanonicalJsonReason.Invalid);

    [Fact]
    public void Refuses_a_byte_order_mark()
        => AssertRefused([0xEF, 0xBB, 0xBF, (byte)'1'], CanonicalJsonReason.Invalid);

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":1,\"a\":1}")]
    [InlineData("{\"a\":1,\"\\u0061\":2}")]
    [InlineData("{\"b\":1,\"a\":2,\"b\":3}")]
    [InlineData("{\"\\ud83d\\ude00\":1,\"\U0001F600\":2}")]
    [InlineData("[{\"x\":{\"y\":1,\"y\":2}}]")]
    [InlineData("{\"\":1,\"\":2}")]
    public void Refuses_duplicate_member_names(string json)
        => AssertRefused(Encoding.UTF8.GetBytes(json), CanonicalJsonReason.DuplicateKey);

    [Fact]
    public void Refuses_a_duplicate_among_many_unsorted_members()
    {
        var names = Enumerable.Range(0, 60).Select(i => $"k{i * 7 % 60}").Append("k13");
        var json = "{" + string.Join(",", names.Select(name => $"\"{name}\":0")) + "}";

        AssertRefused(Encoding.UTF8.GetBytes(json), CanonicalJsonReason.DuplicateKey);
    }

    [Theory]
    [InlineData("1e309")]
    [InlineData("-1e309")]
    [InlineData("[1.8e308]")]
    [InlineData("{\"n\":1e400}")]
    [InlineData("123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890")]
    public void Refuses_numbers_beyond_double(string json)
        => AssertRefused(Encoding.UTF8.GetBytes(json), CanonicalJsonReason.NumberOutOfRange);

    [Theory]
    [InlineData(new byte[] { (byte)'"', 0xC3, 0x28, (byte)'"' })] // truncated two-byte sequence
    [InlineData(new byte[] { (byte)'"', 0xED, 0xA0, 0x80, (byte)'"' })] // an encoded surrogate (CESU-8)
    [InlineData(new byte[] { (byte)'"', 0xC0, 0xAF, (byte)'"' })] // overlong '/'
    [InlineData(new byte[] { (byte)'"', 0xF4, 0x90, 0x80, 0x80, (byte)'"' })] // beyond U+10FFFF
    [InlineData(new byte[] { (byte)'"', 0xFF, (byte)'"' })]
    [InlineData(new byte[] { (byte)'[', (byte)'1', (byte)']', 0x80 })] // outside any string
    public void Refuses_bytes_that_are_not_utf8(byte[] json)
        => AssertRefused(json, CanonicalJsonReason.InvalidUnicode);

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("\"\\udc00\"")]
    [InlineData("\"\\ud800\\u0041\"")]
    [InlineData("\"\\ude00\\ud83d\"")]
    [InlineData("\"\\ud83d\"")]
    [InlineData("\"x\\ud83dx\"")]
    [InlineData("{\"\\udead\":1}")]
    public void Refuses_lone_surrogates(string json)
        => AssertRefused(Encoding.UTF8.GetBytes(json), CanonicalJsonReason.InvalidUnicode);

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{\"a\":", "}")]
    public void Accepts_64_levels_and_refuses_65(string open, string close)
    {
        static byte[] Nest(string open, string close, int depth)
            => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, depth)) + "0" + string.Concat(Enumerable.Repeat(close, depth)));

        JsonCanonicalizer.Canonicalize(Nest(open, close, 64));
        AssertRefused(Nest(open, close, 65), CanonicalJsonReason.TooDeep);
        AssertRefused(Nest(open, close, 1000), CanonicalJsonReason.TooDeep);
    }

    [Fact]
    public void Refuses_nodes_without_a_json_form()
    {
        AssertNodeRefused(new JsonArray(double.NaN), CanonicalJsonReason.NumberOutOfRange);
        AssertNodeRefused(new JsonArray(double.PositiveInfinity), CanonicalJsonReason.NumberOutOfRange);
        AssertNodeRefused(new JsonArray(float.NegativeInfinity), CanonicalJsonReason.NumberOutOfRange);
        AssertNodeRefused(new JsonArray("lone \ud800"), CanonicalJsonReason.InvalidUnicode);
        AssertNodeRefused(new JsonObject { ["lone \udc00"] = 1 }, CanonicalJsonReason.InvalidUnicode);
        AssertNodeRefused(JsonNode.Parse("[\"\\ud800\"]"), CanonicalJsonReason.InvalidUnicode);
        AssertNodeRefused(JsonNode.Parse("{\"\\ud800\":1}"), CanonicalJsonReason.InvalidUnicode);
        AssertNodeRefused(JsonNode.Parse("[1e400]"), CanonicalJsonReason.NumberOutOfRange);
    }

    [Fact]
    public void Refuses_node_trees_deeper_than_64()
    {
        static JsonNode Nest(int depth)
        {
            JsonNode node = new JsonArray();
            for (var i = 1; i < depth; i++) node = new JsonArray(node);
            return node;
        }

        JsonCanonicalizer.Canonicalize(Nest(64));
        AssertNodeRefused(Nest(65), CanonicalJsonReason.TooDeep);
    }

    [Fact]
    public void A_refusal_does_not_spoil_the_next_call()
    {
        AssertRefused("{\"b\":[1,{\"y\":1,\"x\":2,\"y\":3}],\"a\":1}"u8.ToArray(), CanonicalJsonReason.DuplicateKey);

        Assert.Equal("{\"a\":1,\"b\":2}"u8.ToArray(), JsonCanonicalizer.Canonicalize("{\"b\":2,\"a\":1}"u8));
    }

    private static void AssertRefused(byte[] json, string reason)
    {
        Assert.Equal(reason, Assert.Throws<CanonicalJsonException>(() => JsonCanonicalizer.Canonicalize(json)).Reason);
        Assert.Equal(reason, Assert.Throws<CanonicalJsonException>(() => JsonCanonicalizer.FirstNonCanonicalOffset(json)).Reason);
        Assert.False(JsonCanonicalizer.IsCanonical(json));
    }

    private static void AssertNodeRefused(JsonNode? node, string reason)
        => Assert.Equal(reason, Assert.Throws<CanonicalJsonException>(() => JsonCanonicalizer.Canonicalize(node)).Reason);
}
