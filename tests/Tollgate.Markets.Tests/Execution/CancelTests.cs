using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using static Tollgate.Markets.Tests.Execution.RouterRig;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>Cancels go PENDING_CANCEL first; the channel's answer is applied as any other.</summary>
public sealed class CancelTests
{
    private static async Task<RouterRig> Resting()
    {
        var rig = new RouterRig();
        rig.Channel.DefaultPlace = Answer.Accepted();
        Assert.Equal(OrderStatus.Accepted, (await rig.Route(Limit("i-1", price: 99.00m))).Status);
        return rig;
    }

    private static Task<RouteResult?> Cancel(RouterRig rig, string intentId) => rig.Router.CancelAsync(Coid(intentId), CancellationToken.None);

    [Fact]
    public async Task An_accepted_limit_order_canceled_goes_PENDING_CANCEL_then_CANCELED()
    {
        var rig = await Resting();
        var result = await Cancel(rig, "i-1");

        Assert.Equal(OrderStatus.Canceled, result!.Status);
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.Accepted, OrderStatus.PendingCancel, OrderStatus.Canceled], await rig.Statuses("i-1"));
        Assert.Equal(1, rig.Channel.Cancels);
        Assert.Equal(1, rig.Channel.PlaceCalls);
        Assert.Equal(0, rig.Router.OpenOrders);
        Assert.Empty(rig.Store.Inner.AllFills);
        Assert.Equal(0m, rig.Positions.OpenQuantity(Spot));
        Assert.Equal([OrderStatus.Submitted, OrderStatus.Accepted, OrderStatus.PendingCancel, OrderStatus.Canceled], rig.Results.Of(Coid("i-1")).Select(r => r.Status));
        Assert.Equal(1, rig.Cohort().Canceled);
    }

    [Fact]
    public async Task A_cancel_the_channel_refuses_puts_the_order_back_where_it_was()
    {
        var rig = await Resting();
        rig.Channel.ScriptCancel("i-1", () => ChannelResult.Rejected(ChannelReasons.Rejected, "-2011 unknown order"));
        var result = await Cancel(rig, "i-1");

        Assert.Equal(OrderStatus.Accepted, result!.Status);
        var stored = await rig.Stored("i-1");
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.Accepted, OrderStatus.PendingCancel, OrderStatus.Accepted], stored.Events.Select(e => e.Status));
        Assert.Equal(ChannelReasons.Rejected, stored.Last.Reason);
        Assert.Equal(1, rig.Router.OpenOrders);                   // still followed
    }

    [Fact]
    public async Task A_cancel_that_lost_the_race_to_a_fill_ends_FILLED_with_the_fill_recorded()
    {
        var rig = await Resting();
        rig.Channel.ScriptCancel("i-1", () => ChannelResult.Known(rig.Channel.Report("i-1", OrderStatus.Filled, rig.Channel.Fill("t-1", 1m, 99.00m))));
        var result = await Cancel(rig, "i-1");

        Assert.Equal(OrderStatus.Filled, result!.Status);
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.Accepted, OrderStatus.PendingCancel, OrderStatus.Filled], await rig.Statuses("i-1"));
        Assert.Single(await rig.Fills("i-1"));
        Assert.Equal(1m, rig.Positions.OpenQuantity(Spot));
    }

    [Fact]
    public async Task Canceling_an_ended_order_answers_its_result_and_asks_the_channel_nothing()
    {
        var rig = await Resting();
        await Cancel(rig, "i-1");
        var again = await Cancel(rig, "i-1");
        Assert.Equal(OrderStatus.Canceled, again!.Status);
        Assert.Equal(1, rig.Channel.Cancels);
        Assert.Null(await rig.Router.CancelAsync("tg-unknown", CancellationToken.None));
        Assert.Equal(5, (await rig.Stored("i-1")).Events.Count);
    }
}
