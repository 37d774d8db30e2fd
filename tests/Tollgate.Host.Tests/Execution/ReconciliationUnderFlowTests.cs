using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Governance.Identity;
using Tollgate.Host.Execution;
using Tollgate.Host.Standalone;
using Tollgate.Host.Tests.Support;
using Xunit.Abstractions;

namespace Tollgate.Host.Tests.Execution;

/// <summary>
/// Reconciliation while orders flow: the Paper venue and the records are one process and agree on every order, so
/// any difference a reconciliation reports while spot and futures market orders fill is one it made itself.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class ReconciliationUnderFlowTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Reconciling_while_market_orders_fill_reports_no_difference_and_never_engages_the_kill_switch()
    {
        await using var exchange = await Markets.MarketHost.StartExchangeAsync(seed: 6301);
        using var host = new HostFactory().Paper(exchange).With("Tollgate:Execution:Risk:OrdersPerSecond", "200");
        var operatorHttp = host.As(ExecutionHost.Operator, Role.Operator);
        await operatorHttp.WaitForRoutingAsync();
        var hub = host.Services.GetRequiredService<StreamHub>();
        var run = Guid.NewGuid().ToString("N")[..8];
        var rev = $"rules-{run}-flow";

        using var stop = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                // Spot buys and futures sells, every 25 ms each; quantities differ so risk's duplicate check refuses none.
                var spot = $"{run}-s{i:D5}";
                await hub.PublishAsync(ExecutionPlane.IntentsStream, "SPOT:BTCUSDT", new Dictionary<string, string> { ["intent_id"] = spot },
                    ExecutionHost.Intent(spot, quantity: (0.0001m + i % 50 * 0.00001m).ToString(CultureInfo.InvariantCulture), configRev: rev), CancellationToken.None);
                var fut = $"{run}-f{i:D5}";
                await hub.PublishAsync(ExecutionPlane.IntentsStream, "FUT:BTCUSDT", new Dictionary<string, string> { ["intent_id"] = fut },
                    ExecutionHost.Intent(fut, market: "FUT", side: "SELL", quantity: (0.002m + i % 50 * 0.001m).ToString(CultureInfo.InvariantCulture), configRev: rev),
                    CancellationToken.None);
                await Task.Delay(25);
            }
        });
        await ExecutionHost.WaitForAsync(operatorHttp.ExecutionAsync, e => e.Cohort(rev).Count("filled") >= 20, "the flow filling");

        // Reconcile back to back for a while (bounded by time and count), as an operator's script or a tight timer would.
        var reports = new List<JsonElement>();
        for (var until = DateTime.UtcNow.AddSeconds(5); DateTime.UtcNow < until && reports.Count < 2000;)
            reports.Add(await (await operatorHttp.PostAsync("/api/reconcile", null)).ReadOkAsync("reconcile"));
        stop.Cancel();
        await producer;
        var summary = await operatorHttp.ExecutionAsync();
        output.WriteLine($"cohort: {summary.Cohort(rev)}");

        var wrong = reports.Where(r => r.GetProperty("result").GetString() != "PASS" || r.GetProperty("differences").GetArrayLength() > 0).ToList();
        output.WriteLine($"{reports.Count} reconciliations, {wrong.Count} with differences");
        foreach (var r in wrong.Take(10))
            output.WriteLine($"{r.GetProperty("result").GetString()} orders {r.GetProperty("ordersAgreement")} fills {r.GetProperty("fillsAgreement")}: {r.GetProperty("differences")}");
        var killSwitch = await (await operatorHttp.GetAsync("/api/kill-switch/Paper")).ReadOkAsync("kill switch");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {reports.Count} reconciliations during the flow reported differences the venue and the records do not have; " +
                                      $"the kill switch is {(killSwitch.GetProperty("engaged").GetBoolean() ? "ENGAGED by " + killSwitch.GetProperty("actor") : "off")}");
    }
}
