using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Api;

/// <summary>GET, list, events, terminate/suspend/resume and purge: refusals by status and reason code, and what they change.</summary>
public sealed class InstanceRequestTests : IAsyncLifetime
{
    private readonly HostFactory _host = new();
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _http = _host.Http();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>An EngineTour parked on a 10-minute durable timer: Running for the whole test.</summary>
    private async Task<string> StartLongRunningAsync(string id)
    {
        await _http.StartAsync("EngineTour", """{"steps":1,"fanOut":1,"timerSeconds":600}""", id);
        await _http.WaitForStatusAsync(id, s => s == "Running", TimeSpan.FromSeconds(10));
        return id;
    }

    [Fact]
    public async Task Get_of_an_unknown_instance_is_404_INSTANCE_NOT_FOUND()
        => await (await _http.GetAsync("/api/orchestrations/nobody")).AssertRefusedAsync(HttpStatusCode.NotFound, "INSTANCE_NOT_FOUND");

    [Fact]
    public async Task Get_with_a_bad_showInput_is_400()
    {
        var id = await StartLongRunningAsync("show-input");
        await (await _http.GetAsync($"/api/orchestrations/{id}?showInput=maybe")).AssertRefusedAsync(HttpStatusCode.BadRequest, "INVALID_QUERY_PARAMETER");
    }

    [Fact]
    public async Task Get_shows_input_only_when_asked()
    {
        var id = await StartLongRunningAsync("input-shown");
        var hidden = await (await _http.GetAsync($"/api/orchestrations/{id}")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("input").ValueKind);
        var shown = await (await _http.GetAsync($"/api/orchestrations/{id}?showInput=true")).ReadJsonAsync();
        Assert.Equal(600, shown.GetProperty("input").GetProperty("timerSeconds").GetInt32());
        Assert.Equal("timer", shown.GetProperty("progress").GetProperty("stage").GetString());
        Assert.Equal("timer", shown.GetProperty("customStatus").GetProperty("stage").GetString());
    }

    [Theory]
    [InlineData("status=Bogus", "INVALID_STATUS")]
    [InlineData("status=Running,7", "INVALID_STATUS")]
    [InlineData("status=", "INVALID_STATUS")]
    [InlineData("createdFrom=yesterday", "INVALID_TIME_RANGE")]
    [InlineData("createdTo=2030-02-30", "INVALID_TIME_RANGE")]
    [InlineData("createdFrom=2030-01-02&createdTo=2030-01-01", "INVALID_TIME_RANGE")]
    [InlineData("pageSize=0", "INVALID_PAGE_SIZE")]
    [InlineData("pageSize=1001", "INVALID_PAGE_SIZE")]
    [InlineData("pageSize=ten", "INVALID_PAGE_SIZE")]
    [InlineData("continuationToken=", "INVALID_CONTINUATION_TOKEN")]
    public async Task List_with_a_bad_value_is_400_with_a_reason(string query, string reason)
        => await (await _http.GetAsync($"/api/orchestrations?{query}")).AssertRefusedAsync(HttpStatusCode.BadRequest, reason);

    [Fact]
    public async Task List_filters_by_status_and_prefix_and_pages()
    {
        await StartLongRunningAsync("list-run-1");
        await StartLongRunningAsync("list-run-2");
        var done = await _http.StartAsync("EngineTour", """{"steps":1,"fanOut":1,"timerSeconds":0}""", "list-done-1");
        await _http.WaitForEndAsync(done);

        var running = await _http.GetFromJsonAsync<JsonElement>("/api/orchestrations?status=Running,Suspended&prefix=list-");
        Assert.Equal(["list-run-1", "list-run-2"], Ids(running).Order());
        var completed = await _http.GetFromJsonAsync<JsonElement>("/api/orchestrations?status=completed&prefix=list-");
        Assert.Equal(["list-done-1"], Ids(completed));
        var created = await _http.GetFromJsonAsync<JsonElement>($"/api/orchestrations?prefix=list-&createdFrom={DateTime.UtcNow.AddMinutes(-5):O}&createdTo={DateTime.UtcNow.AddMinutes(5):O}");
        Assert.Equal(3, Ids(created).Count);

        var first = await _http.GetFromJsonAsync<JsonElement>("/api/orchestrations?prefix=list-&pageSize=2");
        Assert.Equal(2, Ids(first).Count);
        var token = first.GetProperty("continuationToken").GetString();
        Assert.NotNull(token);
        var second = await _http.GetFromJsonAsync<JsonElement>($"/api/orchestrations?prefix=list-&pageSize=2&continuationToken={Uri.EscapeDataString(token)}");
        Assert.Single(Ids(second));
        Assert.Empty(Ids(first).Intersect(Ids(second)));
    }

