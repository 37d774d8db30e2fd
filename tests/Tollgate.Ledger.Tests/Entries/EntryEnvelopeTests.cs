using System.Text.Json.Nodes;
using Tollgate.Ledger.Entries;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Entries;

public class EntryEnvelopeTests
{
    private static readonly LedgerEntry Valid = Entry("approval", "ap/1");

    [Theory]
    [InlineData("actor")]
    [InlineData("correlation_id")]
    [InlineData("environment")]
    [InlineData("key")]
    [InlineData("kind")]
    [InlineData("payload")]
    [InlineData("refs")]
    [InlineData("time")]
    [InlineData("v")]
    public void Each_envelope_member_is_required(string member)
    {
        var e = RefusedParse(LedgerReason.MissingField, Variant(Valid, tree => tree.Remove(member)));

        Assert.Contains($"'{member}'", e.Message);
    }

    [Fact]
    public void An_unknown_member_is_refused_by_name()
    {
        var e = RefusedParse(LedgerReason.UnknownField, Variant(Valid, tree => tree["signature"] = "x"));

        Assert.Contains("'signature'", e.Message);
    }

    [Fact]
    public void A_json_value_that_is_not_an_object_is_refused()
    {
        RefusedParse(LedgerReason.BadField, "[]"u8.ToArray());
        RefusedParse(LedgerReason.BadField, "\"entry\""u8.ToArray());
    }

    [Theory]
    [InlineData("2")]
    [InlineData("0")]
    [InlineData("\"1\"")]
    [InlineData("null")]
    public void Only_schema_version_1_is_accepted(string version)
    {
        RefusedParse(LedgerReason.BadField, Variant(Valid, tree => tree["v"] = JsonNode.Parse(version)));
    }

    [Theory]
    [InlineData("key", "with space")]
    [InlineData("key", "tab\there")]
    [InlineData("key", "ключ")]
    [InlineData("key", "café")]
    [InlineData("key", "")]
    [InlineData("key", "del\u007f")]
    [InlineData("correlation_id", "two words")]
    [InlineData("correlation_id", "")]
    public void Ids_must_be_printable_ascii_without_spaces(string member, string value)
    {
        var e = RefusedParse(LedgerReason.BadField, Variant(Valid, tree => tree[member] = value));

        Assert.Contains($"'{member}'", e.Message);
    }

    [Fact]
    public void Ids_longer_than_256_characters_are_refused()
    {
        RefusedParse(LedgerReason.BadField, Variant(Valid, tree => tree["key"] = new string('k', LedgerEntry.MaxIdLength + 1)));
        Refused(LedgerReason.BadField, () => LedgerEntry.Create(Fields(correlation: new string('c', LedgerEntry.MaxIdLength + 1)), Payload("approval")));
    }

    [Theory]
    [InlineData("key")]
    [InlineData("correlation_id")]
    [InlineData("actor")]
    [InlineData("kind")]
    public void Id_and_text_members_must_be_strings(string member)
    {
        RefusedParse(LedgerReason.BadField, Variant(Valid, tree => tree[member] = 7));
    }

    [Theory]
    [InlineData("")]
    [InlineData("line\nbreak")]
    [InlineData("bell\u0007")]
    public void The_actor_is_text_without_control_characters(string actor)
    {
        RefusedParse(LedgerReason.BadField, Variant(Valid, tree => tree["actor"] = actor));
    }

    [Fact]
    public void Refs_are_at_most_64_ids()
    {
        RefusedParse(LedgerReason.BadField, Variant(Valid, tree => tree["refs"] = new JsonArray([.. Enumerable.Range(0, 65).Select(i => (JsonNode?)$"r{i}")])));
        RefusedParse(LedgerReason.BadField, Variant(Valid, tree => tree["refs"] = new JsonArray("ok", "not ok")));
        RefusedParse(LedgerReason.BadField, Variant(Valid, tree => tree["refs"] = new JsonArray(1)));
        RefusedParse(LedgerReason.BadField, Variant(Valid, tree => tree["refs"] = "r1"));
    }

    [Theory]
    [InlineData("2025-03-14T09:30:00Z")]
    [InlineData("2025-03-14T09:30:00.0Z")]
    [InlineData("2025-03-14T09:30:00.0000Z")]
    [InlineData("2025-03-14T09:30:00.000+00:00")]
    [InlineData("2025-03-14T09:30:00.000")]
    [InlineData("2025-03-14 09:30:00.000Z")]
    [InlineData("2025-13-14T09:30:00.000Z")]
    [InlineData("2025-02-30T09:30:00.000Z")]
    [InlineData("14/03/2025 09:30")]
    public void Time_must_be_utc_with_milliseconds(string time)
    {
        var e = RefusedParse(LedgerReason.BadField, Variant(Valid, tree => tree["time"] = time));

        Assert.Contains("'time'", e.Message);
    }

    [Fact]
    public void Time_must_be_a_string()
    {
        RefusedParse(LedgerReason.BadField, Variant(Valid, tree => tree["time"] = 1_700_000_000));
    }

    [Theory]
    [InlineData("\"Production\"")]
    [InlineData("\"live\"")]
    [InlineData("\"\"")]
    [InlineData("3")]
    public void Environment_is_null_or_a_known_environment(string environment)
    {
        var e = RefusedParse(LedgerReason.BadField, Variant(Valid, tree => tree["environment"] = JsonNode.Parse(environment)));

        Assert.Contains("'environment'", e.Message);
    }

    [Fact]
    public void Every_known_environment_is_accepted()
    {
        foreach (var environment in LedgerEnvironments.All)
            Assert.Equal(environment, LedgerEntry.Create(Fields(environment: environment), Payload("approval")).Fields.Environment);
    }

    [Theory]
    [InlineData("deployment_event")]
    [InlineData("Approval")]
    [InlineData("audit")]
    public void An_unknown_kind_is_refused(string kind)
    {
        var e = RefusedParse(LedgerReason.UnknownKind, Variant(Valid, tree => tree["kind"] = kind));

        Assert.Contains($"'{kind}'", e.Message);
    }

    [Fact]
    public void A_payload_that_is_not_an_object_is_refused()
    {
        RefusedParse(LedgerReason.BadPayload, Variant(Valid, tree => tree["payload"] = new JsonArray()));
    }

    [Fact]
    public void Create_refuses_what_parse_refuses()
    {
        Refused(LedgerReason.BadField, () => LedgerEntry.Create(Fields(key: "a b"), Payload("approval")));
        Refused(LedgerReason.UnknownKind, () => LedgerEntry.Create(Fields(kind: "nope"), Payload("approval")));
        Refused(LedgerReason.BadField, () => LedgerEntry.Create(Fields(environment: "Prod"), Payload("approval")));
    }
}
