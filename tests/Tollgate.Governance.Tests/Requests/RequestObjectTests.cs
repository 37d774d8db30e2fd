using System.Text;
using Tollgate.Governance.Requests;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.Requests;

public sealed class RequestObjectTests
{
    private static readonly string[] Members = ["name", "codes", "subject", "digest", "count", "flag", "items"];

    private static RequestObject Parse(string json) => RequestObject.Parse(Encoding.UTF8.GetBytes(json), Members);

    /// <summary>Reads every member the way an endpoint would.</summary>
    private static void ReadAll(RequestObject body)
    {
        body.OptionalText("name", 16);
        body.TextList("codes", 3, 16);
        if (body.Has("subject")) body.Object("subject", "kind", "reference").Id("reference");
        if (body.Has("digest")) body.Digest("digest");
        body.OptionalInteger("count", 1, 100);
        body.OptionalFlag("flag");
        body.ObjectList("items", 2, "name");
    }

    private static GovernanceException Invalid(string json) =>
        Refused.With(GovernanceReasons.InvalidRequest, () => ReadAll(Parse(json)));

    [Fact]
    public void A_well_formed_body_reads_back_every_member()
    {
        var digest = "sha256:" + new string('a', 64);
        var body = Parse($$"""{"name":"Ärger 😀","codes":["RISK_LIMIT"],"subject":{"kind":"K","reference":"vm-1"},"digest":"{{digest}}","count":7,"flag":true,"items":[{"name":"x"}]}""");
        Assert.Equal("Ärger 😀", body.Text("name", 16));
        Assert.Equal(["RISK_LIMIT"], body.TextList("codes", 3));
        Assert.Equal("vm-1", body.Object("subject", "kind", "reference").Id("reference"));
        Assert.Equal(7, body.OptionalInteger("count", 1, 100));
        Assert.True(body.OptionalFlag("flag"));
        Assert.Equal("x", Assert.Single(body.ObjectList("items", 2, "name")).Text("name"));
    }

