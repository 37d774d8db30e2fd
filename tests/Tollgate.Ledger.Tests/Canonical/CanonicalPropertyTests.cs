using System.Text.Json.Nodes;
using CsCheck;
using Tollgate.Ledger.Canonical;

namespace Tollgate.Ledger.Tests.Canonical;

/// <summary>Properties over random JSON: one canonical form per value, however the value is written.</summary>
public sealed class CanonicalPropertyTests
{
    private static readonly Gen<(RandomJson.Value, int, int)> Samples = Gen.Select(RandomJson.Values(4), Gen.Int, Gen.Int);

    [Fact]
    public void Canonical_form_is_a_fixed_point()
    {
        Samples.Sample((value, seed, _) =>
        {
            var canonical = JsonCanonicalizer.Canonicalize(RandomJson.Write(value, new Random(seed)));

            Assert.Equal(canonical, JsonCanonicalizer.Canonicalize(canonical));
            Assert.True(JsonCanonicalizer.IsCanonical(canonical));
            Assert.Equal(-1, JsonCanonicalizer.FirstNonCanonicalOffset(canonical));
        }, iter: 1_000);
    }

    [Fact]
    public void Member_order_whitespace_escapes_and_notation_do_not_matter()
    {
        Samples.Sample((value, seed, otherSeed) =>
        {
            var text = RandomJson.Write(value, new Random(seed));
            var otherText = RandomJson.Write(value, new Random(otherSeed));

            var canonical = JsonCanonicalizer.Canonicalize(text);

            Assert.Equal(canonical, JsonCanonicalizer.Canonicalize(otherText));
            Assert.Equal(RandomJson.Canonical(value), canonical);
            Assert.Equal(text.AsSpan().SequenceEqual(canonical), JsonCanonicalizer.IsCanonical(text));
        }, iter: 1_000);
    }

    [Fact]
    public void A_parsed_tree_canonicalizes_as_its_text_does()
    {
        Samples.Sample((value, seed, _) =>
        {
            var text = RandomJson.Write(value, new Random(seed));

            Assert.Equal(JsonCanonicalizer.Canonicalize(text), JsonCanonicalizer.Canonicalize(JsonNode.Parse(text)));
        }, iter: 1_000);
    }
}
