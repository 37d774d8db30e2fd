using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Microsoft.AspNetCore.Http;
using Tollgate.Host.Functions;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Functions;

public sealed class FunctionRegistryTests
{
    private static readonly FunctionHandler Nothing = _ => Task.CompletedTask;

    /// <summary>A feature's functions, added to the registry only.</summary>
    private sealed class ExtraFunctions(params FunctionDefinition[] functions) : IFunctionModule
    {
        public void Register(FunctionRegistry registry)
        {
            foreach (var function in functions) registry.Add(function);
        }
    }

    [Fact]
    public async Task Http_routes_come_from_the_registry_so_a_registry_only_function_is_reachable()
    {
        var echo = FunctionDefinition.Http("test-echo", "test/echo/{word}", ["GET", "PUT"], FunctionAccess.Requires(Tollgate.Governance.Identity.GovernanceAction.ReadLedger),
            http => Task.FromResult(Results.Json(new { word = http.Request.RouteValues["word"] })));
        await using var host = new HostFactory().WithFunctions(new ExtraFunctions(echo));
        var http = host.Http();

        var response = await http.GetAsync("/api/test/echo/hello");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", (await response.ReadJsonAsync()).GetProperty("word").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync("/api/test/echo/again", null)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync("/api/test/echo/no", null)).StatusCode);
    }

    [Fact]
    public async Task Every_http_route_the_host_serves_is_a_registry_function()
    {
        await using var host = new HostFactory();
        _ = host.Http();
        var registry = (FunctionRegistry)host.Services.GetService(typeof(FunctionRegistry))!;
        var endpoints = ((Microsoft.AspNetCore.Routing.EndpointDataSource)host.Services.GetService(typeof(Microsoft.AspNetCore.Routing.EndpointDataSource))!).Endpoints;
        var routeNames = endpoints.Select(e => e.DisplayName).ToHashSet();
        var httpFunctions = registry.OfTrigger<HttpTrigger>().Select(f => f.Function.Name).ToHashSet();
        Assert.Equal(httpFunctions.Order(), routeNames.Order()!);
        Assert.Contains("health", httpFunctions);
        Assert.Contains("orchestrations-start", httpFunctions);
        Assert.Contains(registry.Functions, f => f is { Name: "engine-retention", Trigger: TimerTrigger { Cron: "0 0 3 * * *", TimeZoneId: "UTC" } });
    }

    [Theory]
    [InlineData("not a cron")]
    [InlineData("0 0 25 * * *")]
    [InlineData("* * * * *")] // five fields: the seconds field is required
    [InlineData("")]
    public void A_bad_CRON_is_rejected_at_registration_naming_the_function(string cron)
    {
        var registry = new FunctionRegistry();
        var refused = Assert.Throws<ArgumentException>(() => registry.Add(new FunctionDefinition("nightly-report", new TimerTrigger(cron), Nothing)));
        Assert.Contains("nightly-report", refused.Message);
        Assert.Empty(registry.Functions);
    }

    [Fact]
    public void An_unknown_time_zone_is_rejected_at_registration_naming_the_function()
    {
        var registry = new FunctionRegistry();
        var refused = Assert.Throws<ArgumentException>(() => registry.Add(new FunctionDefinition("pre-session", new TimerTrigger("0 30 8 * * 1-5", "Mars/Olympus_Mons"), Nothing)));
        Assert.Contains("pre-session", refused.Message);
        Assert.Contains("Mars/Olympus_Mons", refused.Message);
    }

