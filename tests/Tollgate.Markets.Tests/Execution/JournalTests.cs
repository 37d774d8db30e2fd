using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using static Tollgate.Markets.Tests.Execution.RouterRig;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>Nothing is sent that could not be logged first; the logs are phased and named deterministically.</summary>
public sealed class JournalTests
{
    [Fact]
    public async Task A_failing_pre_execution_log_rejects_the_order_with_EXE_AUDIT_UNAVAILABLE_and_nothing_is_sent()
    {
        var rig = new RouterRig();
        rig.Journal.FailWhen = l => l.Phase == ExecutionPhase.Pre;
        var result = await rig.Route(Market("i-1"));

        Assert.Equal(OrderStatus.Rejected, result.Status);
        var stored = await rig.Stored("i-1");
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Rejected], stored.Events.Select(e => e.Status));
        Assert.Equal(ExecutionReasons.AuditUnavailable, stored.Last.Reason);
        Assert.Contains("the audit ledger is down", stored.Last.Detail);
        Assert.Equal(0, rig.Channel.PlaceCalls);
        Assert.Empty(rig.Store.Inner.AllFills);
        Assert.Equal(0m, rig.Positions.OpenQuantity(Spot));
        Assert.Equal(0, rig.Router.OpenOrders);
        Assert.Equal(1, rig.Journal.Failed);
        // The post log of the refusal is still written (it is not a pre log).
        var post = Assert.Single(rig.Journal.Logs);
        Assert.Equal(ExecutionPhase.Post, post.Phase);
        Assert.Equal(ExecutionReasons.AuditUnavailable, post.Facts["reason"]);
    }

    [Fact]
    public async Task With_the_whole_journal_down_nothing_is_sent_and_the_refusal_is_still_recorded()
    {
        var rig = new RouterRig();
        rig.Journal.FailWhen = _ => true;
        var result = await rig.Route(Market("i-1"));
        Assert.Equal(OrderStatus.Rejected, result.Status);
        Assert.Equal(ExecutionReasons.AuditUnavailable, (await rig.Stored("i-1")).Last.Reason);
        Assert.Equal(0, rig.Channel.PlaceCalls);
        Assert.Empty(rig.Journal.Logs);
    }

    [Fact]
    public async Task In_and_post_execution_logs_that_fail_do_not_undo_the_order()
    {
        var rig = new RouterRig();
        rig.Journal.FailWhen = l => l.Phase != ExecutionPhase.Pre;
        var result = await rig.Route(Market("i-1"));
        Assert.Equal(OrderStatus.Filled, result.Status);
        Assert.Equal(1, rig.Channel.PlaceCalls);
        Assert.Equal(1m, rig.Positions.OpenQuantity(Spot));
        Assert.Equal(2, rig.Journal.Failed);                      // CHANNEL_KNOWN, FILLED
        Assert.Equal("ROUTED", Assert.Single(rig.Journal.Logs).Step);
    }

    [Fact]
    public async Task A_routed_order_is_logged_pre_in_post_under_deterministic_keys_without_duplicates()
    {
        var rig = new RouterRig();
        await rig.Route(Market("i-1"));
        var coid = Coid("i-1");

        var logs = rig.Journal.Of(coid);
        Assert.Equal([ExecutionPhase.Pre, ExecutionPhase.In, ExecutionPhase.Post], logs.Select(l => l.Phase));
        Assert.Equal([$"order:{coid}:pre:1:routed", $"order:{coid}:in:2:channel_known", $"order:{coid}:post:3:filled"], logs.Select(l => l.Key));
        Assert.Equal(logs.Count, logs.Select(l => l.Key).Distinct().Count());
        Assert.All(logs, l => { Assert.Equal("i-1", l.IntentId); Assert.Equal(Rev, l.ConfigRev); });

        var routed = logs[0];
        Assert.Equal("1.000", routed.Facts["quantity"]);   // risk rounds to the step (0.001)
        Assert.Equal("BUY", routed.Facts["side"]);
        Assert.Equal("MARKET", routed.Facts["type"]);
        Assert.Equal("SPOT:ETHUSDT", routed.Facts["instrument"]);
        Assert.Equal("100.00", routed.Facts["mid_at_send"]);
        Assert.Contains("risk:PASS", routed.Facts["trail"]);
        Assert.Equal("FILLED", logs[1].Facts["status"]);
        Assert.Equal("FILLED", logs[2].Facts["status"]);
        Assert.Equal("1.000", logs[2].Facts["executed"]);
        Assert.Equal("100.05", logs[2].Facts["average_price"]);

        // The same route on an identical rig writes the same keys: they depend on the order, not on time or chance.
        var twin = new RouterRig();
        await twin.Route(Market("i-1"));
        Assert.Equal(logs.Select(l => l.Key), twin.Journal.Of(coid).Select(l => l.Key));
    }

    [Fact]
    public async Task A_refused_order_logs_its_refusal_and_its_end_and_a_replay_logs_nothing()
    {
        var rig = new RouterRig();
        rig.Stop.IsEngaged = true;
        await rig.Route(Market("i-1"));
        await rig.Route(Market("i-1"));
        var coid = Coid("i-1");

        var logs = rig.Journal.Of(coid);
        Assert.Equal(2, logs.Count);
        Assert.Equal(logs.Count, logs.Select(l => l.Key).Distinct().Count());
        var refused = Assert.Single(logs, l => l.Phase == ExecutionPhase.Pre);
        Assert.Equal("REFUSED", refused.Step);
        Assert.Equal(ExecutionReasons.Kill, refused.Facts["reason"]);
        Assert.Contains("kill:ENGAGED", refused.Facts["trail"]);
        var post = Assert.Single(logs, l => l.Phase == ExecutionPhase.Post);
        Assert.Equal($"order:{coid}:post:2:rejected", post.Key);
        Assert.Equal($"order:{coid}:pre:2:refused", refused.Key);
        // (RefuseAsync ends the order before it logs REFUSED, so the POST entry is written before the PRE one; the order is not asserted.)
    }

    [Fact]
    public async Task An_unknown_outcome_is_logged_and_queries_are_logged_under_the_same_key_each_time()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("i-1", Answer.Unknown());
        await rig.Route(Market("i-1"));
        rig.Time.Advance(rig.Options.InFlightAfter);
        rig.Channel.ScriptQuery("i-1", ScriptedChannel.NotFound, ScriptedChannel.NotFound);
        await rig.Router.CheckInFlightAsync(CancellationToken.None);
        await rig.Router.CheckInFlightAsync(CancellationToken.None);
        var coid = Coid("i-1");

        var logs = rig.Journal.Of(coid);
        Assert.Equal(["ROUTED", "CHANNEL_UNKNOWN", "QUERIED", "QUERIED"], logs.Select(l => l.Step));
        Assert.Equal($"order:{coid}:in:2:channel_unknown", logs[1].Key);
        // A repeated query with nothing changed is the same step: the same key, which the journal keeps once (IExecutionJournal's contract).
        Assert.Equal($"order:{coid}:in:2:queried", logs[2].Key);
        Assert.Equal(logs[2].Key, logs[3].Key);
        Assert.Equal("false", logs[3].Facts["found"]);
    }
}
