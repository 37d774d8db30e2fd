using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using static Tollgate.Markets.Tests.Execution.RouterRig;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>Fills are recorded once each with the book at send; positions follow them, numbered; protective stops ask for one close.</summary>
public sealed class FillAndPositionTests
{
    private static Task Observe(RouterRig rig, ChannelOrder order) => rig.Router.ObserveAsync(order, CancellationToken.None);

    [Fact]
    public async Task A_partial_fill_then_a_fill_move_the_order_PARTIALLY_FILLED_then_FILLED_and_each_trade_is_recorded_once()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("i-1", Answer.PartiallyFilled(("t-1", 0.5m, 100.10m)));
        var placed = await rig.Route(Limit("i-1", price: 100.10m, qty: 2m));
        Assert.Equal(OrderStatus.PartiallyFilled, placed.Status);
        Assert.Equal(0.5m, placed.ExecutedQuantity);

        // The same partial view delivered again: nothing new.
        await Observe(rig, rig.Channel.Exchange[Coid("i-1")]);
        Assert.Equal(3, (await rig.Stored("i-1")).Events.Count);

        var filled = rig.Channel.Report("i-1", OrderStatus.Filled, rig.Channel.Fill("t-1", 0.5m, 100.10m), rig.Channel.Fill("t-2", 1.5m, 100.05m));
        await Observe(rig, filled);
        await Observe(rig, filled);

