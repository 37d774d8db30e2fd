using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Tests.Orders;

/// <summary>The order state machine is one table: what it allows, it does; everything else is refused by name.</summary>
public sealed class OrderStateMachineTests
{
    public static TheoryData<OrderStatus, OrderEventKind, OrderStatus> Allowed()
    {
        var data = new TheoryData<OrderStatus, OrderEventKind, OrderStatus>();
        foreach (var ((from, e), to) in OrderStateMachine.Transitions) data.Add(from, e, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Every_transition_in_the_table_happens(OrderStatus from, OrderEventKind e, OrderStatus to)
        => Assert.Equal(to, OrderStateMachine.Next(from, e));

    [Fact]
    public void Every_pair_outside_the_table_is_refused_naming_the_status_and_the_event_and_terminal_states_take_nothing()
    {
        var refused = 0;
        foreach (var status in Enum.GetValues<OrderStatus>())
            foreach (var e in Enum.GetValues<OrderEventKind>())
            {
                if (OrderStateMachine.Transitions.ContainsKey((status, e))) continue;
                if (e == OrderEventKind.CancelRejected && status == OrderStatus.PendingCancel) continue;
                var error = Assert.Throws<InvalidOrderTransitionException>(() => OrderStateMachine.Next(status, e));
                Assert.Equal(status, error.Status);
                Assert.Equal(e, error.Event);
                Assert.Contains(status.Code(), error.Message);
                Assert.Contains(e.ToString(), error.Message);
                Assert.StartsWith("EXE-ORDER-TRANSITION", error.Message);
                refused++;
            }
        foreach (var terminal in Enum.GetValues<OrderStatus>().Where(s => s.IsTerminal()))
            Assert.DoesNotContain(OrderStateMachine.Transitions.Keys, key => key.From == terminal);
        Assert.True(refused > 40);
    }

    [Fact]
    public void The_happy_paths_of_a_market_and_a_limit_order()
    {
        var market = OrderStatus.Initialized;
        foreach (var e in new[] { OrderEventKind.Submitted, OrderEventKind.Filled }) market = OrderStateMachine.Next(market, e);
        Assert.Equal(OrderStatus.Filled, market);

        var limit = OrderStatus.Initialized;
        foreach (var e in new[] { OrderEventKind.Submitted, OrderEventKind.Accepted, OrderEventKind.PartiallyFilled, OrderEventKind.PartiallyFilled, OrderEventKind.Filled })
            limit = OrderStateMachine.Next(limit, e);
        Assert.Equal(OrderStatus.Filled, limit);
    }

    [Theory]
    [InlineData(OrderStatus.Accepted)]
    [InlineData(OrderStatus.PartiallyFilled)]
    [InlineData(OrderStatus.Submitted)]
    public void A_refused_cancel_returns_the_order_to_where_it_was(OrderStatus before)
    {
        var pending = OrderStateMachine.Next(before, OrderEventKind.CancelRequested);
        Assert.Equal(OrderStatus.PendingCancel, pending);
        Assert.Equal(before, OrderStateMachine.Next(pending, OrderEventKind.CancelRejected, before));
        Assert.Throws<InvalidOrderTransitionException>(() => OrderStateMachine.Next(pending, OrderEventKind.CancelRejected));
    }

    [Fact]
    public void Codes_are_the_stored_names()
    {
        Assert.Equal("PARTIALLY_FILLED", OrderStatus.PartiallyFilled.Code());
        Assert.Equal("PENDING_CANCEL", OrderStatus.PendingCancel.Code());
        Assert.Equal(9, Enum.GetValues<OrderStatus>().Select(s => s.Code()).Distinct().Count());
    }
}
