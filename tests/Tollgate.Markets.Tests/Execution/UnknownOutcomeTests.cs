using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using static Tollgate.Markets.Tests.Execution.RouterRig;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>An order whose outcome is unknown stays SUBMITTED and is queried by client order id, never placed again.</summary>
public sealed class UnknownOutcomeTests
{
    private static async Task<RouterRig> InFlight(Action<RouterRig>? setup = null, int maxQueries = 5)
    {
        var rig = new RouterRig(options: new RouterOptions("PAPER", TimeSpan.FromSeconds(2), maxQueries));
        setup?.Invoke(rig);
        rig.Channel.ScriptPlace("i-1", Answer.Unknown());
        var result = await rig.Route(Market("i-1"));
        Assert.Equal(OrderStatus.Submitted, result.Status);
        return rig;
    }

    private static Task<int> Check(RouterRig rig) => rig.Router.CheckInFlightAsync(CancellationToken.None);

    [Fact]
    public async Task An_unknown_outcome_leaves_the_order_SUBMITTED_and_counted_as_unknown()
    {
        var rig = await InFlight();
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted], await rig.Statuses("i-1"));
        Assert.Equal(1, rig.Router.OpenOrders);
        Assert.Equal([Coid("i-1")], rig.Router.OpenClientOrderIds);
        Assert.Equal(1, rig.Channel.PlaceCalls);
        Assert.Equal(0, rig.Channel.Queries);
        Assert.Equal(1, rig.Cohort().UnknownOutcomes);
        Assert.Empty(rig.Store.Inner.AllFills);
        Assert.Equal(0m, rig.Positions.OpenQuantity(Spot));
    }

    [Fact]
    public async Task A_place_call_that_throws_is_an_unknown_outcome()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("i-1", Answer.Throws(new HttpRequestException("connection reset")));
        var result = await rig.Route(Market("i-1"));

        Assert.Equal(OrderStatus.Submitted, result.Status);
        Assert.Equal(1, rig.Router.OpenOrders);
        Assert.Equal(1, rig.Cohort().UnknownOutcomes);
        var unknown = Assert.Single(rig.Journal.Of(Coid("i-1")), l => l.Step == "CHANNEL_UNKNOWN");
        Assert.Equal(ChannelReasons.Unknown, unknown.Facts["reason"]);
        Assert.Contains("HttpRequestException: connection reset", unknown.Facts["detail"]);
        Assert.Equal(1, rig.Channel.PlaceCalls);
    }

    [Fact]
    public async Task The_in_flight_check_does_nothing_before_InFlightAfter_and_queries_after_it()
    {
        var rig = await InFlight();
        rig.Time.Advance(TimeSpan.FromMilliseconds(1_999));
        Assert.Equal(0, await Check(rig));
        Assert.Equal(0, rig.Channel.Queries);
        Assert.Equal(2, (await rig.Stored("i-1")).Events.Count);

        rig.Time.Advance(TimeSpan.FromMilliseconds(1));
        rig.Channel.ScriptQuery("i-1", ScriptedChannel.NotFound);
        Assert.Equal(1, await Check(rig));
        Assert.Equal(1, rig.Channel.QueriesOf("i-1"));
        Assert.Equal(OrderStatus.Submitted, (await rig.Stored("i-1")).Status);
        Assert.Equal(1, rig.Channel.PlaceCalls);
    }

    [Fact]
    public async Task A_query_that_finds_it_FILLED_records_the_fills_once_and_changes_the_position()
    {
        var rig = await InFlight();
        rig.Time.Advance(TimeSpan.FromSeconds(2));
        rig.Channel.ScriptQuery("i-1", () => rig.Channel.Report("i-1", OrderStatus.Filled, rig.Channel.Fill("t-1", 0.4m, 100.05m), rig.Channel.Fill("t-2", 0.6m, 100.10m)));
        Assert.Equal(1, await Check(rig));

        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.Filled], await rig.Statuses("i-1"));
        var stored = await rig.Stored("i-1");
        Assert.Equal(1m, stored.Last.ExecutedQuantity);
        Assert.Equal(100.08m, stored.Last.AveragePrice);          // (40.02 + 60.06) / 1
        Assert.Equal(["t-1", "t-2"], (await rig.Fills("i-1")).Select(f => f.TradeId));
        Assert.Equal(1m, rig.Positions.OpenQuantity(Spot));
        Assert.Equal(2, rig.Store.PositionsOffered.Count);
        Assert.Equal(0, rig.Router.OpenOrders);

        // Ended: no more queries, no second place, and a later report changes nothing.
        rig.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await Check(rig));
        await rig.Router.ObserveAsync(rig.Channel.Exchange[Coid("i-1")], CancellationToken.None);
        Assert.Equal(2, (await rig.Fills("i-1")).Count);
        Assert.Equal(1, rig.Channel.Queries);
        Assert.Equal(1, rig.Channel.PlaceCalls);
        Assert.Equal(1m, rig.Positions.OpenQuantity(Spot));
    }

    [Fact]
    public async Task A_query_that_finds_nothing_MaxInFlightQueries_times_rejects_it_EXE_ORDER_NOT_FOUND()
    {
        var rig = await InFlight(maxQueries: 3);
        rig.Time.Advance(TimeSpan.FromSeconds(2));
        for (var i = 1; i <= 2; i++)
        {
            Assert.Equal(1, await Check(rig));
            Assert.Equal(OrderStatus.Submitted, (await rig.Stored("i-1")).Status);
        }
        Assert.Equal(1, await Check(rig));

        var stored = await rig.Stored("i-1");
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.Rejected], stored.Events.Select(e => e.Status));
        Assert.Equal(ExecutionReasons.NotFound, stored.Last.Reason);
        Assert.Equal(3, rig.Channel.QueriesOf("i-1"));
        Assert.Equal(0, rig.Router.OpenOrders);
        Assert.Equal(0, await Check(rig));
        Assert.Equal(3, rig.Channel.Queries);
        Assert.Equal(1, rig.Channel.PlaceCalls);                  // never a second place
        Assert.Empty(rig.Store.Inner.AllFills);
    }

    [Fact]
    public async Task A_query_that_cannot_be_answered_MaxInFlightQueries_times_leaves_it_SUBMITTED_marked_EXE_INFLIGHT_STUCK_once()
    {
        var rig = await InFlight(maxQueries: 3);
        rig.Time.Advance(TimeSpan.FromSeconds(2));
        rig.Channel.ScriptQueryRepeated("i-1", 5, ScriptedChannel.Unavailable);
        for (var i = 1; i <= 5; i++) Assert.Equal(1, await Check(rig));

        var stored = await rig.Stored("i-1");
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.Submitted], stored.Events.Select(e => e.Status));
        Assert.Equal(ExecutionReasons.InFlightStuck, stored.Last.Reason);
        Assert.Contains("3 queries failed", stored.Last.Detail);
        Assert.Single(stored.Events, e => e.Reason == ExecutionReasons.InFlightStuck);   // marked once, not on every later failure
        Assert.Equal(5, rig.Channel.QueriesOf("i-1"));           // still followed
        Assert.Equal(1, rig.Router.OpenOrders);
        Assert.Equal(1, rig.Channel.PlaceCalls);                  // never a second place

        // Once the channel answers again, the order settles.
        rig.Channel.ScriptQuery("i-1", () => rig.Channel.Report("i-1", OrderStatus.Filled, rig.Channel.Fill("t-1", 1m, 100.05m)));
        Assert.Equal(1, await Check(rig));
        Assert.Equal(OrderStatus.Filled, (await rig.Stored("i-1")).Status);
        Assert.Equal(1, rig.Channel.PlaceCalls);
    }

    [Fact]
    public async Task A_stuck_mark_does_not_count_the_order_as_submitted_twice()
    {
        var rig = await InFlight(maxQueries: 1);
        rig.Time.Advance(TimeSpan.FromSeconds(2));
        rig.Channel.ScriptQuery("i-1", ScriptedChannel.Unavailable);
        await Check(rig);
        Assert.Equal(ExecutionReasons.InFlightStuck, (await rig.Stored("i-1")).Last.Reason);
        Assert.Equal(1, rig.Cohort().Submitted);
    }

    [Fact]
    public async Task An_in_flight_check_during_routing_does_not_query_before_InFlightAfter()
    {
        var rig = new RouterRig();
        var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Results.Hold = r =>
        {
            if (r.Status != OrderStatus.Submitted) return Task.CompletedTask;
            published.TrySetResult();
            return release.Task;
        };
        rig.Channel.ScriptPlace("i-1", Answer.Unknown());
        var routing = rig.Route(Market("i-1"));
        await published.Task;                                     // SUBMITTED is recorded; SubmittedAt is not set yet
        var checking = rig.Router.CheckInFlightAsync(CancellationToken.None);
        release.SetResult();
        await routing;
        var queried = await checking;

        Assert.Equal(0, queried);
        Assert.Equal(0, rig.Channel.Queries);
    }
}
