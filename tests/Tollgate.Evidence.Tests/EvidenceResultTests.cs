using System.Text.Json.Nodes;

namespace Tollgate.Evidence.Tests;

public sealed class EvidenceResultTests
{
    [Fact]
    public void The_payload_has_snake_case_keys_and_facts_in_ordinal_order()
    {
        var result = new EvidenceResult("dr.wal_recovery", false, ["DR-RTO-EXCEEDED"],
            new Dictionary<string, string> { ["rto_seconds"] = "12.5", ["max_rto_seconds"] = "10", ["drill_id"] = "d1" }, "too slow");

        var payload = result.ToPayload();

        Assert.Equal(["check", "passed", "reason_codes", "facts", "summary"], payload.Select(p => p.Key));
        Assert.Equal(
            """{"check":"dr.wal_recovery","passed":false,"reason_codes":["DR-RTO-EXCEEDED"],"facts":{"drill_id":"d1","max_rto_seconds":"10","rto_seconds":"12.5"},"summary":"too slow"}""",
            payload.ToJsonString());
    }

    [Fact]
    public void Real_results_pass_exactly_when_they_carry_no_codes()
    {
        using var dir = new TempDir();
        var passed = WalRecoveryEvidence.Verify(dir.Write("ok.env", "DRILL_ID=d\nSTATUS=PASS\nRTO_SECONDS=1\nRPO_EVENTS=0\n"), 10, 0);
        var failed = WalRecoveryEvidence.Verify(dir.Write("bad.env", "DRILL_ID=d\nSTATUS=FAIL\nRTO_SECONDS=1\nRPO_EVENTS=0\n"), 10, 0);

        Assert.True(passed.Passed);
        Assert.Empty(passed.ReasonCodes);
        Assert.False(failed.Passed);
        Assert.Equal(["DR-RECOVERY-FAILED"], failed.ReasonCodes);
        Assert.Equal("DR-RECOVERY-FAILED", failed.ToPayload()["reason_codes"]![0]!.GetValue<string>());
        Assert.StartsWith("DR-RECOVERY-FAILED: ", failed.Summary);
        Assert.True(failed.ToPayload()["facts"] is JsonObject { Count: > 0 });
    }
}
