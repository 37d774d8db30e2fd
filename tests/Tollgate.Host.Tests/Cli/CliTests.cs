using Tollgate.Cli;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Cli;

/// <summary>The CLI's command handlers, in process, against the in-process host.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private readonly HostFactory _host = new();

    public Task InitializeAsync()
    {
        _ = _host.Http(); // start the server
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private sealed record Run(int ExitCode, string Out, string Error);

    private async Task<Run> TollgateAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, endpoint => new HttpClient(_host.Server.CreateHandler()) { BaseAddress = endpoint })
        {
            PollInterval = TimeSpan.FromMilliseconds(20),
            TokenFromEnvironment = _host.Tokens.For(HostFactory.DefaultSubject, Governance.Identity.Role.Operator, Governance.Identity.Role.Admin),
        };
        var exitCode = await TollgateCli.RunAsync(["--endpoint", "http://localhost", .. args], context);
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Start_with_wait_exits_0_and_prints_progress_lines()
    {
        var run = await TollgateAsync("start", "EngineTour", "--input", """{"steps":3,"fanOut":4,"timerSeconds":1}""", "--id", "cli-wait", "--wait");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var lines = run.Out.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("cli-wait", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("[timer] 7/8", StringComparison.Ordinal));
        Assert.Contains("[done] 8/8", lines);
        Assert.Contains("cli-wait Completed", lines);
        Assert.Contains(lines, l => l.StartsWith("output", StringComparison.Ordinal));
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Start_with_wait_exits_1_when_the_orchestration_fails()
    {
        var run = await TollgateAsync("start", "EngineTour", "--input", """{"steps":0}""", "--wait");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Failed", run.Out);
        Assert.Contains("failure", run.Out);
    }

    [Fact]
    public async Task Start_prints_the_id_and_status_shows_it()
    {
        var start = await TollgateAsync("start", "EngineTour", "--input", """{"steps":1,"fanOut":1,"timerSeconds":0}""");
        Assert.Equal(0, start.ExitCode);
        var id = start.Out.Trim();
        Assert.Matches("^[0-9a-f]{32}$", id);

        var watch = await TollgateAsync("status", id, "--watch");
        Assert.Equal(0, watch.ExitCode);
        var status = await TollgateAsync("status", id);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("status    Completed", status.Out);
        Assert.Contains("progress  [done] 3/3", status.Out);
        Assert.Contains("chainDigest", status.Out);
    }

    [Fact]
    public async Task Start_reads_input_from_a_file()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{"steps":1,"fanOut":1,"timerSeconds":0}""");
        var run = await TollgateAsync("start", "EngineTour", "--input-file", file, "--id", "from-file", "--wait");
        File.Delete(file);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Status_of_an_unknown_id_exits_2_with_INSTANCE_NOT_FOUND()
    {
        var run = await TollgateAsync("status", "no-such-instance");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error INSTANCE_NOT_FOUND: ", run.Error);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData(new[] { "start", "NoSuchOrchestrator" }, "ORCHESTRATOR_NOT_FOUND")]
    [InlineData(new[] { "start", "EngineTour", "--input", "{nope" }, "MALFORMED_JSON")]
    [InlineData(new[] { "start", "EngineTour", "--input", "{}", "--input-file", "x.json" }, "INVALID_ARGUMENTS")]
    [InlineData(new[] { "start", "EngineTour", "--input-file", "/no/such/file.json" }, "INPUT_FILE_NOT_FOUND")]
    [InlineData(new[] { "start", "EngineTour", "--start-at", "soon" }, "INVALID_START_TIME")]
    [InlineData(new[] { "start", "EngineTour", "--id", "a/b" }, "INVALID_INSTANCE_ID")]
    [InlineData(new[] { "raise", "nobody", "go" }, "INSTANCE_NOT_FOUND")]
    [InlineData(new[] { "terminate", "nobody" }, "INSTANCE_NOT_FOUND")]
    [InlineData(new[] { "suspend", "nobody" }, "INSTANCE_NOT_FOUND")]
    [InlineData(new[] { "resume", "nobody" }, "INSTANCE_NOT_FOUND")]
    [InlineData(new[] { "purge", "nobody" }, "INSTANCE_NOT_FOUND")]
    [InlineData(new[] { "list", "--status", "Sleeping" }, "INVALID_STATUS")]
    [InlineData(new[] { "list", "--page-size", "5000" }, "INVALID_PAGE_SIZE")]
    [InlineData(new[] { "frobnicate" }, "INVALID_ARGUMENTS")]
    [InlineData(new[] { "status" }, "INVALID_ARGUMENTS")]
    public async Task Refusals_exit_2_with_the_reason(string[] args, string reason)
    {
        var run = await TollgateAsync(args);
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Out}{run.Error}");
        Assert.StartsWith($"error {reason}: ", run.Error);
    }

    [Fact]
    public async Task Raise_suspend_resume_terminate_list_and_purge()
    {
        Assert.Equal(0, (await TollgateAsync("start", "EngineTour", "--input", """{"steps":1,"fanOut":1,"timerSeconds":600}""", "--id", "cli-control")).ExitCode);
        Assert.Equal(0, (await TollgateAsync("raise", "cli-control", "poke", "--data", """{"n":1}""")).ExitCode);
        Assert.Equal(0, (await TollgateAsync("suspend", "cli-control", "--reason", "inspect")).ExitCode);
        Assert.Equal(0, (await TollgateAsync("resume", "cli-control")).ExitCode);

        var list = await TollgateAsync("list", "--prefix", "cli-control");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("cli-control", list.Out);
        Assert.Contains("EngineTour", list.Out);

        Assert.Equal(2, (await TollgateAsync("purge", "cli-control")).ExitCode); // still running: INSTANCE_NOT_ENDED
        Assert.Equal(0, (await TollgateAsync("terminate", "cli-control", "--reason", "done with it")).ExitCode);
        var watch = await TollgateAsync("status", "cli-control", "--watch");
        Assert.Equal(1, watch.ExitCode); // Terminated
        Assert.Contains("cli-control Terminated", watch.Out);

        var purge = await TollgateAsync("purge", "cli-control");
        Assert.Equal(0, purge.ExitCode);
        Assert.Contains("purged 1", purge.Out);
        Assert.Contains("no instances", (await TollgateAsync("list", "--prefix", "cli-control")).Out);
    }

    [Fact]
    public async Task An_unreachable_endpoint_exits_3_naming_the_endpoint()
    {
        var endpoint = $"http://127.0.0.1:{Support.Api.ClosedPort()}";
        var error = new StringWriter();
        var context = new CliContext(new StringWriter(), error, uri => new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(5) });
        var exitCode = await TollgateCli.RunAsync(["status", "x", "--endpoint", endpoint], context);
        Assert.Equal(3, exitCode);
        Assert.Contains(endpoint, error.ToString());
        Assert.Contains("cannot reach", error.ToString());
    }

    [Fact]
    public async Task The_endpoint_comes_from_TOLLGATE_ENDPOINT_when_not_given()
    {
        var endpoint = $"http://127.0.0.1:{Support.Api.ClosedPort()}";
        var error = new StringWriter();
        var context = new CliContext(new StringWriter(), error, uri => new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(5) })
        {
            EndpointFromEnvironment = endpoint,
        };
        Assert.Equal(3, await TollgateCli.RunAsync(["list"], context));
        Assert.Contains(endpoint, error.ToString());
    }
}
