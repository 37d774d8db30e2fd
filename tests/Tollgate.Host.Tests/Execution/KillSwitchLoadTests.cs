using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Governance.Identity;
using Tollgate.Host.Execution;
using Tollgate.Host.Standalone;
using Tollgate.Host.Tests.Support;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using Xunit.Abstractions;

namespace Tollgate.Host.Tests.Execution;

/// <summary>
/// The kill switch while intents flow: engaged over HTTP on Paper, every intent published after the answer is
/// REJECTED EXE-KILL before anything reaches the Paper venue. Who may reconcile is checked against the real host.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class KillSwitchLoadTests(ITestOutputHelper output)
{
    private const string Btc = "SPOT:BTCUSDT";

    [Fact]
    public async Task Every_intent_published_after_the_engage_answer_is_refused_EXE_KILL_and_none_reaches_the_venue()
    {
        await using var exchange = await Markets.MarketHost.StartExchangeAsync(seed: 6201);
        // The per-symbol throttle is raised so the steady flow is not refused by risk before the switch.
        using var host = new HostFactory().Paper(exchange).With("Tollgate:Execution:Risk:OrdersPerSecond", "200");
        var operatorHttp = host.As(ExecutionHost.Operator, Role.Operator);
        await operatorHttp.WaitForRoutingAsync();
        var hub = host.Services.GetRequiredService<StreamHub>();
        var plane = host.Services.GetRequiredService<ExecutionPlane>();
        var store = plane.Store!;
        var btc = plane.Universe!.Find(Btc)!;
        var run = Guid.NewGuid().ToString("N")[..8];
        var rev = $"rules-{run}-load";

        // A refusal first, so the refusal path is warm when the switch is measured (its first run in a process JITs it).
        await hub.PublishAsync(ExecutionPlane.IntentsStream, Btc, new Dictionary<string, string>(),
            ExecutionHost.Intent($"{run}-warm", quantity: "0.000015", configRev: rev), CancellationToken.None);
        await operatorHttp.WaitForEndedOrderAsync($"{run}-warm");

        // A steady flow of valid market buys, every 25 ms; quantities differ so risk's duplicate check refuses none.
        var published = new ConcurrentQueue<(string IntentId, bool AfterEngage, DateTimeOffset PublishedAt)>();
        var engageAnswered = 0;
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"{run}-{i:D5}";
                var quantity = (0.0001m + i % 100 * 0.00001m).ToString(CultureInfo.InvariantCulture);
                var after = Volatile.Read(ref engageAnswered) == 1; // read before the publish: "after" means published after the answer
                var at = DateTimeOffset.UtcNow;
                await hub.PublishAsync(ExecutionPlane.IntentsStream, Btc, new Dictionary<string, string> { ["intent_id"] = id },
                    ExecutionHost.Intent(id, quantity: quantity, configRev: rev), CancellationToken.None);
                published.Enqueue((id, after, at));
                await Task.Delay(25);
            }
        });

        await ExecutionHost.WaitForAsync(operatorHttp.ExecutionAsync, e => e.Cohort(rev).Count("filled") >= 20, "20 orders of the flow filled");

        // The first engage of a process runs cold code (JIT, JSON, the ledger path); Simulation takes that, so Paper's is the warm path.
        var warm = Stopwatch.StartNew();
        await (await operatorHttp.PostAsJsonAsync("/api/kill-switch/Simulation/engage", new { reason = "warm-up", reason_codes = new[] { "EXE-KILL-DRILL" } })).ReadOkAsync("engage Simulation");
        var coldAnswer = warm.Elapsed;

        var sentAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var engage = await operatorHttp.PostAsJsonAsync("/api/kill-switch/Paper/engage", new { reason = "drill under load", reason_codes = new[] { "EXE-KILL-DRILL" } });
        var answered = clock.Elapsed;
        Volatile.Write(ref engageAnswered, 1);
        var state = await engage.ReadOkAsync("engage");
        Assert.True(state.GetProperty("engaged").GetBoolean());

        // Bounded: the flow goes on until 40 intents have been published after the answer.
        await ExecutionHost.WaitForAsync(() => Task.FromResult(System.Text.Json.JsonSerializer.SerializeToElement(published.Count(p => p.AfterEngage))),
            n => n.GetInt32() >= 40, "40 intents published after the engage answer");
        stop.Cancel();
        await producer;

        // Every published intent is recorded and ended.
        var intents = published.ToList();
        var orders = new Dictionary<string, StoredOrder>();
        await ExecutionHost.WaitForAsync(async () =>
        {
            foreach (var (id, _, _) in intents)
                if (!orders.ContainsKey(id) && await store.GetOrderAsync(ClientOrderId.For(id), CancellationToken.None) is { Status: var s } o && s.IsTerminal())
                    orders[id] = o;
            return System.Text.Json.JsonSerializer.SerializeToElement(orders.Count);
        }, n => n.GetInt32() == intents.Count, $"all {intents.Count} intents of the flow ended");

        var violations = new List<string>();
        foreach (var (id, _, _) in intents.Where(p => p.AfterEngage))
        {
            var order = orders[id];
            var fills = await store.FillsAsync(order.Order.ClientOrderId, CancellationToken.None);
            var statuses = order.Events.Select(e => e.Status.Code()).ToList();
            if (order.Status != OrderStatus.Rejected || order.Last.Reason != ExecutionReasons.Kill || fills.Count > 0 || statuses.Contains("SUBMITTED"))
                violations.Add($"{id}: {string.Join(" > ", statuses)} {order.Last.Reason}, {fills.Count} fill(s)");
            if (await plane.Router!.Channel.QueryAsync(btc, order.Order.ClientOrderId, CancellationToken.None) is { } venue)
                violations.Add($"{id}: the Paper venue has it, {venue.Status.Code()}");
        }
        Assert.True(violations.Count == 0, "intents published after the engage answer that were not refused EXE-KILL before the venue:\n" + string.Join('\n', violations));
        var firstAfter = intents.First(p => p.AfterEngage).IntentId;
        var shown = (await operatorHttp.OrderAsync(firstAfter))!.Value;
        Assert.Equal("REJECTED", shown.GetProperty("status").GetString());
        Assert.Equal(ExecutionReasons.Kill, shown.GetProperty("events")[1].GetProperty("reason").GetString());
        Assert.Contains("kill:ENGAGED", shown.GetProperty("events")[0].GetProperty("detail").GetString());

        var before = intents.Where(p => !p.AfterEngage).Select(p => orders[p.IntentId]).ToList();
        Assert.Contains(before, o => o.Status == OrderStatus.Filled);
        var kills = orders.Values.SelectMany(o => o.Events).Where(e => e.Reason == ExecutionReasons.Kill).Select(e => e.At).Order().ToList();
        var lastSent = orders.Values.SelectMany(o => o.Events).Where(e => e.Status == OrderStatus.Submitted).Max(e => e.At);
        var firstKill = kills[0] - sentAt;
        output.WriteLine($"flow: {intents.Count} intents, {before.Count} published before the engage answer ({before.Count(o => o.Status == OrderStatus.Filled)} filled), " +
                         $"{intents.Count - before.Count} after; {kills.Count} refused EXE-KILL");
        var caughtLate = orders.Values.Count(o => o.Events.Any(e => e.Status == OrderStatus.Submitted) && o.Last.Reason == ExecutionReasons.Kill);
        output.WriteLine($"engage request → answer: {answered.TotalMilliseconds:0.0} ms (a cold first engage, on Simulation: {coldAnswer.TotalMilliseconds:0.0} ms)");
        output.WriteLine($"{caughtLate} order(s) passed the first look at the switch and were stopped by the second, after SUBMITTED");
        output.WriteLine($"engage request sent → first EXE-KILL rejection recorded: {firstKill.TotalMilliseconds:0.0} ms (the flow publishes every 25 ms, so this includes the wait for the next intent)");
        var refusalLatency = intents.Where(p => p.AfterEngage).Select(p => (orders[p.IntentId].Last.At - p.PublishedAt).TotalMilliseconds).Order().ToList();
        output.WriteLine($"intents published after the answer, publish → REJECTED EXE-KILL: min {refusalLatency[0]:0.0} ms, median {refusalLatency[refusalLatency.Count / 2]:0.0} ms, max {refusalLatency[^1]:0.0} ms");
        output.WriteLine($"last SUBMITTED event {(lastSent - sentAt).TotalMilliseconds:0.0} ms after the request was sent");

        // Who may reconcile: an Auditor only reads; an Operator reconciles, and a quiet Paper venue agrees completely.
        var auditor = host.As("aiko.auditor", Role.Auditor);
        await (await auditor.PostAsync("/api/reconcile", null)).AssertRefusedAsync(HttpStatusCode.Forbidden, "AUTH_ROLE_DENIED");
        var reconcile = await operatorHttp.PostAsync("/api/reconcile", null);
        Assert.Equal(HttpStatusCode.OK, reconcile.StatusCode);
        var report = await reconcile.ReadOkAsync("reconcile");
        Assert.True(report.GetProperty("result").GetString() == "PASS", $"reconciliation after the flow: {report}");
        Assert.Equal(1m, report.GetProperty("fillsAgreement").GetDecimal());
        Assert.Equal(0, report.GetProperty("localOpenOrders").GetInt32());
    }
}
