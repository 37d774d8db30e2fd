using Tollgate.Markets.Orders;
using Tollgate.Markets.Risk;
using static Tollgate.Markets.Tests.Execution.RouterRig;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>Pre-trade risk's refusals reach the order record with their codes, and a refused order is never sent.</summary>
public sealed class RiskRefusalTests
{
    public static TheoryData<string, OrderIntent, HealthLevel> Refused() => new()
    {
        { "RISK-MAX-QTY", Market("too-big", qty: 3m), HealthLevel.Green },                                // max 2
        { "RISK-COLLAR", Limit("through", price: 100.56m), HealthLevel.Green },                           // ask 100.05 + 50 bps of mid 100 = 100.55 at most
        { "RISK-COLLAR", Limit("through-sell", price: 99.44m, side: OrderSide.Sell), HealthLevel.Green }, // bid 99.95 − 0.50 = 99.45 at least
        { "RISK-HEALTH-RED", Market("red"), HealthLevel.Red },
        { "RISK-POSITION", Market("reduce-nothing", side: OrderSide.Sell, reduceOnly: true), HealthLevel.Green }, // nothing to reduce
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_risk_refusal_is_recorded_REJECTED_with_its_code_and_nothing_is_sent(string code, OrderIntent intent, HealthLevel health)
    {
        var rig = new RouterRig();
        rig.Health.Level = health;
        var result = await rig.Route(intent);

        Assert.Equal(OrderStatus.Rejected, result.Status);
        await AssertRefused(rig, intent, code);
        Assert.Equal(0, rig.Channel.PlaceCalls);
        Assert.Empty(rig.Store.Inner.AllFills);
        Assert.Empty(rig.Store.PositionsOffered);
        Assert.Equal(0, rig.Router.OpenOrders);
        Assert.Equal(1, rig.Cohort().RejectReasons[code]);
    }

    [Fact]
    public async Task Without_a_synced_book_an_order_is_refused_RISK_NO_BOOK_and_nothing_is_sent()
    {
        var rig = new RouterRig();
        rig.Books.Unsynced(Spot);
        var intent = Limit("no-book", price: 100.00m);
        Assert.Equal(OrderStatus.Rejected, (await rig.Route(intent)).Status);
        await AssertRefused(rig, intent, "RISK-NO-BOOK");
        Assert.Equal(0, rig.Channel.PlaceCalls);
    }

    [Fact]
    public async Task Limit_prices_exactly_on_the_collar_pass()
    {
        var rig = new RouterRig();
        rig.Channel.DefaultPlace = Answer.Accepted();
        Assert.Equal(OrderStatus.Accepted, (await rig.Route(Limit("edge-buy", price: 100.55m))).Status);
        rig.Positions.Apply(Spot, OrderSide.Buy, 0.5m, 100m, 0m, "held", DateTimeOffset.UnixEpoch); // spot sells only what is held
        Assert.Equal(OrderStatus.Accepted, (await rig.Route(Limit("edge-sell", price: 99.45m, side: OrderSide.Sell, qty: 0.5m))).Status);
        Assert.Equal(2, rig.Channel.PlaceCalls);
    }

    [Fact]
    public async Task On_RED_an_opening_order_is_refused_and_a_reduce_only_order_goes()
    {
        var rig = new RouterRig();
        await rig.Route(Market("open"));                          // GREEN: long 1
        rig.Health.Level = HealthLevel.Red;

        var opening = await rig.Route(Market("more", qty: 0.5m));
        Assert.Equal(OrderStatus.Rejected, opening.Status);
        await AssertRefused(rig, Market("more", qty: 0.5m), "RISK-HEALTH-RED");
        Assert.Equal(0, rig.Channel.PlacesOf("more"));

        var reducing = await rig.Route(Market("reduce", side: OrderSide.Sell, qty: 0.5m, reduceOnly: true));
        Assert.Equal(OrderStatus.Filled, reducing.Status);
        Assert.Equal(1, rig.Channel.PlacesOf("reduce"));
        var request = Assert.Single(rig.Channel.RequestsOf("reduce"));
        Assert.True(request.ReduceOnly);
        Assert.Equal(0.5m, request.Quantity);                    // RED does not shrink a reducing order
        Assert.Equal(0.5m, rig.Positions.OpenQuantity(Spot));
        Assert.Equal(2, rig.Channel.PlaceCalls);
    }

    [Fact]
    public async Task After_N_sends_in_one_second_the_next_is_refused_RISK_THROTTLE_SYMBOL_and_a_second_later_one_goes()
    {
        var rig = new RouterRig(perSecond: 3);
        rig.Channel.DefaultPlace = Answer.Accepted();
        for (var i = 1; i <= 3; i++)
            Assert.Equal(OrderStatus.Accepted, (await rig.Route(Limit($"i-{i}", price: 99.00m, qty: 0.1m * i))).Status);

        var fourth = Limit("i-4", price: 99.00m, qty: 0.4m);
        Assert.Equal(OrderStatus.Rejected, (await rig.Route(fourth)).Status);
        await AssertRefused(rig, fourth, "RISK-THROTTLE-SYMBOL");
        Assert.Equal(3, rig.Channel.PlaceCalls);
        Assert.Equal(0, rig.Channel.PlacesOf("i-4"));

        // Another instrument has its own count.
        Assert.Equal(OrderStatus.Accepted, (await rig.Route(Limit("perp-1", price: 99.00m, qty: 0.1m, on: Perp))).Status);

        rig.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(OrderStatus.Accepted, (await rig.Route(Limit("i-5", price: 99.00m, qty: 0.5m))).Status);
        Assert.Equal(5, rig.Channel.PlaceCalls);
        Assert.Equal(1, rig.Cohort().RejectReasons["RISK-THROTTLE-SYMBOL"]);
    }

    [Fact]
    public async Task Risk_refusals_are_not_counted_against_the_throttle()
    {
        var rig = new RouterRig(perSecond: 1);
        await rig.Route(Market("too-big", qty: 3m));             // refused: not sent, not counted
        Assert.Equal(OrderStatus.Filled, (await rig.Route(Market("i-1"))).Status);
        Assert.Equal(1, rig.Channel.PlaceCalls);
    }

    [Fact]
    public async Task Health_shrinks_the_sent_quantity_and_the_record_says_what_was_sent()
    {
        var rig = new RouterRig();
        rig.Health.Level = HealthLevel.Orange;                    // × 0.5
        var result = await rig.Route(Market("half", qty: 1.5m));
        Assert.Equal(OrderStatus.Filled, result.Status);
        Assert.Equal(0.75m, Assert.Single(rig.Channel.RequestsOf("half")).Quantity);
        Assert.Equal(0.75m, (await rig.Stored("half")).Order.Quantity);
        Assert.Equal(0.75m, rig.Positions.OpenQuantity(Spot));
    }

    private static async Task AssertRefused(RouterRig rig, OrderIntent intent, string code)
    {
        var stored = await rig.Stored(intent.IntentId);
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Rejected], stored.Events.Select(e => e.Status));
        Assert.Equal(code, stored.Last.Reason);
        Assert.Contains($"risk:{code}", stored.Events[0].Detail);
        Assert.Equal(intent.Quantity, stored.Order.Quantity);    // a refused order records the intent's own quantity
        Assert.Empty(await rig.Fills(intent.IntentId));
    }
}
