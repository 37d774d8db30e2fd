using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace Tollgate.Release.Benchmarks.Rollback;

/// <summary>
/// Rollback time (docs/RELEASES.md, "Rollback"): trigger → every host acknowledged the ABORT split record, on real
/// components over loopback: the fake exchange and N Tollgate host processes in Paper mode on one Azurite task hub
/// (TOLLGATE_BENCH_STORAGE, set by scripts/bench.sh). A baseline rule set is activated on Paper; then each release
/// registers a distinct candidate, starts as CI would, is aborted by an Operator while its canary runs at step 1 on
/// every host, and the rollback figure the release reports is read back (and checked: COMPLETE, N hosts). Markdown on
/// stdout, progress on stderr; every child process is killed on exit, failure or Ctrl-C.
/// </summary>
internal static class RollbackBenchmark
{
    private static readonly TimeSpan ReleaseDeadline = TimeSpan.FromMinutes(4);

    public static async Task<int> RunAsync(string[] args)
    {
        var hostsOption = new Option<int>("--hosts") { Description = "Tollgate host processes on the one task hub.", DefaultValueFactory = _ => 3 };
        var releasesOption = new Option<int>("--releases") { Description = "Releases, each aborted at its first canary step.", DefaultValueFactory = _ => 30 };
        var maxRollbackOption = new Option<int>("--max-rollback-seconds")
        {
            Description = "The policy's max_rollback_seconds (trigger → every host acknowledged); default the Paper policies' 180 s (seed 003's limit).",
            DefaultValueFactory = _ => 180,
        };
        var rulesPollOption = new Option<int?>("--rules-poll-ms") { Description = "Tollgate:Execution:RulesPollMs of every host (unset: the host's default, 250 ms)." };
        var busyOption = new Option<bool>("--busy-rules")
        {
            Description = "Baseline and candidates that trade all the time (default: rules that never fire; with several Paper hosts on one task hub their order-intents publishers collide).",
        };
        var viewPollOption = new Option<int>("--view-poll-ms") { Description = "Pause between the client's reads of the release view after the abort.", DefaultValueFactory = _ => 50 };
        foreach (var option in new[] { hostsOption, releasesOption, maxRollbackOption })
            option.Validators.Add(result => { if (result.GetValueOrDefault<int>() < 1) result.AddError($"{option.Name} must be at least 1."); });
        var root = new RootCommand("Measures rollback time (abort → every host acknowledged) on real host processes; prints Markdown.")
        {
            hostsOption, releasesOption, maxRollbackOption, rulesPollOption, busyOption, viewPollOption,
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 || args.Contains("--help") || args.Contains("-h")) return await parsed.InvokeAsync();
        var storage = Environment.GetEnvironmentVariable("TOLLGATE_BENCH_STORAGE");
        if (string.IsNullOrWhiteSpace(storage))
        {
            Console.Error.WriteLine("TOLLGATE_BENCH_STORAGE is not set (scripts/bench.sh rollback starts Azurite and sets it).");
            return 2;
        }
        var settings = new RollbackSettings(parsed.GetValue(hostsOption), parsed.GetValue(releasesOption), parsed.GetValue(maxRollbackOption),
            parsed.GetValue(rulesPollOption), parsed.GetValue(busyOption), TimeSpan.FromMilliseconds(Math.Max(0, parsed.GetValue(viewPollOption))));

        using var cancel = new CancellationTokenSource();
        // Ctrl-C and SIGTERM end the run through its finally blocks (children killed, data folder removed);
        // ProcessExit is the last resort for a path that skips them.
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; cancel.Cancel(); });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.KillAll();
        try
        {
            return await RunAsync(settings, storage, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted: every child process was stopped");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            ChildProcess.KillAll();
        }
    }

    private static async Task<int> RunAsync(RollbackSettings settings, string storage, CancellationToken cancellationToken)
    {
        var repoRoot = RepoRoot();
        var startedUtc = DateTime.UtcNow;
        var wall = Stopwatch.StartNew();
        var dataDir = Path.Combine(repoRoot, ".data", "rollback-bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        Directory.CreateDirectory(dataDir);
        var tokens = new LocalTokens(RandomNumberGenerator.GetBytes(32));
        // The Sign stage's key: fresh per run, handed to the hosts as the secret release-signing-key, never written or printed.
        string releaseKey;
        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256)) releaseKey = Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey());
        // Four eyes: CI and the release manager are one identity (Operator + Pipeline), the approver another (Trader).
        var manager = tokens.Mint("bench.release-manager", "Rollback benchmark (Operator and CI)", "Operator", "Pipeline");
        var trader = tokens.Mint("bench.trader", "Rollback benchmark (Trader)", "Trader");

        FakeExchangeProcess? exchange = null;
        var hosts = new List<HostProcess>();
        var apis = new List<TollgateApi>();
        try
        {
            exchange = await FakeExchangeProcess.StartAsync(repoRoot, cancellationToken);
            Console.Error.WriteLine($"fake exchange at {exchange.Endpoint}");
            var cluster = new HostCluster(repoRoot, storage, "rbench" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), dataDir, tokens.KeyBase64,
                releaseKey, exchange, settings.RulesPollMs);
            // One at a time: each host creates or joins the task hub as it starts, and two cores start one host faster than three.
            for (var i = 0; i < settings.Hosts; i++)
            {
                var host = await HostProcess.StartAsync(cluster, $"bench-host-{i + 1}", cancellationToken);
                hosts.Add(host);
                apis.Add(new TollgateApi(host.Endpoint, manager));
                await WaitUntilAsync(async () => await apis[i].HealthAsync(cancellationToken) is { } s && s != "FAIL", TimeSpan.FromSeconds(120),
                    $"{host.HostId}'s health not FAIL", hosts, cancellationToken);
                Console.Error.WriteLine($"{host.HostId} at {host.Endpoint}");
            }
            foreach (var (api, host) in apis.Zip(hosts))
                await WaitUntilAsync(async () => await api.ExecutionAsync(cancellationToken) is { } e && e.GetProperty("state").GetString() == "ROUTING",
                    TimeSpan.FromSeconds(120), $"{host.HostId}'s order path ROUTING", hosts, cancellationToken);

            var first = apis[0];
            using var approver = new TollgateApi(hosts[0].Endpoint, trader);
            var baseline = await ActivateBaselineAsync(first, approver, ReleaseInputs.BaselineRules(settings.BusyRules), cancellationToken);
            foreach (var (api, host) in apis.Zip(hosts))
                await WaitUntilAsync(async () => await api.ExecutionAsync(cancellationToken) is { } e && e.GetProperty("rulesRev").GetString() == baseline,
                    TimeSpan.FromSeconds(60), $"{host.HostId} serving the baseline {baseline}", hosts, cancellationToken);
            Console.Error.WriteLine($"baseline {baseline} served by all {hosts.Count} hosts");

            var policy = ReleaseInputs.Policy(settings.MaxRollbackSeconds);
            var policyRev = ReleaseInputs.PolicyRev(policy);
            var policyDigest = await first.StoreObjectAsync(policy, cancellationToken);
            var reportDigest = await first.StoreObjectAsync(ReleaseInputs.PassingReport, cancellationToken);
            var runTag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
            var releases = new List<RollbackSample>();
            for (var i = 0; i < settings.Releases; i++)
            {
                var sample = await RunReleaseAsync(i, settings, first, hosts, policyRev, policyDigest, reportDigest, $"rollback-bench-{runTag}-{i + 1:000}", cancellationToken);
                releases.Add(sample);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{i + 1}/{settings.Releases}] {wall.Elapsed.TotalSeconds:0} s  {sample.ReleaseId}: canary at step 1 on every host after {sample.StartToCanary.TotalSeconds:0.0} s; abort → trigger→ack {sample.TriggerToAckMs:0.0} ms, client {sample.ClientMs:0.0} ms, hosts logged the stable rules {sample.FirstHostSwapMs:0.0}-{sample.LastHostSwapMs:0.0} ms"));
            }
            new RollbackReport(settings, startedUtc, wall.Elapsed, releases).Write(Console.Out);
            return 0;
        }
        catch (BenchmarkFailure failure)
        {
            Console.Error.WriteLine($"FAILED: {failure.Message}");
            foreach (var host in hosts) Console.Error.WriteLine($"--- last lines of {host.HostId}{(host.HasExited ? " (exited)" : "")}:\n{host.Tail()}");
            return 1;
        }
        finally
        {
            foreach (var api in apis) api.Dispose();
            foreach (var host in hosts) await host.DisposeAsync();
            if (exchange is not null) await exchange.DisposeAsync();
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Lints, stores and registers the baseline rules as a Paper map, and activates it with a Trader's two-step approval; returns its rev.</summary>
    private static async Task<string> ActivateBaselineAsync(TollgateApi manager, TollgateApi trader, string rules, CancellationToken cancellationToken)
    {
        var rev = await manager.LintAsync(rules, cancellationToken);
        var rulesDigest = await manager.StoreObjectAsync(rules, cancellationToken);
        var rulebook = await manager.StoreObjectAsync("rulebook for the rollback benchmark's baseline", cancellationToken);
        var map = await manager.RegisterPaperMapAsync(rev, "policy-bench", "baseline", rulebook, [new { name = "rules", @ref = rev, digest = rulesDigest }], cancellationToken);
        var approval = await manager.RequestActivationAsync(map, cancellationToken);
        await trader.ApproveAsync(approval, cancellationToken);
        await manager.ActivateOnPaperAsync(map, approval, cancellationToken);
        return rev;
    }

    /// <summary>One release: register, start, wait for its canary at step 1 on every host, abort, and read the rollback back.</summary>
    private static async Task<RollbackSample> RunReleaseAsync(int index, RollbackSettings settings, TollgateApi api, List<HostProcess> hosts, string policyRev,
        string policyDigest, string reportDigest, string ciRun, CancellationToken cancellationToken)
    {
        var rules = ReleaseInputs.CandidateRules(index, settings.BusyRules);
        var rev = await api.LintAsync(rules, cancellationToken);
        var rulesDigest = await api.StoreObjectAsync(rules, cancellationToken);
        var rulebook = await api.StoreObjectAsync($"rulebook for {ciRun}", cancellationToken);
        var map = await api.RegisterPaperMapAsync(rev, policyRev, ReleaseInputs.Commit, rulebook,
            [new { name = "rules", @ref = rev, digest = rulesDigest }, new { name = "policy", @ref = policyRev, digest = policyDigest }], cancellationToken);

        var started = Stopwatch.GetTimestamp();
        var id = await api.StartReleaseAsync(map, ReleaseInputs.Commit, ciRun, reportDigest, cancellationToken);
        var canary = await WaitForViewAsync(api, id, v => v.CanaryRunningAtFirstStep, "its canary RUNNING at step 1 with a weight above 0", hosts, cancellationToken);
        var weightSplit = canary.SplitSequence!.Value;
        // Every host must serve the canary's split before the abort: the rollback waits only for hosts that acknowledged
        // the record before the ABORT, so a host still on an older record would leave the figure short of N hosts.
        await WaitUntilAsync(() => Task.FromResult(hosts.All(h => h.Served(weightSplit) is { WithCanary: true })), TimeSpan.FromSeconds(60),
            $"every host serving the canary of {id} (split #{weightSplit})", hosts, cancellationToken);
        // The host stores its acknowledgement right after logging the swap: one storage write, far less than this.
        await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        var startToCanary = Stopwatch.GetElapsedTime(started);
        var beforeAbort = await api.ReleaseAsync(id, cancellationToken);
        var view = new ReleaseView(beforeAbort);
        if (!view.CanaryRunningAtFirstStep || view.SplitSequence != weightSplit)
            throw new BenchmarkFailure($"{id} moved on by itself before the abort ({view}; {view.Analyses} analyses): the judge decided, so this would not time an abort.");

        var abortSent = Stopwatch.GetTimestamp();
        await api.AbortAsync(id, $"rollback benchmark: release {index + 1} of {settings.Releases}", cancellationToken);
        var views = 0;
        var viewTime = TimeSpan.Zero;
        double? clientMs = null;
        var deadline = DateTime.UtcNow + ReleaseDeadline;
        while (true)
        {
            var read = Stopwatch.GetTimestamp();
            view = new ReleaseView(await api.ReleaseAsync(id, cancellationToken));
            viewTime += Stopwatch.GetElapsedTime(read);
            views++;
            if (clientMs is null && view.Rollback is { } seen)
            {
                if (seen.GetProperty("result").GetString() != "COMPLETE")
                    throw new BenchmarkFailure($"{id}: the rollback is {seen.GetProperty("result").GetString()}: {seen}");
                clientMs = Stopwatch.GetElapsedTime(abortSent).TotalMilliseconds;
            }
            if (view.Ended) break;
            if (DateTime.UtcNow > deadline) throw new BenchmarkFailure($"{id} did not end within {ReleaseDeadline.TotalMinutes} min of the abort: {view}");
            if (settings.ViewPoll > TimeSpan.Zero) await Task.Delay(settings.ViewPoll, cancellationToken);
        }
        return Checked(id, view, clientMs, hosts, abortSent, startToCanary, views, viewTime);
    }

    /// <summary>The release rolled back on the operator's abort, and every host acknowledged: the figures, or a loud failure.</summary>
    private static RollbackSample Checked(string id, ReleaseView view, double? clientMs, List<HostProcess> hosts, long abortSent, TimeSpan startToCanary,
        int views, TimeSpan viewTime)
    {
        if (view.Result != "ROLLED_BACK" || !view.ResultCodes.Contains("REL-ABORTED"))
            throw new BenchmarkFailure($"{id} ended {view.Status} with result {view.Result} [{string.Join(", ", view.ResultCodes)}], not ROLLED_BACK on REL-ABORTED; failure: {view.Failure}; stages: {view.FailedStages()}");
        if (view.Rollback is not { } rollback || clientMs is null) throw new BenchmarkFailure($"{id} ended without a rollback in its view.");
        var acknowledged = rollback.GetProperty("acknowledged").EnumerateArray().Select(a => a.GetString()!).Order(StringComparer.Ordinal).ToList();
        var missing = rollback.GetProperty("missing").EnumerateArray().Select(a => a.GetString()!).ToList();
        var expected = hosts.Select(h => h.HostId).Order(StringComparer.Ordinal).ToList();
        if (rollback.GetProperty("result").GetString() != "COMPLETE" || missing.Count > 0 || !acknowledged.SequenceEqual(expected))
            throw new BenchmarkFailure($"{id}: rollback {rollback.GetProperty("result").GetString()}, acknowledged by [{string.Join(", ", acknowledged)}], missing [{string.Join(", ", missing)}]; expected all of [{string.Join(", ", expected)}]. {rollback}");
        var abortSplit = rollback.GetProperty("splitSequence").GetInt64();
        var swaps = hosts.Select(h => h.Served(abortSplit)).ToList();
        if (swaps.Any(s => s is null || s.WithCanary))
            throw new BenchmarkFailure($"{id}: not every host logged the stable rules alone for split #{abortSplit} although all acknowledged it.");
        var swapMs = swaps.Select(s => Stopwatch.GetElapsedTime(abortSent, s!.At).TotalMilliseconds).ToList();
        return new RollbackSample(id, abortSplit, rollback.GetProperty("triggerToAckMs").GetDouble(), acknowledged.Count, clientMs.Value, swapMs.Min(), swapMs.Max(),
            startToCanary, view.Analyses, viewTime.TotalMilliseconds / views);
    }

    private static async Task<ReleaseView> WaitForViewAsync(TollgateApi api, string id, Func<ReleaseView, bool> done, string what, List<HostProcess> hosts,
        CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReleaseDeadline;
        while (true)
        {
            var view = new ReleaseView(await api.ReleaseAsync(id, cancellationToken));
            if (done(view)) return view;
            if (view.Ended)
                throw new BenchmarkFailure($"{id} ended ({view.Status}, result {view.Result} [{string.Join(", ", view.ResultCodes)}]) before {what}; failure: {view.Failure}; stages: {view.FailedStages()}");
            if (DateTime.UtcNow > deadline) throw new BenchmarkFailure($"{id}: no {what} within {ReleaseDeadline.TotalMinutes} min; last: {view}; stages: {view.FailedStages()}");
            if (hosts.FirstOrDefault(h => h.HasExited) is { } gone) throw new BenchmarkFailure($"{gone.HostId} exited while waiting for {what}.");
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan timeout, string what, List<HostProcess> hosts, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await done()) return;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException)
            {
                // not answering yet
            }
            if (DateTime.UtcNow > deadline) throw new BenchmarkFailure($"no {what} within {timeout.TotalSeconds:0} s.");
            if (hosts.FirstOrDefault(h => h.HasExited) is { } gone) throw new BenchmarkFailure($"{gone.HostId} exited while waiting for {what}.");
            await Task.Delay(100, cancellationToken);
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Functions.sln not found above the benchmark binaries.");
    }
}

/// <summary>The run's shape: how many hosts and releases, the policy's limit, the hosts' poll interval, the client's view polling.</summary>
internal sealed record RollbackSettings(int Hosts, int Releases, int MaxRollbackSeconds, int? RulesPollMs, bool BusyRules, TimeSpan ViewPoll);

/// <summary>
/// One release's rollback. <paramref name="TriggerToAckMs"/>: the release's own figure (revert activity start → the last
/// host's acknowledgement, host clocks). <paramref name="ClientMs"/>: abort request sent → the first view read showing
/// the rollback COMPLETE (client clock, includes the view polling). <paramref name="FirstHostSwapMs"/>/<paramref name="LastHostSwapMs"/>:
/// abort request sent → the first / last host's log line saying it decides by the ABORT record with the stable rules alone.
/// </summary>
internal sealed record RollbackSample(string ReleaseId, long AbortSplit, double TriggerToAckMs, int Acknowledged, double ClientMs, double FirstHostSwapMs,
    double LastHostSwapMs, TimeSpan StartToCanary, int Analyses, double MeanViewReadMs);
