using Tollgate.Cli;
using Tollgate.Governance.Identity;
using Tollgate.Host.Release;
using Tollgate.Host.Tests.Execution;
using Tollgate.Host.Tests.Support;
using Xunit.Abstractions;

namespace Tollgate.Host.Tests.Release;

/// <summary>
/// The release from the CLI, as a release manager types it: <c>tollgate release start</c> uploads CI's report and
/// starts the nine stages, <c>release status --watch</c> follows them to the end and exits by the result, and the
/// controls and bad arguments are refused with their codes before anything changes.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class ReleaseCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tollgate-release-cli").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private sealed record Run(int ExitCode, string Out, string Error);

    private static async Task<Run> TollgateAsync(HostFactory host, string subject, Role role, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr, endpoint => new HttpClient(host.Server.CreateHandler()) { BaseAddress = endpoint })
        {
            TokenFromEnvironment = host.Tokens.For(subject, [role]),
            PollInterval = TimeSpan.FromMilliseconds(200),
        };
        var exitCode = await TollgateCli.RunAsync(["--endpoint", "http://localhost", .. args], context);
        return new Run(exitCode, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Release_start_and_status_watch_run_a_release_through_all_nine_stages_and_exit_by_its_result()
    {
        await using var paper = await PaperReleaseHost.StartAsync(seed: 8101);
        var (host, operatorHttp, traderHttp) = (paper.Host, paper.Operator, paper.Trader);
        var candidate = await ReleaseHost.RegisterCandidateAsync(operatorHttp, ReleaseHost.ScaledBusyRules("cli-candidate"), ReleaseHost.Policy());
        var report = Path.Combine(folder, "junit.xml");
        await File.WriteAllTextAsync(report, ReleaseHost.PassingReport);
        // What the demo's CI hands the gates: without them VERSION_AUDIT and RISK_COMPLIANCE cannot pass Verify.
        var documents = Path.Combine(folder, "document-index.json");
        await File.WriteAllTextAsync(documents, """[{"doc_key":"DEPLOY_OPS","version":"2025-12-19","status":"ACTIVE"},{"doc_key":"RISK_COMPLIANCE","version":"v3","status":"ACTIVE"}]""");
        var vetoCodes = Path.Combine(folder, "veto-codes.json");
        await File.WriteAllTextAsync(vetoCodes, """[{"code":"RISK_MAX_QTY","description":"order quantity above the policy maximum"}]""");
        string[] startArgs = ["release", "start", "--env", "Paper", "--kind", "code", "--map", candidate, "--commit", ReleaseHost.Commit,
            "--ci-run", "cli-run-1", "--test-report", report, "--document-index", documents, "--veto-codes", vetoCodes];

        var start = await TollgateAsync(host, ReleaseHost.Pipeline, Role.Pipeline, startArgs);
        Assert.True(start.ExitCode == ExitCodes.Success, start.Out + start.Error);
        var id = start.Out.Split('\n')[0].Trim();
        Assert.Matches("^rel-[0-9a-f]{20}$", id);

        var again = await TollgateAsync(host, ReleaseHost.Pipeline, Role.Pipeline, startArgs);
        Assert.True(again.ExitCode == ExitCodes.Success, again.Out + again.Error);
        Assert.StartsWith(id, again.Out);
        Assert.Contains("already started", again.Out);

        // The Trader approves the pointer switch while the release manager watches.
        var approver = Task.Run(async () =>
        {
            var waiting = await operatorHttp.WaitForReleaseAsync(id, r => ReleaseHost.Ended(r) || ReleaseHost.PendingApproval(r) is not null, "the approval before 100%");
            if (ReleaseHost.PendingApproval(waiting) is { } approval) await ReleaseHost.ApproveAsync(traderHttp, approval);
        });
        var watch = await TollgateAsync(host, ExecutionHost.Operator, Role.Operator, "release", "status", id, "--watch");
        await approver;
        output.WriteLine(watch.Out + watch.Error);

        Assert.True(watch.ExitCode == ExitCodes.Success, watch.Out + watch.Error);
        Assert.Contains("[CANARY] RUNNING step 2/3 weight 50%", watch.Out);
        Assert.Contains("result SUCCESS", watch.Out);
        foreach (var stage in new[] { "BUILD", "TEST", "PACKAGE", "SIGN", "DEPLOY", "VERIFY", "APPROVAL", "ACTIVATE", "MONITOR", "SWITCH" })
            Assert.Matches($@"(?m)^  {stage} +(PASS|SKIPPED)", watch.Out);
        // The ninth stage, AUDIT_RECORD, is the deploy event itself.
        Assert.Matches(@"(?m)^  deploy event at ledger index \d+$", watch.Out);
        Assert.Contains("analysis step", watch.Out);

        var ended = await TollgateAsync(host, ExecutionHost.Operator, Role.Operator, "release", "pause", id, "--reason", "too late");
        Assert.Equal(ExitCodes.Refused, ended.ExitCode);
        Assert.Contains(ReleaseApiReasons.NotRunning, ended.Error);

        var list = await TollgateAsync(host, "auditor", Role.Auditor, "release", "list");
        Assert.True(list.ExitCode == ExitCodes.Success, list.Out + list.Error);
        Assert.Contains($"{id} Completed", list.Out);
    }

    [Fact]
    public async Task Bad_release_commands_are_refused_with_their_codes_and_start_nothing()
    {
        using var host = new HostFactory();
        var missing = Path.Combine(folder, "missing.xml");

        var noReport = await TollgateAsync(host, ReleaseHost.Pipeline, Role.Pipeline, "release", "start", "--env", "Paper", "--kind", "code", "--map", "vm-0",
            "--commit", ReleaseHost.Commit, "--ci-run", "r", "--test-report", missing);
        Assert.Equal(ExitCodes.Refused, noReport.ExitCode);
        Assert.Contains("INVALID_ARGUMENTS", noReport.Error);

        var unknownMap = await TollgateAsync(host, ReleaseHost.Pipeline, Role.Pipeline, "release", "start", "--env", "Paper", "--kind", "config_bundle",
            "--map", "vm-00000000000000000000000000000000", "--commit", ReleaseHost.Commit, "--ci-run", "r");
        Assert.Equal(ExitCodes.Refused, unknownMap.ExitCode);
        Assert.Contains("REL-", unknownMap.Error);

        var trader = await TollgateAsync(host, ExecutionHost.Trader, Role.Trader, "release", "start", "--env", "Paper", "--kind", "code", "--map", "vm-0",
            "--commit", ReleaseHost.Commit, "--ci-run", "r");
        Assert.Equal(ExitCodes.Refused, trader.ExitCode);

        var unknown = await TollgateAsync(host, ExecutionHost.Operator, Role.Operator, "release", "status", "rel-00000000000000000000");
        Assert.Equal(ExitCodes.Refused, unknown.ExitCode);
        Assert.Contains(ReleaseApiReasons.NotFound, unknown.Error);

        var list = await TollgateAsync(host, "auditor", Role.Auditor, "release", "list", "--json");
        Assert.True(list.ExitCode == ExitCodes.Success, list.Out + list.Error);
        Assert.DoesNotContain("rel-", list.Out);
    }
}