    [Fact]
    public void Names_are_unique_case_insensitively_and_triggers_are_checked()
    {
        var open = FunctionAccess.Open("a test");
        var registry = new FunctionRegistry().Add(new FunctionDefinition("a-function", new HttpTrigger("a", ["GET"]), Nothing, open));
        Assert.Throws<ArgumentException>(() => registry.Add(new FunctionDefinition("A-Function", new HttpTrigger("b", ["GET"]), Nothing, open)));
        Assert.Throws<ArgumentException>(() => registry.Add(new FunctionDefinition("bad name!", new HttpTrigger("c", ["GET"]), Nothing, open)));
        Assert.Throws<ArgumentException>(() => registry.Add(new FunctionDefinition("abs-route", new HttpTrigger("/api/x", ["GET"]), Nothing, open)));
        Assert.Throws<ArgumentException>(() => registry.Add(new FunctionDefinition("bad-method", new HttpTrigger("x", ["get"]), Nothing, open)));
        var unguarded = Assert.Throws<ArgumentException>(() => registry.Add(new FunctionDefinition("unguarded", new HttpTrigger("y", ["GET"]), Nothing)));
        Assert.Contains("declares no access", unguarded.Message);
        Assert.Throws<ArgumentException>(() => registry.Add(new FunctionDefinition("bad-queue", new QueueTrigger("Upper_Case"), Nothing)));
        Assert.Throws<ArgumentException>(() => registry.Add(new FunctionDefinition("bad-stream", new StreamTrigger("s", "$Default", 0), Nothing)));
        registry.Add(new FunctionDefinition("ticks", new TimerTrigger("*/5 * * * * *", "Asia/Taipei"), Nothing))
            .Add(new FunctionDefinition("ingest", new StreamTrigger("binance-spot", "$Default", 100), Nothing))
            .Add(new FunctionDefinition("wake", new QueueTrigger("tollgate-wake"), Nothing));
        Assert.Equal(4, registry.Functions.Count);
        Assert.Single(registry.OfTrigger<StreamTrigger>());
    }

    [Fact]
    public async Task A_stream_function_gets_batches_of_one_partition_in_sequence_order_from_the_stream_hub()
    {
        var seen = new System.Collections.Concurrent.ConcurrentQueue<(string Partition, long Sequence, string Body, string Property)>();
        var ingest = new FunctionDefinition("test-ingest", new StreamTrigger("test-stream", "$Default", 10), context =>
        {
            var input = (StreamInput)context.Input;
            foreach (var e in input.Events) seen.Enqueue((input.PartitionId, e.SequenceNumber, System.Text.Encoding.UTF8.GetString(e.Body.Span), e.Properties["n"]));
            Assert.True(input.Events.Count <= 10);
            return Task.CompletedTask;
        });
        using var host = new HostFactory().WithFunctions(new ExtraFunctions(ingest));
        host.Http();
        var hub = host.Services.GetRequiredService<Tollgate.Host.Standalone.StreamHub>();
        for (var i = 0; i < 25; i++)
            foreach (var partition in new[] { "a", "b" })
                await hub.PublishAsync("test-stream", partition, new Dictionary<string, string> { ["n"] = $"{i}" }, System.Text.Encoding.UTF8.GetBytes($"{partition}{i}"), CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (seen.Count < 50 && DateTime.UtcNow < deadline) await Task.Delay(20);
        foreach (var partition in new[] { "a", "b" })
        {
            var events = seen.Where(e => e.Partition == partition).ToList();
            Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), events.Select(e => e.Sequence));
            Assert.Equal(Enumerable.Range(0, 25).Select(i => $"{partition}{i}"), events.Select(e => e.Body));
            Assert.Equal(Enumerable.Range(0, 25).Select(i => $"{i}"), events.Select(e => e.Property));
        }
    }

    [Fact]
    public void A_queue_function_without_a_standalone_driver_stops_the_host_at_startup()
    {
        var wake = new FunctionDefinition("engine-wake", new QueueTrigger("tollgate-control-00"), Nothing);
        using var host = new HostFactory().WithFunctions(new ExtraFunctions(wake));
        var refused = Assert.Throws<InvalidOperationException>(() => host.Http());
        Assert.Contains("engine-wake", refused.Message);
    }

    [Fact]
    public void A_bad_timer_in_a_module_stops_the_host_at_startup()
    {
        var bad = new FunctionDefinition("bad-timer", new TimerTrigger("0 0 9 * * *", "Nowhere/Atlantis"), Nothing);
        using var host = new HostFactory().WithFunctions(new ExtraFunctions(bad));
        var refused = Assert.ThrowsAny<Exception>(() => host.Http());
        Assert.Contains("bad-timer", refused.ToString());
    }
}
