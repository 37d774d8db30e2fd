using System.Net.Http.Json;
using System.Text.Json;

namespace Tollgate.Host.Tests.Process;

/// <summary>The built host started as a process on a free port, and the built CLI against it.</summary>
public sealed class RealProcessTests
{
    private static readonly Support.TestTokens Tokens = new();

    private static readonly Dictionary<string, string?> InMemory = new()
    {
        ["AzureWebJobsStorage"] = "in-memory",
        ["Tollgate__Auth__LocalSigningKey"] = Tokens.KeyBase64,
    };

    private static readonly string OperatorToken = Tokens.For("tester", Governance.Identity.Role.Operator);

    private static Task<Processes.Result> TollgateAsync(string endpoint, params string[] args)
        => Processes.RunAsync(Processes.Dotnet(Processes.CliDll, ["--endpoint", endpoint, "--token", OperatorToken, .. args]), TimeSpan.FromSeconds(60));

    [Fact]
    public async Task The_CLI_starts_and_waits_for_EngineTour_on_a_real_host()
    {
        await using var host = await HostProcess.StartAsync(InMemory);
        var run = await TollgateAsync(host.Endpoint, "start", "EngineTour", "--input", """{"steps":2,"fanOut":3,"timerSeconds":1}""", "--wait");
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Out}\n{run.Error}\nhost:\n{host.Output}");
        Assert.Contains("[timer] 5/6 durable timer of 1s", run.Out); // not a terminal: plain progress lines
        Assert.Contains("[done] 6/6", run.Out);
        Assert.Contains(" Completed", run.Out);

        var unknown = await TollgateAsync(host.Endpoint, "status", "nobody-here");
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("error INSTANCE_NOT_FOUND:", unknown.Error);

        var list = await TollgateAsync(host.Endpoint, "list", "--status", "Completed");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("EngineTour", list.Out);
    }

    [Fact]
    public async Task The_CLI_exits_3_when_no_host_listens()
    {
        var endpoint = $"http://127.0.0.1:{Support.Api.ClosedPort()}";
        var run = await TollgateAsync(endpoint, "status", "x");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains(endpoint, run.Error);
    }

    [Fact]
    public async Task A_crash_point_prints_its_marker_and_stops_there()
    {
        var effects = Path.Combine(Directory.CreateTempSubdirectory("tollgate-host-").FullName, "effects");
        await using var host = await HostProcess.StartAsync(new Dictionary<string, string?>(InMemory)
        {
            ["TOLLGATE_TEST_WORKFLOWS"] = "1",
            ["TOLLGATE_EFFECTS_FILE"] = effects,
            ["TOLLGATE_CRASH_AT"] = "during-activity",
            ["TOLLGATE_HOST_ID"] = "probe-host",
            ["TOLLGATE_LEASE_SECONDS"] = "6",
        });
        using var http = new HttpClient { BaseAddress = new Uri(host.Endpoint) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OperatorToken);
        var health = await http.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal("probe-host", health.GetProperty("hostId").GetString());

        var started = await http.PostAsJsonAsync("/api/orchestrations/CrashProbe?instanceId=probe-1", new { instanceKey = "probe-1", steps = 2, timerSeconds = 1 });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var marker = await host.LineAsync("TOLLGATE-CRASH-POINT ").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("TOLLGATE-CRASH-POINT during-activity", marker.Trim());

        // Stopped dead inside the first activity: it never completes.
        await Task.Delay(500);
        var status = await http.GetFromJsonAsync<JsonElement>("/api/orchestrations/probe-1");
        Assert.Equal("Running", status.GetProperty("runtimeStatus").GetString());
    }

    [Theory]
    [InlineData("TOLLGATE_CRASH_AT", "nowhere", "TOLLGATE_CRASH_AT")]
    [InlineData("AzureFunctionsJobHost__extensions__durableTask__hubName", "no-dashes-allowed", "Task hub name")]
    [InlineData("AzureFunctionsJobHost__extensions__durableTask__storageProvider__partitionCount", "0", "partitionCount")]
    [InlineData("AzureWebJobsStorage", "garbage-not-a-connection-string", "connection string is not valid")]
    public async Task A_bad_setting_stops_the_host_with_a_clear_message(string key, string value, string named)
    {
        var run = await Processes.RunAsync(Processes.Dotnet(Processes.HostDll, ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string?>(InMemory) { [key] = value }), TimeSpan.FromSeconds(60));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Tollgate host cannot start:", run.Error);
        Assert.Contains(named, run.Error);
        Assert.DoesNotContain("garbage-not-a-connection-string", run.Error + run.Out);
    }

    [Fact]
    public async Task A_missing_storage_setting_stops_the_host_naming_it()
    {
        var run = await Processes.RunAsync(Processes.Dotnet(Processes.HostDll, ["--urls", "http://127.0.0.1:0"]), TimeSpan.FromSeconds(60));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("AzureWebJobsStorage is not set", run.Error);
    }
}
