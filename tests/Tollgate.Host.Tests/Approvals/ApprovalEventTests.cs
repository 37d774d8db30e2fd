using System.Net.Http.Json;
using System.Text.Json;
using Tollgate.Durable;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Approvals;

/// <summary>
/// A decided approval is raised into the orchestration that waits on it (the pipeline's WaitForExternalEvent): the
/// orchestration wakes with the decision, after the decision is in the ledger.
/// </summary>
public sealed class ApprovalEventTests : IAsyncLifetime
{
    private const string Waiting = "Test.AwaitApproval";
    private readonly HostFactory host = new HostFactory().WithOrchestrations(registry =>
        registry.AddOrchestrator<JsonElement, JsonElement>(Waiting, async (context, _) =>
            await context.WaitForExternalEvent<JsonElement>("approval")));

    public async Task InitializeAsync() => await LedgerApiTests.WaitForLedgerAsync(host.Http());

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Theory]
    [InlineData("confirm", "APPROVED")]
    [InlineData("veto", "VETOED")]
    public async Task The_waiting_orchestration_receives_the_decision_as_its_approval_event(string decision, string state)
    {
        var operatorHttp = host.As("olivia", Role.Operator);
        var trader = host.As("tariq", Role.Trader);
        var instance = $"await-{decision}";
        (await operatorHttp.PostAsync($"/api/orchestrations/{Waiting}?instanceId={instance}", Support.Api.Json("{}"))).EnsureSuccessStatusCode();
        var requested = await (await operatorHttp.PostAsJsonAsync("/api/approvals", new
        {
            subject = new { kind = "ACTIVATE_VERSION_MAP", environment = "Live", reference = "vm-0123" },
            reason = "release 42", instance_id = instance,
        })).ReadJsonAsync();
        var id = requested.GetProperty("id").GetString();

        if (decision == "confirm")
        {
            var challenge = (await (await trader.PostAsJsonAsync($"/api/approvals/{id}/approve", new { })).ReadJsonAsync()).GetProperty("challenge").GetString();
            (await trader.PostAsJsonAsync($"/api/approvals/{id}/confirm", new { challenge })).EnsureSuccessStatusCode();
        }
        else
        {
            (await trader.PostAsJsonAsync($"/api/approvals/{id}/veto", new { reason_codes = new[] { "RISK_LIMIT" }, reason = "too large" })).EnsureSuccessStatusCode();
        }

        var client = (DurableTaskClient)host.Services.GetService(typeof(DurableTaskClient))!;
        var ended = await client.WaitForInstanceCompletionAsync(instance, getInputsAndOutputs: true, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, ended.RuntimeStatus);
        using var output = JsonDocument.Parse(ended.SerializedOutput!);
        Assert.Equal(id, output.RootElement.GetProperty("approval_id").GetString());
        Assert.Equal(state, output.RootElement.GetProperty("state").GetString());
        Assert.Equal("tariq", output.RootElement.GetProperty("decided_by").GetString());
        var recorded = output.RootElement.GetProperty("ledger_index").GetInt64();
        var entry = (await (await host.As("aiko", Role.Auditor).GetAsync($"/api/ledger/entries/{recorded}")).ReadJsonAsync()).GetProperty("entry");
        Assert.Equal("approval", entry.GetProperty("kind").GetString());
        Assert.Equal(decision == "confirm" ? "CONFIRM" : "VETO", entry.GetProperty("payload").GetProperty("step").GetString());
    }
}
