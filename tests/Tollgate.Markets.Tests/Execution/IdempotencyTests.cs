using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using static Tollgate.Markets.Tests.Execution.RouterRig;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>One intent id is one order: however often and however concurrently it is delivered, and across a restart.</summary>
public sealed class IdempotencyTests
{
    [Fact]
    public async Task The_same_intent_routed_twice_is_placed_once_and_answered_from_the_record()
    {
        var rig = new RouterRig();
        var first = await rig.Route(Market("i-1"));
        var second = await rig.Route(Market("i-1"));

        Assert.Equal(OrderStatus.Filled, first.Status);
        Assert.False(first.Replayed);
        Assert.True(second.Replayed);
        Assert.Equal(first.Status, second.Status);
        Assert.Equal(first.ClientOrderId, second.ClientOrderId);
        Assert.Equal(Coid("i-1"), first.ClientOrderId);
        Assert.Equal(first.ExecutedQuantity, second.ExecutedQuantity);

        Assert.Equal(1, rig.Channel.PlaceCalls);
        Assert.Equal(1, await rig.StoredOrders());
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.Filled], await rig.Statuses("i-1"));
        Assert.Single(await rig.Fills("i-1"));
        Assert.Single(rig.Store.PositionsOffered);
        Assert.Equal(1m, rig.Positions.OpenQuantity(Spot));       // not 2: the replay changed nothing
        Assert.Equal(2, rig.Results.Results.Count);               // SUBMITTED, FILLED: the replay publishes nothing

        var cohort = rig.Cohort();
        Assert.Equal(1, cohort.Intents);
        Assert.Equal(1, cohort.IdempotencyHits);
        Assert.Equal(1, cohort.Submitted);
        Assert.Equal(1, cohort.Filled);
    }

    [Fact]
    public async Task Twenty_concurrent_deliveries_place_one_order_and_nineteen_are_replays()
    {
        var rig = new RouterRig();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Channel.Hold = _ => release.Task;                     // the first delivery waits in the channel while the others arrive
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var deliveries = Enumerable.Range(0, 20).Select(_ => Task.Run(async () => { await start.Task; return await rig.Route(Market("i-1")); })).ToArray();
        start.SetResult();
        // Whoever got the lock is now in the channel; let the rest pile up on the record or on the lock, then answer.
        while (rig.Channel.PlaceCalls == 0 && !deliveries.All(d => d.IsCompleted)) await Task.Yield();
        release.SetResult();
        var results = await Task.WhenAll(deliveries);

        var original = Assert.Single(results, r => !r.Replayed);
        Assert.Equal(OrderStatus.Filled, original.Status);
        Assert.Equal(19, results.Count(r => r.Replayed));
        // A replay answers where the order stands when it asks: still SUBMITTED while the first delivery is in the channel, FILLED after.
        Assert.All(results.Where(r => r.Replayed), r => Assert.Contains(r.Status, new[] { OrderStatus.Submitted, OrderStatus.Filled }));
        Assert.All(results, r => Assert.Equal(Coid("i-1"), r.ClientOrderId));

        Assert.Equal(1, rig.Channel.PlaceCalls);
        Assert.Equal(1, await rig.StoredOrders());
        Assert.Single(await rig.Fills("i-1"));
        Assert.Equal(1m, rig.Positions.OpenQuantity(Spot));
        Assert.Equal(19, rig.Cohort().IdempotencyHits);
        Assert.Equal(1, rig.Cohort().Intents);

        var later = await rig.Route(Market("i-1"));
        Assert.True(later.Replayed);
        Assert.Equal(OrderStatus.Filled, later.Status);
        Assert.Equal(1, rig.Channel.PlaceCalls);
    }

    [Fact]
    public async Task Twenty_deliveries_at_once_with_an_instant_channel_all_answer_the_same_filled_order()
    {
        var rig = new RouterRig();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => rig.Route(Market("i-1"))));

        Assert.Single(results, r => !r.Replayed);
        Assert.All(results, r => Assert.Equal(OrderStatus.Filled, r.Status));
        Assert.Equal(1, rig.Channel.PlaceCalls);
        Assert.Equal(1, await rig.StoredOrders());
        Assert.Equal(19, rig.Cohort().IdempotencyHits);
    }

    [Fact]
    public async Task A_restarted_router_over_the_same_store_answers_from_the_record_without_placing()
    {
        var rig = new RouterRig();
        var filled = await rig.Route(Market("i-1"));
        rig.Channel.ScriptPlace("i-2", Answer.Rejected());
        var refused = await rig.Route(Market("i-2", qty: 0.5m));
        Assert.Equal(OrderStatus.Rejected, refused.Status);
        var placesBefore = rig.Channel.PlaceCalls;
        var resultsBefore = rig.Results.Results.Count;
        var logsBefore = rig.Journal.Logs.Count;

        var metrics = new ExecutionMetrics();
        var restarted = rig.Restart(metrics);
        var again = await restarted.RouteAsync(Market("i-1"), CancellationToken.None);
        var refusedAgain = await restarted.RouteAsync(Market("i-2", qty: 0.5m), CancellationToken.None);

        Assert.True(again.Replayed);
        Assert.Equal(filled.Status, again.Status);
        Assert.Equal(filled.ClientOrderId, again.ClientOrderId);
        Assert.Equal(filled.ExecutedQuantity, again.ExecutedQuantity);
        Assert.True(refusedAgain.Replayed);
        Assert.Equal(OrderStatus.Rejected, refusedAgain.Status);
        Assert.Equal(ChannelReasons.Rejected, refusedAgain.Reason);   // the record carries the reason

        Assert.Equal(placesBefore, rig.Channel.PlaceCalls);
        Assert.Equal(2, await rig.StoredOrders());
        Assert.Equal(resultsBefore, rig.Results.Results.Count);
        Assert.Equal(logsBefore, rig.Journal.Logs.Count);
        Assert.Equal(0m, restarted.Positions.OpenQuantity(Spot));   // nothing was applied again
        var cohort = Assert.Single(metrics.Snapshot());
        Assert.Equal(2, cohort.IdempotencyHits);
        Assert.Equal(0, cohort.Intents);
        Assert.Equal(0, cohort.Submitted);
    }

    [Fact]
    public async Task A_restarted_router_resumes_an_order_left_in_flight_and_queries_it_never_places_it_again()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("i-1", Answer.Unknown());
        await rig.Route(Market("i-1"));
        Assert.Equal(1, rig.Channel.PlaceCalls);

        var restarted = rig.Restart(new ExecutionMetrics());
        Assert.Equal(1, await restarted.ResumeAsync(CancellationToken.None));
        var replay = await restarted.RouteAsync(Market("i-1"), CancellationToken.None);
        Assert.True(replay.Replayed);
        Assert.Equal(OrderStatus.Submitted, replay.Status);

        rig.Time.Advance(rig.Options.InFlightAfter);
        rig.Channel.ScriptQuery("i-1", () => rig.Channel.Report("i-1", OrderStatus.Filled, rig.Channel.Fill("t-1", 1m, 100.05m)));
        Assert.Equal(1, await restarted.CheckInFlightAsync(CancellationToken.None));

        Assert.Equal(OrderStatus.Filled, (await rig.Stored("i-1")).Status);
        Assert.Equal(1, rig.Channel.PlaceCalls);
        Assert.Equal(1, rig.Channel.QueriesOf("i-1"));
        Assert.Equal(1m, restarted.Positions.OpenQuantity(Spot));
        Assert.Equal(0, restarted.OpenOrders);
    }
}
