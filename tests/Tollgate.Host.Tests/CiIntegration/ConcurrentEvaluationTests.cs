using System.Net;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>Parallel CI jobs asking the same gate about the same release at once: each gets its own evaluation, none waits or fails.</summary>
public sealed class ConcurrentEvaluationTests : IAsyncLifetime
{
    private readonly HostFactory host = new();
    private HttpClient ci = null!;

    public async Task InitializeAsync()
    {
        ci = host.As("ci", Role.Pipeline);
        await LedgerApiTests.WaitForLedgerAsync(ci);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Six_evaluations_of_one_gate_and_release_at_once_all_succeed_each_its_own_recorded_evaluation()
    {
        var body = CiRelease.GateBody("Paper", CiRelease.NewSha(), null);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            ci.PostAsync("/api/gates/EXECUTION_CONTROL/evaluations", Support.Api.Json(body))));

        var ids = new List<string>();
        foreach (var response in responses)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            ids.Add((await response.ReadJsonAsync()).GetProperty("evaluation_id").GetString()!);
        }
        Assert.Equal(6, ids.Distinct().Count());
        foreach (var id in ids) Assert.Equal(HttpStatusCode.OK, (await ci.GetAsync($"/api/gates/EXECUTION_CONTROL/evaluations/{id}")).StatusCode);
        var recorded = (await CiRelease.LedgerEntriesAsync(ci)).OfKind("gate_result")
            .Select(entry => entry.GetProperty("payload").GetProperty("evaluation_id").GetString()).ToList();
        Assert.Equal(ids.Order(), recorded.Order());
    }
}
