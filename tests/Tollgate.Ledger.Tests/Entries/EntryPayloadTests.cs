using System.Text.Json.Nodes;
using Tollgate.Ledger.Entries;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Entries;

public class EntryPayloadTests
{
    public static TheoryData<string, string> RequiredMembers => Members(_ => true);

    public static TheoryData<string, string> CodeMembers => Members(required => required.AllowedValues is not null);

    public static TheoryData<string, string> TextMembers => Members(required => required.Type == PayloadFieldType.String);

    private static TheoryData<string, string> Members(Func<PayloadField, bool> which)
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in LedgerKinds.All)
        {
            foreach (var field in kind.Required.Where(which)) data.Add(kind.Name, field.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RequiredMembers))]
    public void Each_kind_refuses_a_payload_missing_a_required_member(string kind, string member)
    {
        var payload = Payload(kind);
        payload.Remove(member);

        var e = Refused(LedgerReason.BadPayload, () => LedgerEntry.Create(Fields(kind), payload));

        Assert.Contains($"{kind} payload is missing '{member}'", e.Message);
    }

    [Theory]
    [MemberData(nameof(RequiredMembers))]
    public void Each_required_member_must_have_its_type(string kind, string member)
    {
        var type = LedgerKinds.Find(kind)!.Required.Single(field => field.Name == member).Type;
        var payload = Payload(kind);
        payload[member] = type == PayloadFieldType.Boolean ? JsonValue.Create("yes") : JsonValue.Create(7);

        var e = Refused(LedgerReason.BadPayload, () => LedgerEntry.Create(Fields(kind), payload));

        Assert.Contains($"'{member}'", e.Message);
    }

    [Theory]
    [MemberData(nameof(CodeMembers))]
    public void Codes_outside_their_list_are_refused(string kind, string member)
    {
        var payload = Payload(kind);
        payload[member] = "NOT_A_CODE";

        var e = Refused(LedgerReason.BadPayload, () => LedgerEntry.Create(Fields(kind), payload));

        Assert.Contains("'NOT_A_CODE'", e.Message);
    }

    [Theory]
    [MemberData(nameof(CodeMembers))]
    public void Every_listed_code_is_accepted(string kind, string member)
    {
        foreach (var code in LedgerKinds.Find(kind)!.Required.Single(field => field.Name == member).AllowedValues!)
        {
            var payload = Payload(kind);
            payload[member] = code;
            if (kind == "deploy_event" && member == "result") payload["reason_codes"] = new JsonArray("R1");
            var environment = kind == "deploy_event" && member == "environment" ? code : "Paper";

            Assert.Equal(kind, LedgerEntry.Create(Fields(kind, environment: environment), payload).Kind);
        }
    }

    [Theory]
    [MemberData(nameof(TextMembers))]
    public void Text_members_must_not_be_empty(string kind, string member)
    {
        var payload = Payload(kind);
        payload[member] = "";

        Refused(LedgerReason.BadPayload, () => LedgerEntry.Create(Fields(kind), payload));
    }

    [Fact]
    public void A_nullable_member_takes_null_or_a_string_only()
    {
        var payload = Payload("version_map_switch");
        payload["from_map"] = "avm-1";
        Assert.Equal("version_map_switch", LedgerEntry.Create(Fields("version_map_switch"), payload).Kind);

        payload["from_map"] = new JsonArray();
        Refused(LedgerReason.BadPayload, () => LedgerEntry.Create(Fields("version_map_switch"), payload));
    }

    [Fact]
    public void A_payload_member_of_another_kind_does_not_stand_in_for_a_required_one()
    {
        var payload = Payload("approval");
        payload.Remove("step");
        payload["phase"] = "PRE";

        Refused(LedgerReason.BadPayload, () => LedgerEntry.Create(Fields("approval"), payload));
    }

    [Fact]
    public void A_payload_refused_by_create_is_refused_by_parse_too()
    {
        var bytes = Variant(Entry("kill_switch"), tree => tree["payload"]!.AsObject().Remove("scope"));

        var e = RefusedParse(LedgerReason.BadPayload, bytes);

        Assert.Contains("'scope'", e.Message);
    }
}