        var stored = await rig.Stored("i-1");
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.PartiallyFilled, OrderStatus.Filled], stored.Events.Select(e => e.Status));
        Assert.Equal(2m, stored.Last.ExecutedQuantity);
        Assert.Equal(100.0625m, stored.Last.AveragePrice);        // (50.05 + 150.075) / 2

        var fills = await rig.Fills("i-1");
        Assert.Equal(["t-1", "t-2"], fills.Select(f => f.TradeId).Order());
        var first = fills.Single(f => f.TradeId == "t-1");
        Assert.Equal(100.00m, first.MidAtSend);
        Assert.Equal(FixedBooks.Top3Text, first.BookTop3);
        Assert.Equal(10m, first.SlippageBps);                     // buy at 100.10 against mid 100.00: +10 bps, a cost
        Assert.Equal(5m, fills.Single(f => f.TradeId == "t-2").SlippageBps);
        Assert.All(fills, f => { Assert.Equal(Coid("i-1"), f.ClientOrderId); Assert.Equal("i-1", f.IntentId); Assert.Equal(Rev, f.ConfigRev); Assert.Equal(OrderSide.Buy, f.Side); });

        var snapshots = rig.Store.PositionsOffered;
        Assert.Equal([1L, 2L], snapshots.Select(s => s.Sequence));
        Assert.Equal(["t-1", "t-2"], snapshots.Select(s => s.Cause));
        Assert.Equal([0.5m, 2m], snapshots.Select(s => s.Quantity));
        Assert.Equal(100.0625m, snapshots[^1].AveragePrice);
        Assert.Equal(2m, rig.Positions.OpenQuantity(Spot));

        var cohort = rig.Cohort();
        Assert.Equal(2, cohort.Fills);
        Assert.Equal(7.5m, cohort.SlippageBpsMean);
        Assert.Equal(1, cohort.Filled);
        Assert.Equal(1, rig.Channel.PlaceCalls);
        Assert.Equal(0, rig.Router.OpenOrders);
    }

    [Fact]
    public async Task A_sell_below_the_mid_is_a_positive_slippage()
    {
        var rig = new RouterRig();
        await rig.Route(Market("buy", qty: 1m));
        rig.Channel.ScriptPlace("sell", Answer.Filled(("t-s", 1m, 99.90m)));
        await rig.Route(Market("sell", side: OrderSide.Sell, qty: 1m));
        Assert.Equal(10m, Assert.Single(await rig.Fills("sell")).SlippageBps);   // (100.00 − 99.90) / 100.00 = 10 bps
    }

    [Fact]
    public async Task Spot_weighted_average_cost_after_two_buys_and_a_sell_and_the_realized_pnl()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("b1", Answer.FilledWithFee("t-a", 2m, 100.00m, 0.20m, "USDT"));
        rig.Channel.ScriptPlace("b2", Answer.FilledWithFee("t-b", 1m, 103.00m, 0.10m, "USDT"));
        rig.Channel.ScriptPlace("s1", Answer.FilledWithFee("t-c", 1.5m, 105.00m, 0.15m, "USDT"));
        await rig.Route(Market("b1", qty: 2m));
        await rig.Route(Market("b2", qty: 1m));
        await rig.Route(Market("s1", side: OrderSide.Sell, qty: 1.5m));

        var s = rig.Store.PositionsOffered;
        Assert.Equal([1L, 2L, 3L], s.Select(p => p.Sequence));
        // b1: basis 2 × 100 + 0.20 = 200.20, 2 held, average 100.10
        Assert.Equal((2m, 200.20m, 100.10m), (s[0].Quantity, s[0].CostBasis, s[0].AveragePrice));
        // b2: basis 200.20 + 103 + 0.10 = 303.30, 3 held, average 101.10
        Assert.Equal((3m, 303.30m, 101.10m), (s[1].Quantity, s[1].CostBasis, s[1].AveragePrice));
        // s1: takes 303.30 × 1.5 / 3 = 151.65 of the basis; realizes 1.5 × 105 − 0.15 − 151.65 = 5.70
        Assert.Equal((1.5m, 151.65m, 101.10m), (s[2].Quantity, s[2].CostBasis, s[2].AveragePrice));
        Assert.Equal(5.70m, s[2].RealizedPnl);
        Assert.Equal(0.45m, s[2].FeesPaid);
        Assert.All(s, p => Assert.Equal(1, p.Generation));
        Assert.Equal(1.5m, rig.Positions.OpenQuantity(Spot));
        var latest = Assert.Single(await rig.Store.LatestPositionsAsync(CancellationToken.None));
        Assert.Equal(3L, latest.Sequence);
    }

    [Fact]
    public async Task A_spot_fee_charged_in_another_asset_is_not_in_the_cost()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("b1", Answer.FilledWithFee("t-a", 1m, 100.00m, 0.001m, "ETH"));
        await rig.Route(Market("b1"));
        var s = Assert.Single(rig.Store.PositionsOffered);
        Assert.Equal(100.00m, s.CostBasis);
        Assert.Equal(0m, s.FeesPaid);
        Assert.Equal(0.001m, Assert.Single(await rig.Fills("b1")).Fee);   // the fill keeps what was charged
    }

    [Fact]
    public async Task A_fill_the_position_cannot_take_is_recorded_with_an_EXE_POSITION_event_and_the_position_is_left_as_it_was()
    {
        var rig = new RouterRig();
        rig.Positions.Apply(Spot, OrderSide.Buy, 0.5m, 100m, 0m, "held", DateTimeOffset.UnixEpoch);
        // Risk passes a sell of what is held; the channel then reports more than that filled.
        rig.Channel.ScriptPlace("oversell", Answer.FilledWithFee("t-over", 1m, 100.00m, 0m, "USDT"));
        var result = await rig.Route(Market("oversell", side: OrderSide.Sell, qty: 0.5m));

        Assert.Equal(OrderStatus.Filled, result.Status);
        var stored = await rig.Stored("oversell");
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.Submitted, OrderStatus.Filled], stored.Events.Select(e => e.Status));
        Assert.Equal(ExecutionReasons.Position, stored.Events[2].Reason);
        Assert.Contains("POS-OVERSELL", stored.Events[2].Detail);
        Assert.Single(await rig.Fills("oversell"));
        Assert.Empty(rig.Store.PositionsOffered);
        Assert.Equal(0.5m, rig.Positions.OpenQuantity(Spot));
    }

    [Fact]
    public async Task A_futures_long_with_the_intents_stop_asks_for_one_reduce_only_close_and_routing_it_closes_the_position()
    {
        var rig = new RouterRig();
        await rig.Route(Market("open", on: Perp, qty: 1m, stopLoss: 98.00m));   // filled at 100.05
        Assert.Equal(1m, rig.Positions.OpenQuantity(Perp));

        // The intent's stop (98.00) holds, not the 2% fraction's (100.05 × 0.98 = 98.049 → 98.04).
        Assert.Null(rig.Positions.OnMark(Perp, 98.01m, Rev, T0));
        var close = rig.Positions.OnMark(Perp, 97.99m, Rev, T0);
        Assert.NotNull(close);
        Assert.Equal("FUT:ETHUSDT:pos1:close:sl", close.IntentId);
        Assert.True(close.ReduceOnly);
        Assert.Equal(OrderSide.Sell, close.Side);
        Assert.Equal(OrderType.Market, close.Type);
        Assert.Equal(1m, close.Quantity);
        Assert.Equal(Rev, close.ConfigRev);
        Assert.Null(rig.Positions.OnMark(Perp, 97.50m, Rev, T0));           // pending: not a second one

        rig.Channel.ScriptPlace(close.IntentId, Answer.Filled(("t-close", 1m, 97.99m)));
        var closed = await rig.Route(close);
        Assert.Equal(OrderStatus.Filled, closed.Status);
        var request = Assert.Single(rig.Channel.RequestsOf(close.IntentId));
        Assert.True(request.ReduceOnly);
        Assert.Equal(0m, rig.Positions.OpenQuantity(Perp));
        var last = rig.Store.PositionsOffered[^1];
        Assert.Equal((2L, 0m, "t-close"), (last.Sequence, last.Quantity, last.Cause));
        Assert.Equal(-2.06m, last.RealizedPnl);                              // 1 × (97.99 − 100.05)
        Assert.Null(rig.Positions.OnMark(Perp, 90m, Rev, T0));               // flat: nothing to close
        Assert.Equal(2, rig.Channel.PlaceCalls);

        // Delivered again (a redelivered close): the recorded result, no second close.
        Assert.True((await rig.Route(close)).Replayed);
        Assert.Equal(2, rig.Channel.PlaceCalls);
    }

    [Fact]
    public async Task A_spot_guardian_close_that_failed_is_asked_again_and_sent()
    {
        var rig = new RouterRig();
        await rig.Route(Market("open", qty: 1m, stopLoss: 98.00m));
        var close = rig.Positions.OnMark(Spot, 97.99m, Rev, T0)!;
        rig.Stop.IsEngaged = true;
        Assert.Equal(OrderStatus.Rejected, (await rig.Route(close)).Status);
        rig.Stop.IsEngaged = false;

        var again = rig.Positions.OnMark(Spot, 97.90m, Rev, T0);
        Assert.NotNull(again);
        var result = await rig.Route(again);
        Assert.False(result.Replayed);
        Assert.Equal(1, rig.Channel.PlacesOf(again.IntentId));
        Assert.Equal(0m, rig.Positions.OpenQuantity(Spot));
    }
}
