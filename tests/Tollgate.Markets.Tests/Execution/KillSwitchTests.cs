using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using static Tollgate.Markets.Tests.Execution.RouterRig;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>The kill switch is read before risk and once more as the statement before the channel call.</summary>
public sealed class KillSwitchTests
{
    [Fact]
    public async Task Engaged_the_intent_is_rejected_with_EXE_KILL_and_nothing_is_sent()
    {
        var rig = new RouterRig();
        rig.Stop.IsEngaged = true;
        var result = await rig.Route(Market("i-1"));

        Assert.Equal(OrderStatus.Rejected, result.Status);
        var stored = await rig.Stored("i-1");
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Rejected], stored.Events.Select(e => e.Status));
        Assert.Equal(ExecutionReasons.Kill, stored.Last.Reason);
        Assert.Contains("kill:ENGAGED", stored.Events[0].Detail);
        Assert.DoesNotContain("risk:", stored.Events[0].Detail);    // refused before risk was asked
        Assert.Equal(0, rig.Channel.PlaceCalls);
        Assert.Empty(rig.Store.Inner.AllFills);
        Assert.Equal(0m, rig.Positions.OpenQuantity(Spot));
        Assert.Equal(0, rig.Router.OpenOrders);
        Assert.Equal(1, rig.Cohort().RejectReasons[ExecutionReasons.Kill]);
    }

    [Fact]
    public async Task Engaged_between_the_SUBMITTED_record_and_the_call_the_order_is_rejected_with_EXE_KILL_and_nothing_is_sent()
    {
        var rig = new RouterRig();
        rig.Store.AfterAppend = e => { if (e.Status == OrderStatus.Submitted) rig.Stop.IsEngaged = true; };
        var result = await rig.Route(Market("i-1"));

        Assert.Equal(OrderStatus.Rejected, result.Status);
        var stored = await rig.Stored("i-1");
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.Rejected], stored.Events.Select(e => e.Status));
        Assert.Equal(ExecutionReasons.Kill, stored.Last.Reason);
        Assert.Contains("kill:off", stored.Events[0].Detail);       // the first look passed
        Assert.Equal(0, rig.Channel.PlaceCalls);
        Assert.Empty(rig.Store.Inner.AllFills);
        Assert.Equal(0m, rig.Positions.OpenQuantity(Spot));
        Assert.Equal(0, rig.Router.OpenOrders);
        Assert.Equal([OrderStatus.Submitted, OrderStatus.Rejected], rig.Results.Results.Select(r => r.Status));
    }

    [Fact]
    public async Task Released_afterwards_the_same_intent_still_answers_its_recorded_refusal_and_a_new_intent_goes()
    {
        var rig = new RouterRig();
        rig.Stop.IsEngaged = true;
        await rig.Route(Market("i-1"));
        rig.Stop.IsEngaged = false;

        var again = await rig.Route(Market("i-1"));
        Assert.True(again.Replayed);
        Assert.Equal(OrderStatus.Rejected, again.Status);
        Assert.Equal(0, rig.Channel.PlaceCalls);
        Assert.Equal(2, (await rig.Stored("i-1")).Events.Count);

        var fresh = await rig.Route(Market("i-2"));
        Assert.False(fresh.Replayed);
        Assert.Equal(OrderStatus.Filled, fresh.Status);
        Assert.Equal(1, rig.Channel.PlaceCalls);
        Assert.Equal(1, rig.Channel.PlacesOf("i-2"));
        Assert.Equal(0, rig.Channel.PlacesOf("i-1"));
    }

    [Fact]
    public async Task A_refusal_by_the_second_look_is_not_counted_against_the_throttle()
    {
        var rig = new RouterRig(perSecond: 1);
        rig.Store.AfterAppend = e => { if (e.Status == OrderStatus.Submitted) rig.Stop.IsEngaged = true; };
        await rig.Route(Market("i-1"));
        rig.Store.AfterAppend = null;
        rig.Stop.IsEngaged = false;

        var next = await rig.Route(Market("i-2", qty: 0.5m));   // same second: it would be refused had i-1 been counted
        Assert.Equal(OrderStatus.Filled, next.Status);
        Assert.Equal(1, rig.Channel.PlaceCalls);
    }
}
