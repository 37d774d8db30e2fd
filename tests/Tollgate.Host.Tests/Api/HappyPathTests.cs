using System.Text.Json;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Api;

public sealed class HappyPathTests : IAsyncLifetime
{
    private readonly HostFactory _host = new();
    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EngineTour_runs_to_Completed_with_progress_while_running_and_output_at_the_end()
    {
        var http = _host.Http();
        var id = await http.StartAsync("EngineTour", """{"subject":"happy","steps":3,"fanOut":4,"timerSeconds":1}""");

        var progressSeen = new List<string>();
        JsonElement status;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            status = await (await http.GetAsync($"/api/orchestrations/{id}")).ReadJsonAsync();
            if (status.GetProperty("runtimeStatus").GetString() == "Running" && status.GetProperty("progress").ValueKind == JsonValueKind.Object)
                progressSeen.Add(status.GetProperty("progress").GetProperty("stage").GetString()!);
            await Task.Delay(20);
        } while (status.GetProperty("runtimeStatus").GetString() is not ("Completed" or "Failed" or "Terminated") && DateTime.UtcNow < deadline);

        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
        Assert.Contains("timer", progressSeen); // the 1 s durable timer is long enough to be seen
        var progress = status.GetProperty("progress");
        Assert.Equal("done", progress.GetProperty("stage").GetString());
        Assert.Equal(8, progress.GetProperty("total").GetInt32());
        Assert.Equal(8, progress.GetProperty("done").GetInt32());
        var output = status.GetProperty("output");
        Assert.Equal(7, output.GetProperty("activitiesRun").GetInt32());
        Assert.Equal(64, output.GetProperty("chainDigest").GetString()!.Length);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("failure").ValueKind);
        Assert.Equal("EngineTour", status.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_failing_orchestration_reports_its_failure()
    {
        var http = _host.Http();
        var id = await http.StartAsync("EngineTour", """{"steps":0}""");
        var status = await http.WaitForEndAsync(id);
        Assert.Equal("Failed", status.GetProperty("runtimeStatus").GetString());
        var failure = status.GetProperty("failure");
        Assert.Contains("ArgumentOutOfRange", failure.GetProperty("errorType").GetString());
        Assert.Contains("Steps", failure.GetProperty("errorMessage").GetString());
    }
}
