using System.Globalization;
using System.Text;
using CsCheck;
using Tollgate.Ledger.Canonical;

namespace Tollgate.Ledger.Tests.Canonical;

/// <summary>ECMA-262 Number::toString: RFC 8785 Appendix B and numbers written by V8 (Vectors/jcs/SOURCE.md).</summary>
public sealed class EcmaScriptNumberTests
{
    [Theory]
    [MemberData(nameof(AppendixB))]
    public void Rfc8785_appendix_b(string ieee754, string expected)
    {
        var value = BitConverter.UInt64BitsToDouble(ulong.Parse(ieee754, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        if (expected.Length == 0)
        {
            var error = Assert.Throws<CanonicalJsonException>(() => EcmaScriptNumber.Format(value));
            Assert.Equal(CanonicalJsonReason.NumberOutOfRange, error.Reason);
            return;
        }
        Assert.Equal(expected, EcmaScriptNumber.Format(value));
        // The same value read from JSON text (in .NET's own notation) canonicalizes to the same text.
        var json = Encoding.ASCII.GetBytes($"[{value.ToString("R", CultureInfo.InvariantCulture)}]");
        Assert.Equal($"[{expected}]", Encoding.ASCII.GetString(JsonCanonicalizer.Canonicalize(json)));
    }

    public static TheoryData<string, string> AppendixB()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in JcsVectorFiles.Lines("rfc8785/appendix-b.csv"))
        {
            var comma = line.IndexOf(',');
            data.Add(line[..comma], line[(comma + 1)..]);
        }
        return data;
    }

    [Fact]
    public void Matches_v8_on_every_generated_number()
    {
        var mismatches = new List<string>();
        var count = 0;
        foreach (var line in JcsVectorFiles.Lines("es6-v8-numbers.csv"))
        {
            var comma = line.IndexOf(',');
            var value = BitConverter.UInt64BitsToDouble(ulong.Parse(line.AsSpan(0, comma), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            var actual = EcmaScriptNumber.Format(value);
            if (actual != line[(comma + 1)..]) mismatches.Add($"{line} (got {actual})");
            count++;
        }

        Assert.Equal(600, count);
        Assert.Empty(mismatches);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.0, "-1")]
    [InlineData(100.0, "100")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e21, "1.5e+21")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(0.5, "0.5")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(1.5e-6, "0.0000015")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(-1.25e-100, "-1.25e-100")]
    [InlineData(1e100, "1e+100")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(5e-324, "5e-324")]
    public void Lays_out_digits_as_ecma262_7_1_12_1(double value, string expected)
        => Assert.Equal(expected, EcmaScriptNumber.Format(value));

    [Fact]
    public void Negative_zero_is_written_as_zero() => Assert.Equal("0", EcmaScriptNumber.Format(-0.0));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Refuses_values_json_cannot_hold(double value)
        => Assert.Equal(CanonicalJsonReason.NumberOutOfRange, Assert.Throws<CanonicalJsonException>(() => EcmaScriptNumber.Format(value)).Reason);

    [Fact]
    public void Reads_back_as_the_same_double()
    {
        Gen.Double.Where(double.IsFinite).Sample(value =>
        {
            var text = EcmaScriptNumber.Format(value);
            Assert.Equal(value == 0 ? 0.0 : value, double.Parse(text, CultureInfo.InvariantCulture));
            Assert.DoesNotContain('E', text);
        }, iter: 20_000);
    }
}