    [Fact]
    public void Missing_optional_members_read_as_absent_and_null_is_mentioned()
    {
        var body = Parse("""{"name":null}""");
        Assert.Null(body.OptionalText("name"));
        Assert.False(body.Has("name"));
        Assert.True(body.Mentions("name"));
        Assert.False(body.Mentions("count"));
        Assert.Empty(body.TextList("codes", 3));
        Assert.False(body.OptionalFlag("flag"));
        Refused.With(GovernanceReasons.InvalidRequest, () => body.Text("name"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"name":"x",}""")]
    [InlineData("""{"name":'x'}""")]
    [InlineData("""{"name":"x"} {"name":"y"}""")]
    [InlineData("""{"name":"x"/*c*/}""")]
    public void Malformed_json_is_refused(string json) => Assert.Contains("not JSON", Invalid(json).Message);

    [Theory]
    [InlineData("[]")]
    [InlineData("\"name\"")]
    [InlineData("null")]
    [InlineData("42")]
    public void A_body_that_is_not_an_object_is_refused(string json) => Assert.Contains("body must be a JSON object", Invalid(json).Message);

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused() =>
        Invalid("""{"subject":""" + string.Concat(Enumerable.Repeat("""{"kind":""", 20)) + "1" + new string('}', 21));

    [Theory]
    [InlineData("""{"name":5}""", "body.name")]
    [InlineData("""{"name":true}""", "body.name")]
    [InlineData("""{"name":["x"]}""", "body.name")]
    [InlineData("""{"codes":"RISK"}""", "body.codes")]
    [InlineData("""{"codes":[5]}""", "body.codes[0]")]
    [InlineData("""{"subject":"x"}""", "body.subject")]
    [InlineData("""{"subject":{"kind":"K","reference":7}}""", "body.subject.reference")]
    [InlineData("""{"count":"7"}""", "body.count")]
    [InlineData("""{"count":7.5}""", "body.count")]
    [InlineData("""{"count":0}""", "body.count")]
    [InlineData("""{"count":101}""", "body.count")]
    [InlineData("""{"count":1e400}""", "body.count")]
    [InlineData("""{"flag":"true"}""", "body.flag")]
    [InlineData("""{"flag":1}""", "body.flag")]
    [InlineData("""{"items":[{"name":"x"},"y"]}""", "body.items[1]")]
    public void A_value_of_the_wrong_type_is_refused_naming_the_member(string json, string member) =>
        Assert.Contains(member, Invalid(json).Message);

    [Theory]
    [InlineData("""{"name":"x","evil":1}""", "evil")]
    [InlineData("""{"subject":{"kind":"K","reference":"r","extra":true}}""", "extra")]
    [InlineData("""{"items":[{"name":"x","more":1}]}""", "more")]
    [InlineData("""{"Name":"x"}""", "Name")]
    public void An_unknown_member_is_refused_by_name(string json, string member)
    {
        var message = Invalid(json).Message;
        Assert.Contains($"unknown member '{member}'", message);
    }

    [Theory]
    [InlineData("""{"name":"x","name":"y"}""", "body", "name")]
    [InlineData("""{"subject":{"kind":"K","kind":"K","reference":"r"}}""", "body.subject", "kind")]
    public void A_member_named_twice_is_refused_by_name(string json, string path, string member)
    {
        var message = Invalid(json).Message;
        Assert.Contains(path, message);
        Assert.Contains($"'{member}'", message);
    }

    [Theory]
    [InlineData("""{"name":"a\u0001b"}""", "body.name")]
    [InlineData("""{"name":"line\nbreak"}""", "body.name")]
    [InlineData("""{"name":"tab\there"}""", "body.name")]
    [InlineData("""{"name":"del\u007f"}""", "body.name")]
    [InlineData("""{"name":"c1\u0085"}""", "body.name")]
    [InlineData("""{"codes":["ok","bad\u0000"]}""", "body.codes[1]")]
    [InlineData("""{"subject":{"kind":"K","reference":"r\r"}}""", "body.subject.reference")]
    public void A_control_character_is_refused_naming_the_member(string json, string member) =>
        Assert.Contains(member, Invalid(json).Message);

    [Theory]
    [InlineData("""{"name":"a\ud800b"}""", "body.name")]
    [InlineData("""{"name":"a\udc00b"}""", "body.name")]
    [InlineData("""{"name":"end\ud83d"}""", "body.name")]
    [InlineData("""{"name":"\ude00\ud83d"}""", "body.name")]
    [InlineData("""{"codes":["\ud800"]}""", "body.codes[0]")]
    [InlineData("""{"subject":{"kind":"K","reference":"\udfff"}}""", "body.subject.reference")]
    public void A_lone_surrogate_is_refused_naming_the_member(string json, string member) =>
        Assert.Contains(member, Invalid(json).Message);

    [Fact]
    public void A_lone_surrogate_in_a_member_name_is_refused() => Invalid("""{"\ud800":"x"}""");

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused() =>
        Refused.With(GovernanceReasons.InvalidRequest, () => ReadAll(RequestObject.Parse([.. "{\"name\":\""u8, 0xC3, 0x28, .. "\"}"u8], Members)));

    [Theory]
    [InlineData("""{"name":""}""", "body.name")]
    [InlineData("""{"name":"   "}""", "body.name")]
    [InlineData("""{"codes":[""]}""", "body.codes[0]")]
    public void An_empty_string_is_refused_naming_the_member(string json, string member) => Assert.Contains(member, Invalid(json).Message);

    [Fact]
    public void A_string_longer_than_its_limit_is_refused_naming_the_member()
    {
        Assert.Equal(new string('x', 16), Parse($$"""{"name":"{{new string('x', 16)}}"}""").Text("name", 16));
        Assert.Contains("body.name is longer than 16", Invalid($$"""{"name":"{{new string('x', 17)}}"}""").Message);
        Assert.Contains("body.codes[0]", Invalid($$"""{"codes":["{{new string('x', 17)}}"]}""").Message);
        Assert.Contains("body.name", Refused.With(GovernanceReasons.InvalidRequest,
            () => Parse($$"""{"name":"{{new string('x', RequestObject.MaxText + 1)}}"}""").Text("name")).Message);
    }

    [Fact]
    public void An_array_with_too_many_items_is_refused_naming_the_member()
    {
        Assert.Contains("body.codes has more than 3 items", Invalid("""{"codes":["A","B","C","D"]}""").Message);
        Assert.Contains("body.items has more than 2 items", Invalid("""{"items":[{"name":"a"},{"name":"b"},{"name":"c"}]}""").Message);
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("sha256:ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    public void A_bad_digest_is_refused_naming_the_member(string digest) => Assert.Contains("body.digest", Invalid($$"""{"digest":"{{digest}}"}""").Message);

    [Theory]
    [InlineData("vm 1")]
    [InlineData("vm/1")]
    [InlineData("vm\u00e91")]
    public void An_identifier_with_other_characters_is_refused_naming_the_member(string reference) =>
        Assert.Contains("body.subject.reference", Invalid($$$"""{"subject":{"kind":"K","reference":"{{{reference}}}"}}""").Message);

    [Fact]
    public void A_refusal_message_never_echoes_control_characters()
    {
        var message = Invalid("{\"name\":\"x\",\"ev\\u0007il\":1}").Message;
        Assert.DoesNotContain('\u0007', message);
        Assert.Contains("ev?il", message);
    }

    [Fact]
    public void Printable_shortens_long_text()
    {
        var printable = RequestObject.Printable(new string('x', 100));
        Assert.Equal(65, printable.Length);
        Assert.EndsWith("…", printable);
    }
}
