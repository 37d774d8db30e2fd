using System.Text.Json;
using System.Text.RegularExpressions;
using Tollgate.Cli;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>CI's steps with the CLI against the in-process host, as docs/CI.md writes them: object put, vmap register, gate evaluate.</summary>
public sealed class GateCliTests : IAsyncLifetime
{
    private readonly HostFactory host = new();
    private readonly string folder = Path.Combine(Path.GetTempPath(), "tollgate-ci-cli", Guid.NewGuid().ToString("N"));
    private string documents = null!;
    private string vetoCodes = null!;

    public async Task InitializeAsync()
    {
        await LedgerApiTests.WaitForLedgerAsync(host.As("ci", Role.Pipeline));
        Directory.CreateDirectory(folder);
        documents = Path.Combine(folder, "document-index.json");
        vetoCodes = Path.Combine(folder, "veto-codes.json");
        await File.WriteAllTextAsync(documents, JsonSerializer.Serialize(CiRelease.DocumentIndex));
        await File.WriteAllTextAsync(vetoCodes, JsonSerializer.Serialize(CiRelease.VetoReasonCodes));
        await File.WriteAllTextAsync(Path.Combine(folder, "policy.json"), """{"max_position_lots":10}""");
        await File.WriteAllTextAsync(Path.Combine(folder, "rulebook.json"), """{"rules":["RISK-LIMIT-01","RISK-DRAWDOWN-02"]}""");
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private sealed record Run(int ExitCode, string Out, string Error);

    /// <summary>tollgate ARGS, as CI with TOLLGATE_TOKEN set to a token with <paramref name="roles"/> (default: Pipeline).</summary>
    private async Task<Run> TollgateAsync(Role[] roles, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, endpoint => new HttpClient(host.Server.CreateHandler()) { BaseAddress = endpoint })
        {
            TokenFromEnvironment = host.Tokens.For("ci", roles),
        };
        var exitCode = await TollgateCli.RunAsync(["--endpoint", "http://localhost", .. args], context);
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    private Task<Run> TollgateAsync(params string[] args) => TollgateAsync([Role.Pipeline], args);

    /// <summary>object put policy and rulebook, then vmap register with code = <paramref name="sha"/>; returns the map id.</summary>
    private async Task<string> RegisterReleaseAsync(string environment, string sha)
    {
        var policy = await TollgateAsync("object", "put", Path.Combine(folder, "policy.json"));
        var rulebook = await TollgateAsync("object", "put", Path.Combine(folder, "rulebook.json"));
        Assert.True(policy.ExitCode == 0, policy.Error);
        Assert.True(rulebook.ExitCode == 0, rulebook.Error);
        Assert.Matches("^sha256:[0-9a-f]{64}$", policy.Out.Trim());
        var register = await TollgateAsync("vmap", "register", "--env", environment, "--docs", "docs-2026.11", "--policy", "policy-7", "--model", "model-3.1",
            "--config", "config-12", "--code", sha, "--rulebook", rulebook.Out.Trim(), "--artifact", $"policy=policy-7={policy.Out.Trim()}");
        Assert.True(register.ExitCode == 0, register.Out + register.Error);
        return Regex.Match(register.Out, "vm-[0-9a-f]{32}").Value;
    }

    [Fact]
    public async Task Gate_evaluate_all_exits_1_for_a_fully_registered_release_because_two_gates_return()
    {
        var sha = CiRelease.NewSha();
        var map = await RegisterReleaseAsync("Paper", sha);

        var run = await TollgateAsync("gate", "evaluate", "all", "--env", "Paper", "--release", sha, "--map", map, "--document-index", documents, "--veto-codes", vetoCodes);

        Assert.True(run.ExitCode == ExitCodes.NotPassed, run.Out + run.Error);
        Assert.Contains("VERSION_AUDIT: PASS", run.Out);
        Assert.Contains("RISK_COMPLIANCE: PASS", run.Out);
        Assert.Contains("EXECUTION_CONTROL: RETURN", run.Out);
        Assert.Contains("UI_SPEC: RETURN", run.Out);
        Assert.Contains("EC-02 NOT_EVALUABLE", run.Out);
        Assert.Contains("verdict: RETURN", run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Gate_evaluate_all_exits_1_for_a_veto()
    {
        var run = await TollgateAsync("gate", "evaluate", "all", "--env", "Paper", "--release", CiRelease.NewSha());

        Assert.Equal(ExitCodes.NotPassed, run.ExitCode);
        Assert.Contains("RISK_COMPLIANCE: VETO", run.Out);
        Assert.Contains("verdict: VETO", run.Out);
    }

    [Fact]
    public async Task Gate_evaluate_of_one_gate_that_passes_exits_0()
    {
        var sha = CiRelease.NewSha();
        var map = await RegisterReleaseAsync("Paper", sha);

        var run = await TollgateAsync("gate", "evaluate", "VERSION_AUDIT", "--env", "Paper", "--release", sha, "--map", map, "--document-index", documents);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Out + run.Error);
        Assert.StartsWith("VERSION_AUDIT: PASS (eval-VERSION_AUDIT-", run.Out);
    }

    [Fact]
    public async Task Gate_evaluate_all_with_json_prints_the_hosts_answer_and_keeps_the_exit_code()
    {
        var sha = CiRelease.NewSha();

        var run = await TollgateAsync("gate", "evaluate", "all", "--env", "Paper", "--release", sha, "--json");

        Assert.Equal(ExitCodes.NotPassed, run.ExitCode);
        var answer = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal("VETO", answer.GetProperty("verdict").GetString());
        Assert.Equal(4, answer.GetProperty("gates").GetArrayLength());
    }

    [Theory]
    [InlineData(new[] { "gate", "evaluate", "all", "--env", "Prod", "--release", "r1" }, "ENV_UNKNOWN")]
    [InlineData(new[] { "gate", "evaluate", "all", "--env", "Paper", "--release", "r 1" }, "GOV_INVALID_REQUEST")]
    [InlineData(new[] { "gate", "evaluate", "all", "--env", "Paper", "--release", "r1", "--document-index", "/no/such/file.json" }, "INVALID_ARGUMENTS")]
    [InlineData(new[] { "gate", "evaluate", "SOMETHING", "--env", "Paper", "--release", "r1" }, "INVALID_ARGUMENTS")]
    [InlineData(new[] { "gate", "evaluate", "all", "--release", "r1" }, "INVALID_ARGUMENTS")]
    public async Task Gate_evaluate_exits_2_when_the_request_is_refused(string[] args, string reason)
    {
        var run = await TollgateAsync(args);

        Assert.True(run.ExitCode == ExitCodes.Refused, $"exit {run.ExitCode}: {run.Out}{run.Error}");
        Assert.StartsWith($"error {reason}: ", run.Error);
    }

    [Fact]
    public async Task Gate_evaluate_exits_2_for_a_caller_without_the_Pipeline_or_Operator_role()
    {
        var run = await TollgateAsync([Role.Auditor], "gate", "evaluate", "all", "--env", "Paper", "--release", "r1");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.StartsWith("error AUTH_ROLE_DENIED: ", run.Error);
    }

    [Fact]
    public async Task Gate_evaluate_exits_3_when_the_host_cannot_be_reached()
    {
        var endpoint = $"http://127.0.0.1:{Support.Api.ClosedPort()}";
        var error = new StringWriter();
        var context = new CliContext(new StringWriter(), error, uri => new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(5) })
        {
            TokenFromEnvironment = host.Tokens.For("ci", Role.Pipeline),
        };

        var exitCode = await TollgateCli.RunAsync(["--endpoint", endpoint, "gate", "evaluate", "all", "--env", "Paper", "--release", "r1"], context);

        Assert.Equal(ExitCodes.Unreachable, exitCode);
        Assert.Contains(endpoint, error.ToString());
    }
}
