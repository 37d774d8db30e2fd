using System.Text;
using Tollgate.Ledger.Canonical;

namespace Tollgate.Ledger.Tests.Canonical;

/// <summary>IsCanonical and FirstNonCanonicalOffset, which let a writer refuse non-canonical entries with a pointer to the problem.</summary>
public sealed class CanonicalOffsetTests
{
    [Theory]
    [InlineData("{\"a\":1,\"b\":2}")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("0")]
    [InlineData("-1.5e-7")]
    [InlineData("{\"\":[true,false,null,\"\\u001f\",1e+21]}")]
    public void Canonical_input_is_recognised(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.True(JsonCanonicalizer.IsCanonical(bytes));
        Assert.Equal(-1, JsonCanonicalizer.FirstNonCanonicalOffset(bytes));
    }

    [Theory]
    [InlineData(" 1", 0)]
    [InlineData("1 ", 1)]
    [InlineData("{\"a\":1, \"b\":2}", 7)]
    [InlineData("{\"b\":1,\"a\":2}", 2)]
    [InlineData("[1.0]", 2)]
    [InlineData("[1E2]", 2)]
    [InlineData("[-0]", 1)]
    [InlineData("[1e21]", 3)]
    [InlineData("\"\\u0041\"", 1)]
    [InlineData("\"\\/\"", 1)]
    [InlineData("\"\\u001F\"", 6)]
    [InlineData("{\"a\":{\"d\":1,\"c\":2}}", 7)]
    public void Non_canonical_input_points_at_the_first_difference(string json, long offset)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.False(JsonCanonicalizer.IsCanonical(bytes));
        Assert.Equal(offset, JsonCanonicalizer.FirstNonCanonicalOffset(bytes));
    }
}
