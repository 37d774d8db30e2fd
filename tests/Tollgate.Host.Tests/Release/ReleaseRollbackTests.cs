using System.Text.Json;
using Tollgate.Host.Tests.Execution;
using Xunit.Abstractions;

namespace Tollgate.Host.Tests.Release;

/// <summary>
/// A bad release on a Paper host: rules that fire on every book update (no cooldown), so risk refuses most of their
/// orders as duplicates. The canary's analysis finds the harm at 10%, the split returns every decision to the stable
/// rules in one record, the host acknowledges it, an INC-OPS incident is opened, the deploy event says ROLLED_BACK,
/// and the Active Version Map never moved.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class ReleaseRollbackTests(ITestOutputHelper output)
{
    public const string BadRules = """
        {
          "name": "every-update",
          "rules": [
            { "id": "spot-buy-every-update", "market": "SPOT", "symbols": ["BTCUSDT"], "when": ["spread_bps < 50"],
              "side": "BUY", "type": "MARKET", "quantity": "0.0005", "cooldown_seconds": 0, "max_open": 50 }
          ]
        }
        """;

    [Fact]
    public async Task A_release_whose_canary_harms_is_rolled_back_by_itself_acknowledged_and_recorded()
    {
        await using var paper = await PaperReleaseHost.StartAsync(seed: 8002);
        var (operatorHttp, pipeline, baseline) = (paper.Operator, paper.Pipeline, paper.BaselineRev);
        var stableMap = (await (await operatorHttp.GetAsync("/api/environments/Paper/version-map")).ReadOkAsync("active map")).GetProperty("map").GetProperty("id").GetString();

        var candidate = await ReleaseHost.RegisterCandidateAsync(operatorHttp, BadRules, ReleaseHost.Policy(watch: 8));
        var report = await operatorHttp.StoreObjectAsync(ReleaseHost.PassingReport);
        var id = (await (await ReleaseHost.StartAsync(pipeline, candidate, report, ciRun: "run-bad")).ReadOkAsync("start")).GetProperty("release_id").GetString()!;

        var done = await operatorHttp.WaitForReleaseAsync(id, ReleaseHost.Ended, "the bad release to end", seconds: 120);
        output.WriteLine(done.ToString());
        var result = done.GetProperty("result");
        Assert.Equal("ROLLED_BACK", result.GetProperty("result").GetString());
        var codes = result.GetProperty("reasonCodes").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.True(codes.Intersect(["CAN-SEQ-HARM", "CAN-SCORE-FAIL", "CAN-GUARD-ERROR-RATE"]).Any(), string.Join(", ", codes));
        Assert.Contains(done.GetProperty("analyses").EnumerateArray(), a => a.GetProperty("decision").GetString() == "ROLLBACK");

        // The rollback: one ABORT record, acknowledged by this host with the stable rules and no canary.
        var rollback = done.GetProperty("rollback");
        Assert.Equal("COMPLETE", rollback.GetProperty("result").GetString());
        Assert.Single(rollback.GetProperty("acknowledged").EnumerateArray());
        output.WriteLine($"trigger to last acknowledgement: {rollback.GetProperty("triggerToAckMs").GetDouble():0.0} ms");
        Assert.True(rollback.GetProperty("triggerToAckMs").GetDouble() < 10_000);
        Assert.Equal("ABORT", done.GetProperty("split").GetProperty("action").GetString());
        var execution = await operatorHttp.ExecutionAsync();
        Assert.Equal(baseline, execution.GetProperty("rulesRev").GetString());

        // The map never moved; the incident and the deploy event are in the ledger.
        var active = (await (await operatorHttp.GetAsync("/api/environments/Paper/version-map")).ReadOkAsync("active map")).GetProperty("map").GetProperty("id").GetString();
        Assert.Equal(stableMap, active);
        var deploy = done.GetProperty("deploy_event").GetProperty("payload");
        Assert.Equal("ROLLED_BACK", deploy.GetProperty("result").GetString());
        Assert.NotEqual(JsonValueKind.Null, deploy.GetProperty("replay_bundle").ValueKind);
        var stages = done.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!, s => s.GetProperty("result").GetString());
        Assert.Equal("FAIL", stages["ACTIVATE"]);
        Assert.False(stages.ContainsKey("SWITCH"));
    }
}
