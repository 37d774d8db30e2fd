using System.Net;
using System.Text.Json;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Api;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_is_OK_on_the_in_memory_backend_once_the_worker_owns_partitions()
    {
        await using var host = new HostFactory();
        var http = host.Http();
        JsonElement health = default;
        for (var i = 0; i < 100; i++)
        {
            // FAIL (503) until the worker has joined and the audit ledger is open.
            var response = await http.GetAsync("/api/health");
            health = await response.ReadJsonAsync();
            if (health.GetProperty("status").GetString() == "OK") break;
            await Task.Delay(50);
        }
        Assert.Equal("OK", health.GetProperty("status").GetString());
        Assert.Equal("in-memory", health.GetProperty("backend").GetString());
        Assert.Equal("tollgate", health.GetProperty("taskHub").GetString());
        Assert.Equal([0, 1, 2, 3], health.GetProperty("ownedPartitions").EnumerateArray().Select(p => p.GetInt32()));
        Assert.False(string.IsNullOrEmpty(health.GetProperty("hostId").GetString()));
        var storage = health.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "storage");
        Assert.Equal("OK", storage.GetProperty("status").GetString());
        Assert.True(storage.GetProperty("durationMs").GetInt64() >= 0);
    }

    [Fact]
    public async Task Health_follows_host_json_style_settings_for_task_hub_and_partitions()
    {
        await using var host = new HostFactory()
            .With("AzureFunctionsJobHost:extensions:durableTask:hubName", "otherhub")
            .With("AzureFunctionsJobHost:extensions:durableTask:storageProvider:partitionCount", "2");
        var health = await (await host.Http().GetAsync("/api/health")).ReadJsonAsync();
        Assert.Equal("otherhub", health.GetProperty("taskHub").GetString());
        Assert.Contains("2 partitions", health.GetProperty("checks")[0].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Health_is_FAIL_503_when_storage_does_not_answer_and_the_account_key_never_leaks()
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
        var port = Support.Api.ClosedPort();
        var connectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};" +
                               $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;" +
                               $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        await using var host = new HostFactory().With("AzureWebJobsStorage", connectionString);
        var http = host.Http();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await http.GetAsync("/api/health");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var health = JsonDocument.Parse(text);
        Assert.Equal("FAIL", health.RootElement.GetProperty("status").GetString());
        Assert.Equal("azure-storage", health.RootElement.GetProperty("backend").GetString());
        var storage = health.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "storage");
        Assert.Equal("FAIL", storage.GetProperty("status").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"health took {clock.Elapsed}");

        // Every other route, and the worker's attempts to join, while storage is down.
        var answers = new List<string> { text };
        foreach (var request in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => http.GetAsync("/api/orchestrations"),
                     () => http.GetAsync("/api/orchestrations/some-id"),
                     () => http.PostAsync("/api/orchestrations/EngineTour", Support.Api.Json("{}")),
                     () => http.PostAsync("/api/orchestrations/some-id/terminate", null),
                     () => http.DeleteAsync("/api/orchestrations/some-id"),
                 })
        {
            var answer = await request();
            Assert.True((int)answer.StatusCode >= 500, $"{answer.RequestMessage?.RequestUri}: {(int)answer.StatusCode}");
            answers.Add(await answer.Content.ReadAsStringAsync());
        }
        for (var i = 0; i < 100 && !host.Logs.All.Contains("could not join task hub"); i++) await Task.Delay(100);

        Assert.Contains("could not join task hub", host.Logs.All);
        foreach (var answer in answers) Assert.DoesNotContain(key, answer);
        Assert.DoesNotContain(key, host.Logs.All);
        Assert.DoesNotContain(key[..20], host.Logs.All);
    }
}
