using System.Text.Json;
using Azure.Data.Tables;
using Tollgate.Durable.AzureStorage.Tests;
using Tollgate.Markets.AzureStorage;
using Tollgate.Markets.Execution;
using Xunit.Abstractions;

namespace Tollgate.Crash.Tests;

/// <summary>
/// A release on a real Paper host (a child process on Azurite, trading on the loopback fake exchange) whose host is
/// SIGKILLed mid-canary or mid-rollback and started again (same host id, same task hub). The restarted host carries the
/// release on from its durable history: no traffic-split step is taken twice, the pointer switches once, the canary's
/// looks go on where they stopped, every order is decided by the baseline's or the candidate's rules, and a rollback is
/// acknowledged by the restarted host without the kill switch.
/// </summary>
public sealed class ReleaseCrashTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    /// <summary>One data-plane host, restarted: the successor has the killed host's id.</summary>
    private const string HostId = "paper-host-1";
    private const string Operator = "olivia.operator";
    private const string Trader = "tariq.trader";
    private const string Pipeline = "ci.pipeline";
    private static readonly TimeSpan HostReady = TimeSpan.FromSeconds(60);

    private readonly string _workDir = Directory.CreateTempSubdirectory("tollgate-release-crash-").FullName;

    [Fact]
    public async Task SIGKILL_mid_canary_the_restarted_host_finishes_the_release_with_every_split_step_and_the_switch_once()
    {
        await using var exchange = await PaperHost.StartExchangeAsync(seed: 8801);
        var environment = PaperHost.Environment(exchange, PaperHost.NewReleaseSigningKey());
        var taskHub = AzuriteFixture.NewTaskHub("relcan");
        string id, baselineMap, baselineRev, candidateMap, candidateRev;
        List<Analysis> beforeKill;
        DateTimeOffset killedAt;
        var cohortsBeforeKill = new List<string>();

        await using (var doomed = await StartPaperHostAsync(taskHub, environment))
        {
            using var operatorHttp = doomed.As(Operator, "Operator");
            using var traderHttp = doomed.As(Trader, "Trader");
            using var pipeline = doomed.As(Pipeline, "Pipeline");
            (baselineMap, baselineRev) = await TradeBaselineAsync(operatorHttp, traderHttp);
            candidateRev = await operatorHttp.LintAsync(ReleaseScenario.CandidateRules);
            candidateMap = await operatorHttp.RegisterPaperMapAsync(ReleaseScenario.CandidateRules, ReleaseScenario.Commit, ReleaseScenario.Policy(firstWatch: 6, secondWatch: 10));
            var report = await operatorHttp.StoreObjectAsync(ReleaseScenario.PassingReport);
            id = await pipeline.StartReleaseAsync(candidateMap, ReleaseScenario.Commit, report, "run-mid-canary");

            // Killed mid-window: the canary RUNNING at step 2 (50%) with at least one look of that window recorded.
            var atStep2 = await DriveAsync(operatorHttp, traderHttp, id, doomed, "the canary RUNNING at step 2 (50%) with a look taken", TimeSpan.FromSeconds(90), r =>
            {
                var p = ReleaseCalls.Progress(r);
                return p is { Stage: "CANARY", State: "RUNNING", Step: 2, WeightBasisPoints: 5000 } && ReleaseCalls.Analyses(r).Any(a => a.Step == 2);
            });
            beforeKill = ReleaseCalls.Analyses(atStep2);
            cohortsBeforeKill.AddRange(Cohorts(await operatorHttp.GetOkAsync("/api/execution")));
            await doomed.KillAsync();
            killedAt = DateTimeOffset.UtcNow;
            output.WriteLine($"killed at step 2 after {beforeKill.Count} analyses: {string.Join(", ", beforeKill.Select(a => $"{a.Step}.{a.Look} {a.Decision}"))}");
        }

        await using var restarted = await StartPaperHostAsync(taskHub, environment);
        output.WriteLine($"killed at {killedAt:HH:mm:ss.fff}, the restarted host routing at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
        using var operatorB = restarted.As(Operator, "Operator");
        using var traderB = restarted.As(Trader, "Trader");
        var done = await DriveAsync(operatorB, traderB, id, restarted, "the release to end on the restarted host", TimeSpan.FromSeconds(120), ReleaseCalls.Ended);
        output.WriteLine(done.ToString());

        Assert.Equal("Completed", done.GetProperty("status").GetString());
        Assert.Equal("SUCCESS", done.GetProperty("result").GetProperty("result").GetString());
        Assert.Equal("SUCCESS", done.GetProperty("deploy_event").GetProperty("payload").GetProperty("result").GetString());

        // The traffic split: staged once, each step's weight once, completed once, all by this release.
        var splits = await operatorB.SplitRecordsAsync();
        output.WriteLine("split: " + string.Join(" → ", splits.Select(Describe)));
        Assert.Equal(["STAGE 0", "WEIGHT 1000", "WEIGHT 5000", "WEIGHT 10000", "COMPLETE 0"], splits.Select(Describe));
        Assert.All(splits, s => Assert.Equal(id, s.GetProperty("payload").GetProperty("release_id").GetString()));

        // The pointer switched to the candidate exactly once, after the baseline's own activation.
        var switches = await operatorB.VersionMapSwitchesAsync();
        output.WriteLine("version map: " + string.Join(" → ", switches.Select(s => $"#{s.GetProperty("sequence")} {s.GetProperty("action")} {s.GetProperty("to_map")}")));
        var toCandidate = Assert.Single(switches, s => s.GetProperty("to_map").GetString() == candidateMap);
        Assert.Equal(baselineMap, toCandidate.GetProperty("from_map").GetString());
        Assert.Equal(2, switches.Count);
        Assert.Equal(candidateMap, (await operatorB.ActiveMapAsync()).GetProperty("map").GetProperty("id").GetString());

        // The looks of step 2 go on after the restart in the same window, numbered on from the killed host's.
        var analyses = ReleaseCalls.Analyses(done);
        Assert.Equal(analyses.Count, analyses.Select(a => (a.Step, a.WindowStart, a.Look)).Distinct().Count());
        var window2 = beforeKill.Where(a => a.Step == 2).ToList();
        var after = analyses.Where(a => a.Step == 2 && window2.All(b => b.Id != a.Id)).ToList();
        output.WriteLine($"step 2 looks before the kill: {string.Join(", ", window2.Select(a => $"{a.Look} at {a.WindowEnd:HH:mm:ss.fff}"))}; " +
                         $"after: {string.Join(", ", after.Select(a => $"{a.Look} at {a.WindowEnd:HH:mm:ss.fff} {a.Decision}"))}");
        Assert.NotEmpty(after);
        Assert.All(after, a => Assert.True(a.WindowEnd > killedAt, $"look {a.Look} was taken before the kill, yet the killed host's view did not show it"));
        Assert.All(after, a => Assert.Equal(window2[0].WindowStart, a.WindowStart));
        Assert.True(after.Min(a => a.Look) > window2.Max(a => a.Look), "the restarted host numbered step 2's looks from 1 again");
        var looks2 = analyses.Where(a => a.Step == 2).Select(a => a.Look).Order().ToList();
        Assert.Equal(Enumerable.Range(1, looks2.Count), looks2);
        Assert.Contains(analyses, a => a.Step == 2 && a.Decision == "PROMOTE");

        // No decision under a half-switched map: every order and fill of both hosts carries the baseline's or the candidate's rev.
        var revs = new HashSet<string> { baselineRev, candidateRev };
        var (orders, fills) = await StoredOrdersAsync(taskHub);
        output.WriteLine($"{orders.Count} orders: " + string.Join(", ", orders.GroupBy(o => o.Order.ConfigRev).Select(g => $"{g.Count()} of '{g.Key}'")) + $"; {fills.Count} fills");
        Assert.All(orders, o => Assert.Contains(o.Order.ConfigRev, revs));
        Assert.All(fills, f => Assert.Contains(f.ConfigRev, revs));
        Assert.Contains(orders, o => o.Order.ConfigRev == candidateRev && o.Order.RoutedAt < killedAt);
        Assert.Contains(orders, o => o.Order.ConfigRev == candidateRev && o.Order.RoutedAt > killedAt);
        Assert.Contains(orders, o => o.Order.ConfigRev == baselineRev && o.Order.RoutedAt > killedAt);
        var cohortsAfter = Cohorts(await operatorB.GetOkAsync("/api/execution"));
        Assert.All(cohortsBeforeKill.Concat(cohortsAfter), rev => Assert.Contains(rev, revs));
    }

    [Fact]
    public async Task SIGKILL_right_after_an_abort_the_restarted_host_rolls_back_acknowledges_and_leaves_the_map_and_kill_switch_alone()
    {
        await using var exchange = await PaperHost.StartExchangeAsync(seed: 8802);
        var environment = PaperHost.Environment(exchange, PaperHost.NewReleaseSigningKey());
        var taskHub = AzuriteFixture.NewTaskHub("relrb");
        string id, baselineMap, baselineRev, candidateRev;
        DateTimeOffset killedAt;

        await using (var doomed = await StartPaperHostAsync(taskHub, environment))
        {
            using var operatorHttp = doomed.As(Operator, "Operator");
            using var traderHttp = doomed.As(Trader, "Trader");
            using var pipeline = doomed.As(Pipeline, "Pipeline");
            (baselineMap, baselineRev) = await TradeBaselineAsync(operatorHttp, traderHttp);
            candidateRev = await operatorHttp.LintAsync(ReleaseScenario.CandidateRules);
            // Step 1's window is long: the abort, not the judge, ends it.
            var candidateMap = await operatorHttp.RegisterPaperMapAsync(ReleaseScenario.CandidateRules, ReleaseScenario.Commit, ReleaseScenario.Policy(firstWatch: 120, secondWatch: 6));
            var report = await operatorHttp.StoreObjectAsync(ReleaseScenario.PassingReport);
            id = await pipeline.StartReleaseAsync(candidateMap, ReleaseScenario.Commit, report, "run-mid-rollback");

            await DriveAsync(operatorHttp, traderHttp, id, doomed, "the canary RUNNING at step 1 (10%) with a look taken", TimeSpan.FromSeconds(90), r =>
                ReleaseCalls.Progress(r) is { Stage: "CANARY", State: "RUNNING", Step: 1, WeightBasisPoints: 1000 } && ReleaseCalls.Analyses(r).Count > 0);
            var accepted = await operatorHttp.ControlAsync(id, "abort", "crash drill: abort, then lose the host");
            Assert.True(accepted.GetProperty("accepted").GetBoolean());
            // The abort is in the canary's control queue; the host dies before, while or (rarely) after acting on it. When it
            // had received the message, the message is delivered again only when its visibility timeout (1 min) has passed:
            // until then the restarted host runs the canary on, and the wait below allows for that.
            await doomed.KillAsync();
            killedAt = DateTimeOffset.UtcNow;
        }

        await using var restarted = await StartPaperHostAsync(taskHub, environment);
        var restartedAt = DateTimeOffset.UtcNow;
        using var operatorB = restarted.As(Operator, "Operator");
        using var traderB = restarted.As(Trader, "Trader");
        var done = await DriveAsync(operatorB, traderB, id, restarted, "the rollback to end on the restarted host", TimeSpan.FromSeconds(120), ReleaseCalls.Ended);
        output.WriteLine(done.ToString());

        var result = done.GetProperty("result");
        Assert.Equal("ROLLED_BACK", result.GetProperty("result").GetString());
        Assert.Contains("REL-ABORTED", result.GetProperty("reasonCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("ROLLED_BACK", done.GetProperty("deploy_event").GetProperty("payload").GetProperty("result").GetString());

        // One ABORT record returned every decision to the baseline; nothing after it.
        var splits = await operatorB.SplitRecordsAsync();
        output.WriteLine("split: " + string.Join(" → ", splits.Select(Describe)));
        Assert.Equal(["STAGE 0", "WEIGHT 1000", "ABORT 0"], splits.Select(Describe));
        var abortAt = splits[^1].GetProperty("time").GetDateTimeOffset();
        output.WriteLine($"ABORT recorded {(abortAt < killedAt ? "by the killed host" : "by the restarted host")} at {abortAt:HH:mm:ss.fff}, " +
                         $"{(abortAt - killedAt).TotalSeconds:0.0} s after the kill ({killedAt:HH:mm:ss.fff}); the restarted host was routing at {restartedAt:HH:mm:ss.fff}");

        // The rollback completed: the host (restarted, same id) acknowledged the ABORT record, within the policy's time.
        var rollback = done.GetProperty("rollback");
        Assert.Equal("COMPLETE", rollback.GetProperty("result").GetString());
        Assert.Equal(3, rollback.GetProperty("splitSequence").GetInt64());
        Assert.Equal([HostId], rollback.GetProperty("acknowledged").EnumerateArray().Select(h => h.GetString()));
        Assert.Empty(rollback.GetProperty("missing").EnumerateArray());
        Assert.Empty(rollback.GetProperty("reasonCodes").EnumerateArray());
        Assert.True(rollback.GetProperty("healthy").GetBoolean());
        var execution = await operatorB.GetOkAsync("/api/execution");
        Assert.Equal(baselineRev, execution.GetProperty("rulesRev").GetString());

        // No kill switch, and the Active Version Map never moved.
        Assert.False(await operatorB.KillSwitchEngagedAsync());
        Assert.Equal(baselineMap, (await operatorB.ActiveMapAsync()).GetProperty("map").GetProperty("id").GetString());
        Assert.Single(await operatorB.VersionMapSwitchesAsync());

        // The host trades on with the baseline alone: once it acknowledged the ABORT record (it swaps its rules first) no
        // decision went to the canary. The ack came at most triggerToAckMs after the record (the rollback's clock starts
        // before the record is written).
        var acknowledgedBy = abortAt.AddMilliseconds(rollback.GetProperty("triggerToAckMs").GetDouble());
        await ReleaseCalls.WaitForAsync(async () => JsonSerializer.SerializeToElement((await StoredOrdersAsync(taskHub)).Orders
                .Count(o => o.Order.ConfigRev == baselineRev && o.Order.DecidedAt > acknowledgedBy)),
            n => n.GetInt32() >= 3, "three baseline decisions after the rollback", TimeSpan.FromSeconds(30), () => restarted.Output);
        var revs = new HashSet<string> { baselineRev, candidateRev };
        var (orders, fills) = await StoredOrdersAsync(taskHub);
        output.WriteLine($"{orders.Count} orders: " + string.Join(", ", orders.GroupBy(o => o.Order.ConfigRev).Select(g => $"{g.Count()} of '{g.Key}'")) + $"; {fills.Count} fills");
        Assert.All(orders, o => Assert.Contains(o.Order.ConfigRev, revs));
        Assert.All(fills, f => Assert.Contains(f.ConfigRev, revs));
        Assert.Contains(orders, o => o.Order.ConfigRev == candidateRev); // the canary did trade before the abort
        var late = orders.Where(o => o.Order.ConfigRev == candidateRev && o.Order.DecidedAt > acknowledgedBy).Select(o => $"{o.Order.IntentId} {o.Order.DecidedAt:O}").ToList();
        Assert.True(late.Count == 0, $"canary decisions after the rollback was acknowledged by {acknowledgedBy:O}: {string.Join(", ", late)}");
    }

    /// <summary>A Paper host of this test's task hub with the fixed host id, routing.</summary>
    private async Task<HostProcess> StartPaperHostAsync(string taskHub, Dictionary<string, string> environment)
    {
        var host = await HostProcess.StartAsync(azurite.ConnectionString, taskHub, Path.Combine(_workDir, taskHub + ".effects"), HostId, environment: environment);
        try
        {
            await host.Http.WaitForRoutingAsync(HostReady, () => host.Output);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>The baseline rules active on Paper (Operator asks, Trader approves, Operator activates): its map and rev.</summary>
    private static async Task<(string Map, string Rev)> TradeBaselineAsync(HttpClient operatorHttp, HttpClient traderHttp)
    {
        var rev = await operatorHttp.LintAsync(ReleaseScenario.BaselineRules);
        var map = await operatorHttp.RegisterPaperMapAsync(ReleaseScenario.BaselineRules, "baseline");
        await ReleaseCalls.ActivateOnPaperAsync(operatorHttp, traderHttp, map);
        return (map, rev);
    }

    /// <summary>
    /// Follows the release until <paramref name="until"/>, as its people would: the Trader approves what waits for an
    /// approval (the step to 100%), the Operator resumes a window that ended inconclusive (too few samples, typically
    /// right after a restart: a host's observations are its own).
    /// </summary>
    private async Task<JsonElement> DriveAsync(HttpClient operatorHttp, HttpClient traderHttp, string id, HostProcess host, string what, TimeSpan timeout,
        Func<JsonElement, bool> until)
    {
        var approved = new HashSet<string>();
        var resumedAt = DateTime.MinValue;
        var last = await ReleaseCalls.WaitForAsync(async () =>
        {
            var release = await operatorHttp.ReleaseAsync(id);
            if (until(release) || ReleaseCalls.Ended(release)) return release;
            if (ReleaseCalls.PendingApproval(release) is { } approval && approved.Add(approval))
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} approving {approval} ({ReleaseCalls.Progress(release)})");
                await ReleaseCalls.ApproveAsync(traderHttp, approval);
            }
            else if (ReleaseCalls.Progress(release) is { State: "PAUSED" } paused && DateTime.UtcNow - resumedAt > TimeSpan.FromSeconds(5))
            {
                // Once per pause: the view shows PAUSED until the canary has heard the resume.
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} resuming {paused}: {release.GetProperty("progress").GetProperty("lastAnalysis")}");
                await operatorHttp.ControlAsync(id, "resume", "watch again");
                resumedAt = DateTime.UtcNow;
            }
            return release;
        }, release => until(release) || ReleaseCalls.Ended(release), what, timeout, () => host.Output);
        return until(last) ? last : throw new Xunit.Sdk.XunitException($"the release ended before {what}: {last}");
    }

    private static string Describe(JsonElement split) =>
        $"{split.GetProperty("payload").GetProperty("action").GetString()} {split.GetProperty("payload").GetProperty("weight_bp").GetInt32()}";

    private static IEnumerable<string> Cohorts(JsonElement execution) =>
        [.. execution.GetProperty("cohorts").EnumerateArray().Select(c => c.GetProperty("configRev").GetString() ?? "")];

    /// <summary>Every order and fill both hosts stored in the task hub's execution tables.</summary>
    private async Task<(List<StoredOrder> Orders, List<FillRecord> Fills)> StoredOrdersAsync(string taskHub)
    {
        var store = await TableExecutionStore.CreateAsync(new TableServiceClient(azurite.ConnectionString), taskHub, CancellationToken.None);
        var orders = new List<StoredOrder>();
        await foreach (var order in store.OrdersAsync(CancellationToken.None)) orders.Add(order);
        return (orders, [.. await store.FillsSinceAsync(DateTimeOffset.UnixEpoch, CancellationToken.None)]);
    }

    public void Dispose()
    {
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
