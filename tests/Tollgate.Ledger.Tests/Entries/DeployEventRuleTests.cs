using System.Text.Json.Nodes;
using Tollgate.Ledger.Entries;
using static Tollgate.Ledger.Tests.Storage.LedgerTestKit;

namespace Tollgate.Ledger.Tests.Entries;

/// <summary>The rules of a deploy_event that span members (seed 000 §6.2).</summary>
public class DeployEventRuleTests
{
    private static LedgerEntry Deploy(Action<JsonObject> change, string? environment = "Paper")
    {
        var payload = Payload("deploy_event");
        change(payload);
        return LedgerEntry.Create(Fields("deploy_event", "deploy/1", environment: environment), payload);
    }

    [Fact]
    public void The_sample_deploy_event_is_valid()
    {
        Assert.Equal("deploy_event", Deploy(_ => { }).Kind);
    }

    [Theory]
    [InlineData("FAIL")]
    [InlineData("ROLLED_BACK")]
    public void A_deploy_that_did_not_succeed_must_carry_reason_codes(string result)
    {
        var e = Refused(LedgerReason.BadPayload, () => Deploy(payload => payload["result"] = result));

        Assert.Contains("reason_codes", e.Message);
        Assert.Contains(result, e.Message);
    }

    [Theory]
    [InlineData("FAIL")]
    [InlineData("ROLLED_BACK")]
    public void A_deploy_that_did_not_succeed_is_accepted_with_reason_codes(string result)
    {
        var entry = Deploy(payload =>
        {
            payload["result"] = result;
            payload["reason_codes"] = new JsonArray("GATE_VETO");
        });

        Assert.Equal(result, (string)Tree(entry)["payload"]!["result"]!);
    }

    [Fact]
    public void A_successful_deploy_may_carry_no_reason_codes()
    {
        Assert.Empty(Tree(Deploy(payload => payload["result"] = "SUCCESS"))["payload"]!["reason_codes"]!.AsArray());
    }

    [Theory]
    [InlineData("Paper", "Live")]
    [InlineData("Live", "Paper")]
    [InlineData(null, "Paper")]
    public void The_payload_environment_must_be_the_entrys(string? entryEnvironment, string payloadEnvironment)
    {
        var e = Refused(LedgerReason.BadPayload, () => Deploy(payload => payload["environment"] = payloadEnvironment, entryEnvironment));

        Assert.Contains($"'{payloadEnvironment}'", e.Message);
        Assert.Contains($"'{entryEnvironment ?? "null"}'", e.Message);
    }

    [Theory]
    [InlineData("before")]
    [InlineData("after")]
    public void The_version_map_reference_needs_before_and_after(string side)
    {
        var e = Refused(LedgerReason.BadPayload, () => Deploy(payload => payload["active_version_map_ref"]!.AsObject().Remove(side)));

        Assert.Contains($"'{side}'", e.Message);
    }

    [Theory]
    [InlineData("before")]
    [InlineData("after")]
    public void Before_and_after_are_map_ids_or_null(string side)
    {
        Refused(LedgerReason.BadPayload, () => Deploy(payload => payload["active_version_map_ref"]![side] = 3));
        Refused(LedgerReason.BadPayload, () => Deploy(payload => payload["active_version_map_ref"]![side] = new JsonObject()));
        Assert.NotNull(Deploy(payload => payload["active_version_map_ref"]![side] = null));
        Assert.NotNull(Deploy(payload => payload["active_version_map_ref"]![side] = "avm-9"));
    }

    [Fact]
    public void The_version_map_reference_must_be_an_object()
    {
        Refused(LedgerReason.BadPayload, () => Deploy(payload => payload["active_version_map_ref"] = "avm-2"));
    }

    [Fact]
    public void The_payload_environment_must_be_a_known_environment_before_the_rule_runs()
    {
        var e = Refused(LedgerReason.BadPayload, () => Deploy(payload => payload["environment"] = "Staging"));

        Assert.Contains("'environment' must be one of", e.Message);
    }
}
