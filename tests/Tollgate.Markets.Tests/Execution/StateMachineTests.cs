using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using static Tollgate.Markets.Tests.Execution.RouterRig;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>What the channel reports goes through the order state machine: an impossible change is recorded as such, not applied.</summary>
public sealed class StateMachineTests
{
    private static Task Observe(RouterRig rig, ChannelOrder order) => rig.Router.ObserveAsync(order, CancellationToken.None);

    [Fact]
    public async Task A_report_after_FILLED_is_ignored_the_order_is_no_longer_followed()
    {
        var rig = new RouterRig();
        await rig.Route(Market("i-1"));
        var eventsBefore = (await rig.Stored("i-1")).Events.Count;
        var published = rig.Results.Results.Count;

        await Observe(rig, rig.Channel.Report("i-1", OrderStatus.Accepted));

        // What the code does: a terminal order is not followed, so the impossible FILLED → ACCEPTED is dropped without a trace
        // (no EXE-ORDER-TRANSITION event). The status stays FILLED.
        var stored = await rig.Stored("i-1");
        Assert.Equal(OrderStatus.Filled, stored.Status);
        Assert.Equal(eventsBefore, stored.Events.Count);
        Assert.DoesNotContain(stored.Events, e => e.Reason == ExecutionReasons.Transition);
        Assert.Equal(published, rig.Results.Results.Count);
        Assert.Equal(1m, rig.Positions.OpenQuantity(Spot));
        Assert.Equal(1, rig.Channel.PlaceCalls);
    }

    [Fact]
    public async Task An_impossible_change_of_a_followed_order_is_recorded_EXE_ORDER_TRANSITION_and_the_status_stays()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("i-1", Answer.PartiallyFilled(("t-1", 0.5m, 100.05m)));
        await rig.Route(Limit("i-1", price: 100.05m, qty: 2m));

        await Observe(rig, rig.Channel.Report("i-1", OrderStatus.Accepted, rig.Channel.Fill("t-1", 0.5m, 100.05m)));

        var stored = await rig.Stored("i-1");
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.PartiallyFilled, OrderStatus.PartiallyFilled], stored.Events.Select(e => e.Status));
        Assert.Equal(ExecutionReasons.Transition, stored.Last.Reason);
        Assert.Contains("PARTIALLY_FILLED cannot take Accepted", stored.Last.Detail);
        Assert.Equal(1, rig.Router.OpenOrders);                   // still followed
        Assert.Single(await rig.Fills("i-1"));                    // t-1 was not taken again
        Assert.Equal(0.5m, rig.Positions.OpenQuantity(Spot));

        // The order goes on normally after it.
        await Observe(rig, rig.Channel.Report("i-1", OrderStatus.Filled, rig.Channel.Fill("t-1", 0.5m, 100.05m), rig.Channel.Fill("t-2", 1.5m, 100.05m)));
        Assert.Equal(OrderStatus.Filled, (await rig.Stored("i-1")).Status);
        Assert.Equal(2m, rig.Positions.OpenQuantity(Spot));
    }

    [Fact]
    public async Task An_ACCEPTED_order_reported_SUBMITTED_again_is_an_EXE_ORDER_TRANSITION()
    {
        var rig = new RouterRig();
        rig.Channel.DefaultPlace = Answer.Accepted();
        await rig.Route(Limit("i-1", price: 99.00m));
        await Observe(rig, rig.Channel.Report("i-1", OrderStatus.Submitted));

        var stored = await rig.Stored("i-1");
        Assert.Equal(OrderStatus.Accepted, stored.Status);
        Assert.Equal(ExecutionReasons.Transition, stored.Last.Reason);
        Assert.Equal(0, rig.Cohort().Rejected);                   // a transition mark is not a rejection
        Assert.Empty(rig.Cohort().RejectReasons);
    }

    [Fact]
    public async Task A_refused_change_does_not_apply_the_reports_executed_quantity()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("i-1", Answer.PartiallyFilled(("t-1", 0.5m, 100.05m)));
        await rig.Route(Limit("i-1", price: 100.05m, qty: 2m));
        await Observe(rig, rig.Channel.Report("i-1", OrderStatus.Accepted));

        var last = (await rig.Stored("i-1")).Last;
        Assert.Equal(ExecutionReasons.Transition, last.Reason);
        Assert.Equal(0.5m, last.ExecutedQuantity);
        Assert.Equal(100.05m, last.AveragePrice);
    }
}