    private static List<string> Ids(JsonElement page)
        => page.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!).ToList();

    [Fact]
    public async Task Raise_event_refusals()
    {
        var id = await StartLongRunningAsync("events");
        await (await _http.PostAsync("/api/orchestrations/nobody/events/go", Support.Api.Json("{}"))).AssertRefusedAsync(HttpStatusCode.NotFound, "INSTANCE_NOT_FOUND");
        await (await _http.PostAsync($"/api/orchestrations/{id}/events/go", Support.Api.Json("{oops"))).AssertRefusedAsync(HttpStatusCode.BadRequest, "MALFORMED_JSON");
        await (await _http.PostAsync($"/api/orchestrations/{id}/events/go", Support.Api.Json($"\"{new string('x', 256 * 1024)}\"")))
            .AssertRefusedAsync(HttpStatusCode.RequestEntityTooLarge, "INPUT_TOO_LARGE");
        await (await _http.PostAsync($"/api/orchestrations/{id}/events/{new string('e', 300)}", Support.Api.Json("{}"))).AssertRefusedAsync(HttpStatusCode.BadRequest, "INVALID_EVENT_NAME");

        var accepted = await _http.PostAsync($"/api/orchestrations/{id}/events/go", Support.Api.Json("""{"x":1}"""));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var noBody = await _http.PostAsync($"/api/orchestrations/{id}/events/go", null);
        Assert.Equal(HttpStatusCode.Accepted, noBody.StatusCode);

        await TerminateAsync(id);
        await (await _http.PostAsync($"/api/orchestrations/{id}/events/go", Support.Api.Json("{}"))).AssertRefusedAsync(HttpStatusCode.Conflict, "INSTANCE_NOT_RUNNING");
    }

    [Fact]
    public async Task Suspend_resume_terminate_change_the_status_and_refuse_when_ended()
    {
        var id = await StartLongRunningAsync("control");
        foreach (var operation in new[] { "terminate", "suspend", "resume" })
        {
            await (await _http.PostAsync($"/api/orchestrations/nobody/{operation}", null)).AssertRefusedAsync(HttpStatusCode.NotFound, "INSTANCE_NOT_FOUND");
            await (await _http.PostAsync($"/api/orchestrations/{id}/{operation}", Support.Api.Json("[1,"))).AssertRefusedAsync(HttpStatusCode.BadRequest, "MALFORMED_JSON");
            await (await _http.PostAsync($"/api/orchestrations/{id}/{operation}", Support.Api.Json("""{"reason":42}"""))).AssertRefusedAsync(HttpStatusCode.BadRequest, "MALFORMED_JSON");
        }

        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync($"/api/orchestrations/{id}/suspend", Support.Api.Json("""{"reason":"look"}"""))).StatusCode);
        await _http.WaitForStatusAsync(id, s => s == "Suspended", TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync($"/api/orchestrations/{id}/resume", null)).StatusCode);
        await _http.WaitForStatusAsync(id, s => s == "Running", TimeSpan.FromSeconds(10));

        var final = await TerminateAsync(id, "because");
        Assert.Equal("because", final.GetProperty("output").GetString());
        foreach (var operation in new[] { "terminate", "suspend", "resume" })
            await (await _http.PostAsync($"/api/orchestrations/{id}/{operation}", null)).AssertRefusedAsync(HttpStatusCode.Conflict, "INSTANCE_NOT_RUNNING");
    }

    [Fact]
    public async Task Purge_removes_only_ended_instances()
    {
        var id = await StartLongRunningAsync("purge-me");
        await (await _http.DeleteAsync("/api/orchestrations/nobody")).AssertRefusedAsync(HttpStatusCode.NotFound, "INSTANCE_NOT_FOUND");
        await (await _http.DeleteAsync($"/api/orchestrations/{id}")).AssertRefusedAsync(HttpStatusCode.Conflict, "INSTANCE_NOT_ENDED");
        Assert.Contains(id, await _http.InstanceIdsAsync());

        await TerminateAsync(id);
        var purged = await _http.DeleteAsync($"/api/orchestrations/{id}");
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Equal(1, (await purged.ReadJsonAsync()).GetProperty("purged").GetInt32());
        Assert.DoesNotContain(id, await _http.InstanceIdsAsync());
        await (await _http.DeleteAsync($"/api/orchestrations/{id}")).AssertRefusedAsync(HttpStatusCode.NotFound, "INSTANCE_NOT_FOUND");
    }

    private async Task<JsonElement> TerminateAsync(string id, string? reason = null)
    {
        var response = await _http.PostAsync($"/api/orchestrations/{id}/terminate", reason is null ? null : Support.Api.Json(JsonSerializer.Serialize(new { reason })));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await _http.WaitForEndAsync(id);
    }
}
