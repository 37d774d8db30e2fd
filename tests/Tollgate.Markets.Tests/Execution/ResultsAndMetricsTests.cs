using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using static Tollgate.Markets.Tests.Execution.RouterRig;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>Every recorded change is published; execution figures are kept per config rev (the canary cohorts).</summary>
public sealed class ResultsAndMetricsTests
{
    [Fact]
    public async Task The_results_sink_gets_every_recorded_change_once_in_order()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("i-1", Answer.PartiallyFilled(("t-1", 0.5m, 100.05m)));
        await rig.Route(Limit("i-1", price: 100.05m, qty: 2m));
        await rig.Router.ObserveAsync(rig.Channel.Report("i-1", OrderStatus.PartiallyFilled, rig.Channel.Fill("t-1", 0.5m, 100.05m), rig.Channel.Fill("t-2", 0.5m, 100.05m)), CancellationToken.None);
        await rig.Router.CancelAsync(Coid("i-1"), CancellationToken.None);
        rig.Stop.IsEngaged = true;
        await rig.Route(Market("i-2"));

        foreach (var id in new[] { "i-1", "i-2" })
        {
            var stored = await rig.Stored(id);
            var published = rig.Results.Of(Coid(id));
            // Event 0 (INITIALIZED) is the record itself; every event after it is published once, as it was recorded.
            Assert.Equal(stored.Events.Skip(1).Select(e => (e.Status, e.ExecutedQuantity)), published.Select(r => (r.Status, r.ExecutedQuantity)));
            Assert.All(published, r => { Assert.False(r.Replayed); Assert.Equal(id, r.IntentId); Assert.Equal("PAPER", r.Environment); Assert.Equal("scripted", r.Channel); });
        }
        Assert.Equal([OrderStatus.Submitted, OrderStatus.PartiallyFilled, OrderStatus.PartiallyFilled, OrderStatus.PendingCancel, OrderStatus.Canceled],
            rig.Results.Of(Coid("i-1")).Select(r => r.Status));
        Assert.Equal([0.5m, 1m], rig.Results.Of(Coid("i-1")).Where(r => r.Status == OrderStatus.PartiallyFilled).Select(r => r.ExecutedQuantity));

        var before = rig.Results.Results.Count;
        await rig.Route(Market("i-2"));                           // a replay publishes nothing
        Assert.Equal(before, rig.Results.Results.Count);
    }

    [Fact]
    public async Task Two_config_revs_are_two_cohorts_with_their_own_counts_reject_reasons_and_fill_ratio()
    {
        var rig = new RouterRig();
        // cfg-a: one filled (1 of 1), one refused by risk, one delivered twice.
        await rig.Route(Market("a-1", qty: 1m, rev: "cfg-a"));
        await rig.Route(Market("a-2", qty: 3m, rev: "cfg-a"));   // RISK-MAX-QTY
        await rig.Route(Market("a-1", qty: 1m, rev: "cfg-a"));
        // cfg-b: a limit order half filled then canceled (0.5 of 2), one channel reject.
        rig.Channel.ScriptPlace("b-1", Answer.PartiallyFilled(("t-b1", 0.5m, 100.00m)));
        await rig.Route(Limit("b-1", price: 100.00m, qty: 2m, rev: "cfg-b"));
        await rig.Router.CancelAsync(Coid("b-1"), CancellationToken.None);
        rig.Channel.ScriptPlace("b-2", Answer.Rejected());
        await rig.Route(Limit("b-2", price: 99.00m, qty: 0.5m, rev: "cfg-b"));

        var cohorts = rig.Metrics.Snapshot();
        Assert.Equal(["cfg-a", "cfg-b"], cohorts.Select(c => c.ConfigRev));
        Assert.All(cohorts, c => Assert.Equal("PAPER", c.Environment));

        var a = rig.Cohort("cfg-a");
        Assert.Equal((2L, 1L, 1L, 1L, 0L, 1L, 1L), (a.Intents, a.Submitted, a.Filled, a.Rejected, a.Canceled, a.Fills, a.IdempotencyHits));
        Assert.Equal(new Dictionary<string, long> { ["RISK-MAX-QTY"] = 1 }, a.RejectReasons);
        Assert.Equal(0.5, a.RejectRate);
        Assert.Equal(5m, a.SlippageBpsMean);                       // 100.05 against 100.00

        var b = rig.Cohort("cfg-b");
        Assert.Equal((2L, 2L, 0L, 1L, 1L, 1L, 0L), (b.Intents, b.Submitted, b.Filled, b.Rejected, b.Canceled, b.Fills, b.IdempotencyHits));
        Assert.Equal(new Dictionary<string, long> { [ChannelReasons.Rejected] = 1 }, b.RejectReasons);
        Assert.Equal(0m, b.SlippageBpsMean);
        Assert.Equal(0.2m, b.FillRatio);                           // 0.5 executed of 2 + 0.5 sent
        Assert.NotNull(b.ChannelLatencyP95Ms);
        Assert.NotNull(b.RoutingLatencyP95Ms);
    }

    [Fact]
    public async Task Orders_refused_before_sending_do_not_count_in_the_fill_ratio()
    {
        var rig = new RouterRig();
        await rig.Route(Market("a-1", qty: 1m, rev: "cfg-a"));
        await rig.Route(Market("a-2", qty: 3m, rev: "cfg-a"));   // RISK-MAX-QTY: never sent
        Assert.Equal(1m, rig.Cohort("cfg-a").FillRatio);
    }
}
