using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using static Tollgate.Markets.Tests.Execution.RouterRig;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>An intent that is wrong in itself is REJECTED with its code, recorded, and nothing is sent.</summary>
public sealed class IntentRefusalTests
{
    public static TheoryData<string, OrderIntent> Malformed() => new()
    {
        { "EXE-INTENT-QTY", Market("bad-qty", qty: -1m) },
        { "EXE-INTENT-QTY", Market("zero-qty", qty: 0m) },
        { "EXE-INTENT-SYMBOL", Market("outside", on: Outside) },
        { "EXE-INTENT-SYMBOL", Market("lookalike", on: new Instrument(MarketKind.Spot, "ETHUSDT", 0.01m, 0.001m, 5m)) }, // same name, not the routed instrument
        { "EXE-INTENT-STEP", Market("off-step", qty: 1.0005m) },                          // step 0.001
        { "EXE-INTENT-TICK", Limit("off-tick", price: 100.005m) },                       // tick 0.01
        { "EXE-INTENT-TICK", Market("off-tick-sl", stopLoss: 98.001m) },
        { "EXE-INTENT-PRICE", Market("market-with-price") with { LimitPrice = 100m } },
        { "EXE-INTENT-NOTIONAL", Market("tiny", qty: 0.001m) },                            // 0.001 × mid 100 = 0.1 < 5
        { "EXE-INTENT-PROTECTION", Market("sl-above", stopLoss: 101m) },                   // a buy's stop above the mid
        { "EXE-INTENT-CONFIG", Market("no-rev", rev: "") },
        { "EXE-INTENT-CONFIG", Market("blank-rev", rev: " ") },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_intent_is_rejected_with_its_code_recorded_and_nothing_is_sent(string code, OrderIntent intent)
    {
        var rig = new RouterRig();
        var result = await rig.Route(intent);

        Assert.Equal(OrderStatus.Rejected, result.Status);
        Assert.False(result.Replayed);
        var stored = await rig.Stored(intent.IntentId);
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Rejected], stored.Events.Select(e => e.Status));
        Assert.Equal(code, stored.Last.Reason);
        Assert.Contains($"validation:{code}", stored.Events[0].Detail);   // the routing trail of event 0
        Assert.Equal(code, RouteResultReason(stored));

        Assert.Equal(0, rig.Channel.PlaceCalls);
        Assert.Equal(0, rig.Channel.Queries);
        Assert.Equal(1, await rig.StoredOrders());
        Assert.Empty(rig.Store.Inner.AllFills);
        Assert.Empty(rig.Store.PositionsOffered);
        Assert.Equal(0, rig.Router.OpenOrders);
        Assert.Equal(OrderStatus.Rejected, Assert.Single(rig.Results.Results).Status);
        Assert.DoesNotContain(rig.Journal.Logs, l => l.Step == "ROUTED");

        // Delivered again: the recorded refusal, still nothing sent.
        var again = await rig.Route(intent);
        Assert.True(again.Replayed);
        Assert.Equal(OrderStatus.Rejected, again.Status);
        Assert.Equal(0, rig.Channel.PlaceCalls);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task An_intent_without_an_id_is_rejected_and_not_recorded_at_all(string? id)
    {
        var rig = new RouterRig();
        var result = await rig.Route(Market("x") with { IntentId = id! });

        Assert.Equal(OrderStatus.Rejected, result.Status);
        Assert.Equal("EXE-INTENT-ID", result.Reason);
        Assert.Equal("", result.ClientOrderId);
        Assert.False(result.Replayed);
        Assert.Equal(0, await rig.StoredOrders());
        Assert.Equal(0, rig.Channel.PlaceCalls);
        Assert.Empty(rig.Results.Results);
        Assert.Empty(rig.Journal.Logs);
        var cohort = rig.Cohort();
        Assert.Equal(1, cohort.Intents);
        Assert.Equal(1, cohort.Rejected);
        Assert.Equal(1, cohort.RejectReasons["EXE-INTENT-ID"]);
    }

    [Fact]
    public async Task An_intent_id_over_128_characters_is_rejected_and_not_recorded()
    {
        var rig = new RouterRig();
        var result = await rig.Route(Market(new string('i', 129)));
        Assert.Equal("EXE-INTENT-ID", result.Reason);
        Assert.Equal(0, await rig.StoredOrders());
        Assert.Equal(0, rig.Channel.PlaceCalls);
    }

    [Fact]
    public async Task A_recorded_refusal_returns_and_publishes_its_reason_code()
    {
        var rig = new RouterRig();
        var result = await rig.Route(Market("bad-qty", qty: -1m));
        Assert.Equal("EXE-INTENT-QTY", result.Reason);
        Assert.Equal("EXE-INTENT-QTY", Assert.Single(rig.Results.Results).Reason);
        Assert.Equal("EXE-INTENT-QTY", (await rig.Route(Market("bad-qty", qty: -1m))).Reason);   // the in-process replay too
    }

    [Fact]
    public async Task An_intent_without_a_config_rev_is_counted_in_one_cohort()
    {
        var rig = new RouterRig();
        await rig.Route(Market("no-rev") with { ConfigRev = null! });
        var cohort = Assert.Single(rig.Metrics.Snapshot());
        Assert.Equal("", cohort.ConfigRev);
        Assert.Equal(1, cohort.Intents);
        Assert.Equal(1, cohort.Rejected);
    }

    private static string? RouteResultReason(StoredOrder stored) => RouteResult.From(stored, replayed: false).Reason;
}
