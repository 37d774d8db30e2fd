using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tollgate.Host.Tests.Support;

/// <summary>Small helpers over the host's HTTP API.</summary>
public static class Api
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts the status and the reason code of a refusal, and that the body has a message.</summary>
    public static async Task AssertRefusedAsync(this HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {reason}, got {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        Assert.Equal(reason, document.RootElement.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrWhiteSpace(document.RootElement.GetProperty("message").GetString()));
    }

    /// <summary>Every instance id on the host.</summary>
    public static async Task<List<string>> InstanceIdsAsync(this HttpClient http)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var url = "/api/orchestrations?pageSize=1000" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
            var page = await http.GetFromJsonAsync<JsonElement>(url);
            ids.AddRange(page.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!));
            token = page.GetProperty("continuationToken").ValueKind == JsonValueKind.String ? page.GetProperty("continuationToken").GetString() : null;
        } while (token is not null);
        return ids;
    }

    public static async Task<JsonElement> WaitForStatusAsync(this HttpClient http, string instanceId, Func<string, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var response = await http.GetAsync($"/api/orchestrations/{instanceId}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = await response.ReadJsonAsync();
                if (done(last.GetProperty("runtimeStatus").GetString()!)) return last;
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"'{instanceId}' did not reach the expected status within {timeout}; last: {last}");
    }

    public static Task<JsonElement> WaitForEndAsync(this HttpClient http, string instanceId, TimeSpan? timeout = null)
        => http.WaitForStatusAsync(instanceId, s => s is "Completed" or "Failed" or "Terminated", timeout ?? TimeSpan.FromSeconds(30));

    public static async Task<string> StartAsync(this HttpClient http, string orchestrator, string json, string? instanceId = null)
    {
        var response = await http.PostAsync($"/api/orchestrations/{orchestrator}" + (instanceId is null ? "" : $"?instanceId={instanceId}"), Json(json));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }

    /// <summary>A loopback port nothing listens on.</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
