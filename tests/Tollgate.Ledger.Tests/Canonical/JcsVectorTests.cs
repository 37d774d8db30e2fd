using System.Text;
using System.Text.Json;
using Tollgate.Ledger.Canonical;

namespace Tollgate.Ledger.Tests.Canonical;

/// <summary>The published RFC 8785 examples and the reference test data of its author (Vectors/jcs/SOURCE.md).</summary>
public sealed class JcsVectorTests
{
    [Theory]
    [MemberData(nameof(CyberphoneCases))]
    public void Cyberphone_input_canonicalizes_to_its_output(string name)
    {
        var expected = JcsVectorFiles.Bytes($"output/{name}");

        Assert.Equal(expected, JsonCanonicalizer.Canonicalize(JcsVectorFiles.Bytes($"input/{name}")));
        Assert.True(JsonCanonicalizer.IsCanonical(expected));
        Assert.Equal(-1, JsonCanonicalizer.FirstNonCanonicalOffset(expected));
    }

    public static TheoryData<string> CyberphoneCases() => JcsVectorFiles.CyberphoneCases();

    [Fact]
    public void Cyberphone_outhex_gives_the_exact_bytes()
    {
        var canonical = JsonCanonicalizer.Canonicalize(JcsVectorFiles.Bytes("input/simpleString.json"));

        Assert.Equal(JcsVectorFiles.Hex("outhex/simpleString.txt"), canonical);
    }

    [Fact]
    public void Rfc8785_section_3_2_2_sample_gives_the_section_3_2_3_form_and_3_2_4_bytes()
    {
        var canonical = JsonCanonicalizer.Canonicalize(JcsVectorFiles.Bytes("rfc8785/section-3.2.2-input.json"));

        Assert.Equal(JcsVectorFiles.Bytes("rfc8785/section-3.2.3-output.json"), canonical);
        Assert.Equal(JcsVectorFiles.Hex("rfc8785/section-3.2.4-utf8.hex"), canonical);
    }

    [Fact]
    public void Rfc8785_section_3_2_3_sorts_by_utf16_code_units()
    {
        var canonical = JsonCanonicalizer.Canonicalize(JcsVectorFiles.Bytes("rfc8785/section-3.2.3-sorting-input.json"));

        using var document = JsonDocument.Parse(canonical);
        var values = document.RootElement.EnumerateObject().Select(member => member.Value.GetString()).ToArray();
        Assert.Equal(JcsVectorFiles.Lines("rfc8785/section-3.2.3-sorting-order.txt"), values);
        // U+1F600 (surrogates D83D DE00) sorts before U+FB33 although its code point is larger.
        Assert.Contains("\"\U0001F600\":\"Emoji: Grinning Face\",\"\uFB33\"", Encoding.UTF8.GetString(canonical));
    }

    [Fact]
    public void Rfc8785_appendix_c_record_is_sorted_as_stated()
    {
        var canonical = JsonCanonicalizer.Canonicalize(JcsVectorFiles.Bytes("rfc8785/appendix-c-input.json"));

        using var document = JsonDocument.Parse(canonical);
        Assert.Equal(JcsVectorFiles.Lines("rfc8785/appendix-c-order.txt"), document.RootElement.EnumerateObject().Select(member => member.Name));
        Assert.Equal(
            """{"address":"2000 Sunset Boulevard","city":"Los Angeles","name":"John Doe","state":"CA","zip":"90001"}"""u8.ToArray(),
            canonical);
    }

    [Fact]
    public void Rfc8785_appendix_d_giant_number_is_refused()
    {
        var error = Assert.Throws<CanonicalJsonException>(() => JsonCanonicalizer.Canonicalize(JcsVectorFiles.Bytes("rfc8785/appendix-d-input.json")));

        Assert.Equal(CanonicalJsonReason.NumberOutOfRange, error.Reason);
    }

    [Fact]
    public void Rfc8785_appendix_d_numbers_in_range_follow_ieee754()
    {
        var canonical = JsonCanonicalizer.Canonicalize("""{"payMeThis": 26000.33, "int64Max": 9223372036854775807}"""u8);

        Assert.Equal("""{"int64Max":9223372036854776000,"payMeThis":26000.33}"""u8.ToArray(), canonical);
    }

    [Fact]
    public void Rfc8785_appendix_e_strings_are_kept_as_they_are()
    {
        var canonical = JsonCanonicalizer.Canonicalize(JcsVectorFiles.Bytes("rfc8785/appendix-e-input.json"));

        Assert.Equal(JcsVectorFiles.Bytes("rfc8785/appendix-e-output.json"), canonical);
    }

    [Fact]
    public void Rfc8785_section_3_2_2_2_escapes_only_what_it_must()
    {
        var input = "[\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\\" \\\\ \\/ \\u007f \\u2028 \\u00e9 \\ud83d\\ude00\"]"u8;

        var canonical = Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(input));

        Assert.Equal("[\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\\" \\\\ / \u007f \u2028 \u00e9 \U0001F600\"]", canonical);
    }
}
