using System.Net;
using System.Text.Json;
using Tollgate.Host.Tests.Execution;
using Xunit.Abstractions;

namespace Tollgate.Host.Tests.Release;

/// <summary>
/// A governed release end to end on a Paper host over HTTP: CI starts it with a Pipeline identity; the nine stages
/// run (Build checks the artifacts, Test CI's report, Package and Sign the manifest, Deploy stages the candidate on
/// the data plane, Verify the gates); the canary goes 10% → 50% → 100% with an analysis every second, a Trader
/// approves the pointer switch, the candidate becomes the Active Version Map and the deploy event and replay bundle
/// are in the ledger.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class ReleasePipelineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_good_release_runs_all_nine_stages_through_the_canary_to_the_pointer_switch()
    {
        await using var paper = await PaperReleaseHost.StartAsync(seed: 8001);
        var (operatorHttp, traderHttp, pipeline, baseline) = (paper.Operator, paper.Trader, paper.Pipeline, paper.BaselineRev);

        var candidate = await ReleaseHost.RegisterCandidateAsync(operatorHttp, ReleaseHost.ScaledBusyRules("busy-candidate"), ReleaseHost.Policy());
        var report = await operatorHttp.StoreObjectAsync(ReleaseHost.PassingReport);
        var started = await ReleaseHost.StartAsync(pipeline, candidate, report);
        var body = await started.ReadOkAsync("start the release");
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = body.GetProperty("release_id").GetString()!;

        // The step to 100% waits for the Trader's approval of the pointer switch (Paper is live-grade).
        var waiting = await operatorHttp.WaitForReleaseAsync(id, r => ReleaseHost.Ended(r) || ReleaseHost.PendingApproval(r) is not null, "the approval before 100%");
        output.WriteLine(waiting.ToString());
        Assert.False(ReleaseHost.Ended(waiting), $"the release ended before its approval: {waiting}");
        var approvalId = ReleaseHost.PendingApproval(waiting)!;
        await ReleaseHost.ApproveAsync(traderHttp, approvalId);

        var done = await operatorHttp.WaitForReleaseAsync(id, ReleaseHost.Ended, "the release to end", seconds: 120);
        output.WriteLine(done.ToString());
        Assert.Equal("Completed", done.GetProperty("status").GetString());
        Assert.Equal("SUCCESS", done.GetProperty("result").GetProperty("result").GetString());
        var stages = done.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!, s => s.GetProperty("result").GetString());
        foreach (var stage in new[] { "BUILD", "TEST", "PACKAGE", "SIGN", "DEPLOY", "VERIFY", "ACTIVATE", "MONITOR", "SWITCH" })
            Assert.True(stages.GetValueOrDefault(stage) == "PASS", $"{stage}: {stages.GetValueOrDefault(stage) ?? "missing"}");
        Assert.Equal("SKIPPED", stages["APPROVAL"]);
        Assert.True(done.GetProperty("analyses").GetArrayLength() >= 3);
        Assert.Contains(done.GetProperty("analyses").EnumerateArray(), a => a.GetProperty("decision").GetString() == "PROMOTE");
        var deploy = done.GetProperty("deploy_event").GetProperty("payload");
        Assert.Equal("SUCCESS", deploy.GetProperty("result").GetString());
        Assert.Equal(candidate, deploy.GetProperty("active_version_map_ref").GetProperty("after").GetString());

        var execution = await operatorHttp.ExecutionAsync();
        Assert.NotEqual(baseline, execution.GetProperty("rulesRev").GetString());
    }
}
