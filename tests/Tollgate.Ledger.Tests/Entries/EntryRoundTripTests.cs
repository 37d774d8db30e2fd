using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Ledger.Canonical;
using Tollgate.Ledger.Entries;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Entries;

public class EntryRoundTripTests
{
    public static TheoryData<string> Kinds => new(LedgerKinds.All.Select(kind => kind.Name));

    [Fact]
    public void Create_then_parse_gives_the_same_fields_and_bytes()
    {
        var fields = Fields("gate_result", "gate/ev-1", new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), "Zoë Operator", "run-42", "Live",
            ["avm-2", "deploy/7"]);
        var created = LedgerEntry.Create(fields, Payload("gate_result"));

        var parsed = LedgerEntry.Parse(created.Bytes);

        Assert.Equal(created.Bytes, parsed.Bytes);
        Assert.Equal(fields.Kind, parsed.Fields.Kind);
        Assert.Equal(fields.Key, parsed.Fields.Key);
        Assert.Equal(fields.Time, parsed.Fields.Time);
        Assert.Equal(fields.Actor, parsed.Fields.Actor);
        Assert.Equal(fields.CorrelationId, parsed.Fields.CorrelationId);
        Assert.Equal(fields.Environment, parsed.Fields.Environment);
        Assert.Equal(fields.Refs, parsed.Fields.Refs);
        Assert.Equal("gate_result", parsed.Kind);
        Assert.Equal("gate/ev-1", parsed.Key);
    }

    [Fact]
    public void Created_bytes_are_canonical_and_hold_exactly_the_envelope()
    {
        var entry = Entry("approval", "ap/1");

        Assert.Equal(entry.Bytes, JsonCanonicalizer.Canonicalize(entry.Bytes));
        Assert.Equal(["actor", "correlation_id", "environment", "key", "kind", "payload", "refs", "time", "v"], Tree(entry).Select(member => member.Key));
        Assert.Equal(1, (int)Tree(entry)["v"]!);
        Assert.StartsWith("{\"actor\":\"operator-7\",", Encoding.UTF8.GetString(entry.Bytes));
    }

    [Fact]
    public void Time_is_stored_as_utc_with_milliseconds()
    {
        var local = new DateTimeOffset(2025, 6, 1, 14, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4_567);

        var entry = LedgerEntry.Create(Fields(time: local), Payload("approval"));

        Assert.Equal("2025-06-01T12:00:00.123Z", (string)Tree(entry)["time"]!);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 12, 0, 0, 123, TimeSpan.Zero), entry.Fields.Time);
        Assert.Equal(TimeSpan.Zero, entry.Fields.Time.Offset);
    }

    [Fact]
    public void A_null_environment_is_kept_as_null()
    {
        var entry = LedgerEntry.Create(Fields(environment: null), Payload("approval"));

        Assert.Null(LedgerEntry.Parse(entry.Bytes).Fields.Environment);
        Assert.Contains("\"environment\":null", Encoding.UTF8.GetString(entry.Bytes));
    }

    [Fact]
    public void Create_does_not_change_the_callers_payload()
    {
        var payload = Payload("approval");
        var before = payload.ToJsonString();

        LedgerEntry.Create(Fields(), payload);

        Assert.Equal(before, payload.ToJsonString());
    }

    [Fact]
    public void Parse_keeps_its_own_copy_of_the_bytes()
    {
        var bytes = Entry().Bytes.ToArray();
        var parsed = LedgerEntry.Parse(bytes);

        bytes[0] = (byte)'[';

        Assert.Equal((byte)'{', parsed.Bytes[0]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_has_a_valid_example_that_parses(string kind)
    {
        var entry = LedgerEntry.Create(Fields(kind, $"{kind}/1"), Payload(kind));

        var parsed = LedgerEntry.Parse(entry.Bytes);

        Assert.Equal(kind, parsed.Kind);
        Assert.Same(LedgerKinds.Find(kind), LedgerKinds.All.Single(k => k.Name == kind));
    }

    [Fact]
    public void Kinds_are_unique_and_findable_by_name_only()
    {
        Assert.Equal(LedgerKinds.All.Count, LedgerKinds.All.Select(kind => kind.Name).Distinct().Count());
        Assert.Null(LedgerKinds.Find("Approval"));
        Assert.Null(LedgerKinds.Find(""));
    }

    [Fact]
    public void Payloads_may_carry_members_their_kind_does_not_require()
    {
        var payload = Payload("order_path");
        payload["venue"] = "XETR";
        payload["nested"] = new JsonObject { ["a"] = new JsonArray(1, 2) };

        var entry = LedgerEntry.Create(Fields("order_path"), payload);

        Assert.Equal("XETR", (string)Tree(entry)["payload"]!["venue"]!);
    }

    [Fact]
    public void Ids_of_256_printable_characters_and_64_refs_are_accepted()
    {
        var id = new string('~', LedgerEntry.MaxIdLength);
        var refs = Enumerable.Range(0, LedgerEntry.MaxRefs).Select(i => $"ref-{i}").ToArray();

        var entry = LedgerEntry.Create(Fields(key: id, correlation: "!" + new string('a', 255), refs: refs), Payload("approval"));

        Assert.Equal(id, entry.Key);
        Assert.Equal(refs, entry.Fields.Refs);
    }
}
