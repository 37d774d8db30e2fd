using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Governance.Identity;
using Tollgate.Host.Execution;
using Tollgate.Host.Standalone;
using Tollgate.Host.Tests.Markets;
using Tollgate.Host.Tests.Support;
using Tollgate.Markets.Orders;
using Xunit.Abstractions;

namespace Tollgate.Host.Tests.Execution;

/// <summary>
/// Intents published straight to the host's <c>order-intents</c> stream (as any producer on the Event Hub would),
/// with no map active so the strategy adds nothing: each bad intent is refused with its code before the channel and
/// the Paper venue never sees it; a body that is no intent is counted and dropped; and one intent delivered three
/// times is one order.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class StreamIntentTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Bad_intents_are_refused_before_the_channel_malformed_ones_are_dropped_and_a_redelivered_intent_is_one_order()
    {
        await using var exchange = await MarketHost.StartExchangeAsync(seed: 6101);
        using var host = new HostFactory().Paper(exchange);
        var http = host.As(ExecutionHost.Operator, Role.Operator);
        await http.WaitForRoutingAsync();
        var hub = host.Services.GetRequiredService<StreamHub>();
        var plane = host.Services.GetRequiredService<ExecutionPlane>();
        var run = Guid.NewGuid().ToString("N")[..8];
        var btc = plane.Universe!.Find("SPOT:BTCUSDT")!;

        async Task PublishAsync(byte[] body, string partition = "SPOT:BTCUSDT", string? intentId = null) =>
            await hub.PublishAsync(ExecutionPlane.IntentsStream, partition, new Dictionary<string, string> { ["intent_id"] = intentId ?? "" }, body, CancellationToken.None);

        // Each refusal has its own config rev, so its cohort counts it alone.
        var refusals = new (string Name, string Code, string Partition, byte[] Body)[]
        {
            ("neg-qty", "EXE-INTENT-QTY", "SPOT:BTCUSDT", ExecutionHost.Intent($"{run}-neg-qty", quantity: "-0.001", configRev: $"rules-{run}-neg-qty")),
            ("unknown-symbol", "EXE-INTENT-SYMBOL", "SPOT:DOGEUSDT", ExecutionHost.Intent($"{run}-unknown-symbol", symbol: "DOGEUSDT", configRev: $"rules-{run}-unknown-symbol")),
            // Step 0.00001 on SPOT:BTCUSDT.
            ("off-step", "EXE-INTENT-STEP", "SPOT:BTCUSDT", ExecutionHost.Intent($"{run}-off-step", quantity: "0.000015", configRev: $"rules-{run}-off-step")),
            // Tick 0.01; a limit buy far under the market, so only the tick can refuse it.
            ("off-tick", "EXE-INTENT-TICK", "SPOT:BTCUSDT", ExecutionHost.Intent($"{run}-off-tick", type: "LIMIT", limitPrice: "50000.005", configRev: $"rules-{run}-off-tick")),
        };
        foreach (var (_, _, partition, body) in refusals) await PublishAsync(body, partition);
        // No intent id: refused EXE-INTENT-ID and recorded nowhere (there is no id to record it under).
        var noIdRev = $"rules-{run}-no-id";
        await PublishAsync(ExecutionHost.Intent(null, configRev: noIdRev));
        // Not intents at all: counted as malformed, dropped.
        await PublishAsync(Encoding.UTF8.GetBytes("{ this is not json"));
        var unknownFieldId = $"{run}-unknown-field";
        await PublishAsync(ExecutionHost.Intent(unknownFieldId, configRev: $"rules-{run}-unknown-field", extraField: "leverage"));

        foreach (var (name, code, _, _) in refusals)
        {
            var intentId = $"{run}-{name}";
            var order = await http.WaitForEndedOrderAsync(intentId);
            output.WriteLine($"{name}: {order}");
            Assert.Equal("REJECTED", order.GetProperty("status").GetString());
            var statuses = order.EventStatuses().ToList();
            Assert.Equal(new[] { "INITIALIZED", "REJECTED" }, statuses);
            var rejected = order.GetProperty("events")[1];
            Assert.Equal(code, rejected.GetProperty("reason").GetString());
            Assert.Contains($"validation:{code}", order.GetProperty("events")[0].GetProperty("detail").GetString());
            Assert.Empty(order.GetProperty("fills").EnumerateArray());
            Assert.Equal(0m, rejected.GetProperty("executedQuantity").GetDecimal());
            // The venue's own truth: it never had the order.
            var instrument = plane.Universe.Find(order.GetProperty("order").GetProperty("instrumentKey").GetString()!) ?? btc;
            Assert.Null(await plane.Router!.Channel.QueryAsync(instrument, ClientOrderId.For(intentId), CancellationToken.None));
            var cohort = (await http.ExecutionAsync()).Cohort($"rules-{run}-{name}");
            Assert.Equal(1, cohort.Count("intents"));
            Assert.Equal(1, cohort.RejectedFor(code));
            Assert.Equal(0, cohort.Count("submitted"));
            Assert.Equal(0, cohort.Count("fills"));
        }

        var summary = await ExecutionHost.WaitForAsync(http.ExecutionAsync,
            e => e.GetProperty("malformedIntents").GetInt64() >= 2 && e.Cohort(noIdRev).RejectedFor("EXE-INTENT-ID") >= 1,
            "the two malformed bodies counted and the id-less intent refused");
        Assert.Equal(2, summary.GetProperty("malformedIntents").GetInt64());
        Assert.Equal(1, summary.Cohort(noIdRev).Count("intents"));
        Assert.Equal(0, summary.Cohort(noIdRev).Count("submitted"));
        Assert.Null(await http.OrderAsync(unknownFieldId));
        Assert.Null(summary.Cohort($"rules-{run}-unknown-field"));
        Assert.Null(await plane.Router!.Channel.QueryAsync(btc, ClientOrderId.For(unknownFieldId), CancellationToken.None));
        var recorded = new List<string>();
        await foreach (var stored in plane.Store!.OrdersAsync(CancellationToken.None)) recorded.Add($"{stored.Order.IntentId} {stored.Order.ConfigRev}");
        Assert.DoesNotContain(recorded, r => r.EndsWith(noIdRev, StringComparison.Ordinal) || r.StartsWith(unknownFieldId, StringComparison.Ordinal));
        Assert.Equal(refusals.Length, recorded.Count); // the refusals, nothing else
        var paperFills = await plane.Router.Channel.FillsAsync(btc, DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);
        Assert.Empty(paperFills);

        // One valid intent, delivered three times: one order, one set of fills, two idempotency hits.
        var onceRev = $"rules-{run}-once";
        var onceId = $"{run}-once";
        var once = ExecutionHost.Intent(onceId, quantity: "0.0002", configRev: onceRev);
        for (var i = 0; i < 3; i++) await PublishAsync(once, intentId: onceId);
        var routed = await ExecutionHost.WaitForAsync(http.ExecutionAsync, e => e.Cohort(onceRev).Count("idempotencyHits") >= 2, "two idempotency hits");
        var onceCohort = routed.Cohort(onceRev);
        output.WriteLine($"once: {onceCohort}");
        Assert.Equal(1, onceCohort.Count("intents"));
        Assert.Equal(1, onceCohort.Count("submitted"));
        Assert.Equal(2, onceCohort.Count("idempotencyHits"));
        var order1 = await http.WaitForEndedOrderAsync(onceId);
        Assert.Equal("FILLED", order1.GetProperty("status").GetString());
        Assert.Single(order1.EventStatuses(), s => s == "SUBMITTED");
        var fills = order1.GetProperty("fills").EnumerateArray().ToList();
        Assert.NotEmpty(fills);
        Assert.Equal(0.0002m, fills.Sum(f => f.GetProperty("quantity").GetDecimal()));
        Assert.Equal(fills.Count, onceCohort.Count("fills"));
        // The venue has one order under the id, and exactly those fills.
        var venue = await plane.Router.Channel.QueryAsync(btc, ClientOrderId.For(onceId), CancellationToken.None);
        Assert.NotNull(venue);
        Assert.Equal(0.0002m, venue.ExecutedQuantity);
        paperFills = await plane.Router.Channel.FillsAsync(btc, DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);
        Assert.Equal(fills.Select(f => f.GetProperty("tradeId").GetString()).Order(), paperFills.Select(f => f.TradeId).Order());
        var results = routed.GetProperty("recentResults").EnumerateArray().Where(r => r.GetProperty("intent_id").GetString() == onceId).ToList();
        Assert.DoesNotContain(results, r => r.GetProperty("replayed").GetBoolean()); // a replay answers from the record; it changes nothing, so nothing is published
        Assert.Single(results, r => r.GetProperty("status").GetString() == "FILLED");
    }
}
