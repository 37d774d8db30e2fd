using System.Net;
using System.Text;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Api;

/// <summary>POST /api/orchestrations/{name}: every refusal has its status and reason code, and creates nothing.</summary>
public sealed class StartRefusalTests : IAsyncLifetime
{
    private const int MaxPayloadBytes = 256 * 1024;
    private readonly HostFactory _host = new();
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _http = _host.Http();
        await _http.StartAsync("EngineTour", """{"steps":1,"fanOut":1,"timerSeconds":600}""", "existing");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task AssertRefusedAndNothingCreatedAsync(Func<Task<HttpResponseMessage>> request, HttpStatusCode status, string reason)
    {
        var before = await _http.InstanceIdsAsync();
        var response = await request();
        await response.AssertRefusedAsync(status, reason);
        Assert.Equal(before.Order(), (await _http.InstanceIdsAsync()).Order());
    }

    [Fact]
    public Task Unknown_orchestrator_is_404_ORCHESTRATOR_NOT_FOUND()
        => AssertRefusedAndNothingCreatedAsync(() => _http.PostAsync("/api/orchestrations/NoSuchThing?instanceId=x1", Support.Api.Json("{}")),
            HttpStatusCode.NotFound, "ORCHESTRATOR_NOT_FOUND");

    [Theory]
    [InlineData("{\"steps\":")]
    [InlineData("{steps: 3}")]
    [InlineData("{} trailing")]
    [InlineData("not json")]
    public Task Malformed_JSON_is_400_MALFORMED_JSON(string body)
        => AssertRefusedAndNothingCreatedAsync(() => _http.PostAsync("/api/orchestrations/EngineTour?instanceId=x2", Support.Api.Json(body)),
            HttpStatusCode.BadRequest, "MALFORMED_JSON");

    [Fact]
    public Task A_body_over_the_limit_is_413_INPUT_TOO_LARGE()
        => AssertRefusedAndNothingCreatedAsync(() => _http.PostAsync("/api/orchestrations/EngineTour?instanceId=x3",
                Support.Api.Json($"\"{new string('a', MaxPayloadBytes)}\"")),
            HttpStatusCode.RequestEntityTooLarge, "INPUT_TOO_LARGE");

    [Fact]
    public Task A_chunked_body_over_the_limit_is_413_INPUT_TOO_LARGE()
        => AssertRefusedAndNothingCreatedAsync(() =>
            {
                // No Content-Length: the host must count the bytes as it reads them.
                var content = new StreamContent(new ChunkedStream(Encoding.UTF8.GetBytes($"\"{new string('b', MaxPayloadBytes + 10)}\"")));
                content.Headers.ContentType = new("application/json");
                return _http.PostAsync("/api/orchestrations/EngineTour?instanceId=x4", content);
            },
            HttpStatusCode.RequestEntityTooLarge, "INPUT_TOO_LARGE");

    [Fact]
    public Task An_existing_id_is_409_INSTANCE_EXISTS()
        => AssertRefusedAndNothingCreatedAsync(() => _http.PostAsync("/api/orchestrations/EngineTour?instanceId=existing", Support.Api.Json("{}")),
            HttpStatusCode.Conflict, "INSTANCE_EXISTS");

    [Theory]
    [InlineData("a%2Fb")]
    [InlineData("a%23b")]
    [InlineData("")]
    [InlineData("%20%20")]
    public Task An_invalid_id_is_400_INVALID_INSTANCE_ID(string encodedId)
        => AssertRefusedAndNothingCreatedAsync(() => _http.PostAsync($"/api/orchestrations/EngineTour?instanceId={encodedId}", Support.Api.Json("{}")),
            HttpStatusCode.BadRequest, "INVALID_INSTANCE_ID");

    [Fact]
    public Task An_id_over_100_characters_is_400_INVALID_INSTANCE_ID()
        => AssertRefusedAndNothingCreatedAsync(() => _http.PostAsync($"/api/orchestrations/EngineTour?instanceId={new string('i', 101)}", Support.Api.Json("{}")),
            HttpStatusCode.BadRequest, "INVALID_INSTANCE_ID");

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("2030-13-01T00:00:00Z")]
    [InlineData("01/02/2030")]
    [InlineData("")]
    public Task A_bad_startAt_is_400_INVALID_START_TIME(string startAt)
        => AssertRefusedAndNothingCreatedAsync(() => _http.PostAsync($"/api/orchestrations/EngineTour?instanceId=x5&startAt={Uri.EscapeDataString(startAt)}", Support.Api.Json("{}")),
            HttpStatusCode.BadRequest, "INVALID_START_TIME");

    [Fact]
    public async Task A_valid_start_answers_202_with_id_statusUri_and_Location()
    {
        var response = await _http.PostAsync("/api/orchestrations/EngineTour?instanceId=ok-1&startAt=2099-01-01T00:00:00Z", Support.Api.Json("""{"steps":1}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("ok-1", body.GetProperty("id").GetString());
        Assert.EndsWith("/api/orchestrations/ok-1", body.GetProperty("statusUri").GetString());
        Assert.Equal("/api/orchestrations/ok-1", response.Headers.Location?.OriginalString);

        var status = await (await _http.GetAsync("/api/orchestrations/ok-1?showInput=true")).ReadJsonAsync();
        Assert.Equal("Pending", status.GetProperty("runtimeStatus").GetString());
        Assert.StartsWith("2099-01-01T00:00:00", status.GetProperty("scheduledStartAt").GetString());
        Assert.Equal(1, status.GetProperty("input").GetProperty("steps").GetInt32());
    }

    [Fact]
    public async Task An_empty_body_is_a_null_input()
    {
        var id = await _http.StartAsync("EngineTour", "", "empty-body");
        var status = await _http.WaitForEndAsync(id);
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
    }

    /// <summary>A stream of unknown length, so the request goes out chunked.</summary>
    private sealed class ChunkedStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
