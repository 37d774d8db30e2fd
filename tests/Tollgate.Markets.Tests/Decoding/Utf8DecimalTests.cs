using System.Globalization;
using System.Text;
using CsCheck;
using Tollgate.Markets.Binance.Frames;

namespace Tollgate.Markets.Tests.Decoding;

/// <summary>Binance's decimal strings to <see cref="decimal"/>: exact, and only the plain form.</summary>
public sealed class Utf8DecimalTests
{
    private static bool Parse(string s, out decimal value) => Utf8Decimal.TryParse(Encoding.UTF8.GetBytes(s), out value);

    [Fact]
    public void Every_decimal_printed_invariantly_parses_back_equal()
    {
        Gen.Decimal.Sample(d =>
        {
            var text = d.ToString(CultureInfo.InvariantCulture);
            Assert.True(Parse(text, out var parsed), $"'{text}' refused");
            Assert.Equal(d, parsed);
            Assert.Equal(text, parsed.ToString(CultureInfo.InvariantCulture));
        }, iter: 20_000);
    }

    [Fact]
    public void Decimals_with_binance_shapes_parse_back_equal()
    {
        // Prices and quantities as Binance prints them: up to 8 decimal places, trailing zeros kept.
        Gen.Select(Gen.Long[0, 100_000_000_000_000L], Gen.Int[0, 8], Gen.Bool).Sample((units, scale, negative) =>
        {
            var d = new decimal(units) / (decimal)Math.Pow(10, scale);
            if (negative) d = -d;
            var text = d.ToString("F" + scale, CultureInfo.InvariantCulture);
            Assert.True(Parse(text, out var parsed), $"'{text}' refused");
            Assert.Equal(decimal.Parse(text, CultureInfo.InvariantCulture), parsed);
            Assert.Equal(text, parsed.ToString("F" + scale, CultureInfo.InvariantCulture));
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("25.35190000", "25.35190000")]
    [InlineData("0.00000001", "0.00000001")]
    [InlineData("-0.00038167", "-0.00038167")]
    [InlineData("007.50", "7.50")]
    [InlineData("-0", "0")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335", "-79228162514264337593543950335")]
    [InlineData("7.9228162514264337593543950335", "7.9228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [InlineData("1234567890123456789", "1234567890123456789")]
    [InlineData("12345678901234567890", "12345678901234567890")]
    public void Plain_decimals_parse_exactly(string text, string printed)
    {
        Assert.True(Parse(text, out var value), $"'{text}' refused");
        Assert.Equal(printed, value.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("-.")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("+1")]
    [InlineData("--1")]
    [InlineData("1e5")]
    [InlineData("1E5")]
    [InlineData("1.5e-3")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,5")]
    [InlineData("1.2.3")]
    [InlineData("0x10")]
    [InlineData("١٢")] // Arabic-Indic digits
    [InlineData("123456789012345678901234567890")] // 30 digits: more than decimal holds
    [InlineData("79228162514264337593543950336")] // decimal.MaxValue + 1
    [InlineData("0.00000000000000000000000000001")] // scale 29
    [InlineData("8.0000000000000000000000000001")] // 29 significant digits that do not fit at scale 28
    public void Malformed_or_unrepresentable_strings_are_refused(string text)
    {
        Assert.False(Parse(text, out var value), $"'{text}' accepted as {value}");
        Assert.Equal(0m, value);
    }

    [Fact]
    public void Random_strings_either_are_refused_or_mean_what_decimal_parse_says()
    {
        var chars = Gen.Char["0123456789.-+eE ,"];
        chars.Array[0, 32].Select(a => new string(a)).Sample(text =>
        {
            if (Parse(text, out var value))
            {
                Assert.Matches(@"^-?[0-9]+(\.[0-9]+)?$", text);
                Assert.Equal(decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), value);
            }
        }, iter: 20_000);
    }
}
