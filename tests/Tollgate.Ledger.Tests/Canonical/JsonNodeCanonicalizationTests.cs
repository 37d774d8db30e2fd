using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Ledger.Canonical;

namespace Tollgate.Ledger.Tests.Canonical;

/// <summary>In-memory trees, whatever CLR values their leaves hold, follow the same rules as text.</summary>
public sealed class JsonNodeCanonicalizationTests
{
    [Fact]
    public void Null_node_is_json_null() => Assert.Equal("null"u8.ToArray(), JsonCanonicalizer.Canonicalize((JsonNode?)null));

    [Fact]
    public void Clr_leaves_are_written_as_their_json_values()
    {
        var node = new JsonObject
        {
            ["long"] = long.MaxValue,
            ["decimal"] = 26000.33m,
            ["float"] = 0.1f,
            ["double"] = -0.0,
            ["int"] = 42,
            ["bool"] = true,
            ["null"] = null,
            ["string"] = "é\u2028\n\"",
            ["char"] = 'x',
            ["date"] = new DateTimeOffset(2019, 1, 28, 7, 45, 10, TimeSpan.Zero),
            ["guid"] = Guid.Parse("7d444840-9dc0-11d1-b245-5ffdce74fad2"),
            ["element"] = JsonValue.Create(JsonDocument.Parse("1.50E2").RootElement.Clone()),
        };

        var canonical = Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(node));

        Assert.Equal(
            "{\"bool\":true,\"char\":\"x\",\"date\":\"2019-01-28T07:45:10+00:00\",\"decimal\":26000.33,\"double\":0,"
            + "\"element\":150,\"float\":0.10000000149011612,\"guid\":\"7d444840-9dc0-11d1-b245-5ffdce74fad2\","
            + "\"int\":42,\"long\":9223372036854776000,\"null\":null,\"string\":\"é\u2028\\n\\\"\"}",
            canonical);
    }

    [Theory]
    [MemberData(nameof(CyberphoneCases))]
    public void Parsed_vectors_give_the_same_bytes_as_their_text(string name)
    {
        var input = JcsVectorFiles.Bytes($"input/{name}");

        Assert.Equal(JcsVectorFiles.Bytes($"output/{name}"), JsonCanonicalizer.Canonicalize(JsonNode.Parse(input)));
    }

    public static TheoryData<string> CyberphoneCases() => JcsVectorFiles.CyberphoneCases();

    [Fact]
    public void Concurrent_callers_do_not_share_output()
    {
        var inputs = Enumerable.Range(0, 64)
            .Select(i => Encoding.UTF8.GetBytes($"{{\"z{i}\":[{i},{{\"b\":\"{new string('x', i)}\",\"a\":{i}.5}}],\"a\":{i}}}"))
            .ToArray();
        var expected = inputs.Select(input => JsonCanonicalizer.Canonicalize(input)).ToArray();

        Parallel.For(0, 20_000, i =>
        {
            var index = i % inputs.Length;
            Assert.Equal(expected[index], JsonCanonicalizer.Canonicalize(inputs[index]));
        });
    }
}
