using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using static Tollgate.Markets.Tests.Execution.RouterRig;

namespace Tollgate.Markets.Tests.Execution;

/// <summary>Reconciliation against the scripted exchange: repairs first, then Jaccard agreement of open orders and fills, then positions.</summary>
public sealed class ReconcilerTests
{
    private static Task<ReconciliationReport> Reconcile(RouterRig rig, decimal minAgreement = 0.95m)
        => new Reconciler(rig.Router, rig.Universe, rig.Time, new ReconciliationOptions(minAgreement)).RunAsync("recon-1", CancellationToken.None);

    /// <summary>One resting limit order (open on both sides) and one filled market buy of 0.5 (its fill on both sides, 0.5 ETH in the account).</summary>
    private static async Task<RouterRig> Agreeing()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("open", Answer.Accepted());
        await rig.Route(Limit("open", price: 99.00m));
        rig.Channel.ScriptPlace("done", Answer.Filled(("t-done", 0.5m, 100.05m)));
        await rig.Route(Market("done", qty: 0.5m));
        rig.Channel.SpotBalances.Add(new ChannelHolding(null, "ETH", 0.5m, null));
        rig.Channel.SpotBalances.Add(new ChannelHolding(null, "USDT", 1_000m, null));
        return rig;
    }

    [Fact]
    public async Task Everything_agreeing_passes_with_agreement_1()
    {
        var rig = await Agreeing();
        var report = await Reconcile(rig);

        Assert.Equal("PASS", report.Result);
        Assert.False(report.Failed);
        Assert.Empty(report.ReasonCodes);
        Assert.Empty(report.Differences);
        Assert.Equal((1m, 1m), (report.OrdersAgreement, report.FillsAgreement));
        Assert.Equal((1, 1, 1, 1), (report.ExchangeOpenOrders, report.LocalOpenOrders, report.ExchangeFills, report.LocalFills));
        Assert.Equal(2, report.PositionsCompared);                // the futures position (flat on both) and the spot holding
        Assert.Equal(0, report.Repaired);
        Assert.Equal("recon-1", report.Id);
        Assert.Equal(T0, report.At);

        // Reconciling changed nothing and sent nothing.
        Assert.Equal(2, rig.Channel.PlaceCalls);
        Assert.Equal(0, rig.Channel.Cancels);
        Assert.Equal(OrderStatus.Accepted, (await rig.Stored("open")).Status);
        Assert.Equal(3, (await rig.Stored("open")).Events.Count);
        Assert.All(rig.Metrics.Snapshot(), c => Assert.Equal(0, c.ReconciliationMismatches));
    }

    [Fact]
    public async Task An_exchange_only_open_order_is_an_ORPHAN_EXCHANGE_and_fails_below_MinAgreement()
    {
        var rig = await Agreeing();
        rig.Channel.Foreign("ext-1", Spot);
        var report = await Reconcile(rig);

        var orphan = Assert.Single(report.Differences);
        Assert.Equal(("ORPHAN_EXCHANGE", "SPOT:ETHUSDT", "ext-1", "not placed by Tollgate's router"), (orphan.Kind, orphan.InstrumentKey, orphan.Id, orphan.Detail));
        Assert.Equal(0.5m, report.OrdersAgreement);               // {open} against {open, ext-1}: 1 / 2
        Assert.Equal(1m, report.FillsAgreement);
        Assert.True(report.Failed);
        Assert.Equal("FAIL", report.Result);
        Assert.Equal([ExecutionReasons.ReconFail], report.ReasonCodes);
        Assert.Equal(1, rig.Cohort("").ReconciliationMismatches);
        Assert.Equal(2, rig.Channel.PlaceCalls);
        Assert.Equal(0, rig.Channel.Cancels);                     // the orphan is reported, not touched

        var lenient = await Reconcile(rig, minAgreement: 0.5m);
        Assert.False(lenient.Failed);                             // 0.5 is not below 0.5
        Assert.Single(lenient.Differences);
    }

    [Fact]
    public async Task An_order_ended_here_but_open_on_the_exchange_is_an_ORPHAN_EXCHANGE_and_one_open_here_only_an_ORPHAN_LOCAL()
    {
        var rig = await Agreeing();
        // The cancel answer said CANCELED; the exchange still lists the order open.
        rig.Channel.ScriptCancel("open", () => ChannelResult.Known(rig.Channel.Exchange[Coid("open")] with { Status = OrderStatus.Canceled }));
        await rig.Router.CancelAsync(Coid("open"), CancellationToken.None);
        // A resting order the exchange does not list (and does not answer for).
        rig.Channel.ScriptPlace("lost", Answer.Accepted());
        await rig.Route(Limit("lost", price: 98.00m, qty: 0.2m));
        rig.Channel.Exchange.TryRemove(Coid("lost"), out _);

        var report = await Reconcile(rig);

        Assert.Equal(["ORPHAN_EXCHANGE", "ORPHAN_LOCAL"], report.Differences.Select(d => d.Kind));
        Assert.Equal("ended here, open on the exchange", report.Differences[0].Detail);
        Assert.Equal(Coid("open"), report.Differences[0].Id);
        Assert.Equal(Coid("lost"), report.Differences[1].Id);
        Assert.Equal(0m, report.OrdersAgreement);                 // {lost} against {open}
        Assert.True(report.Failed);
        Assert.Equal(OrderStatus.Accepted, (await rig.Stored("lost")).Status);   // a not-found answer is not a repair
    }

    [Fact]
    public async Task A_local_SUBMITTED_order_the_exchange_reports_FILLED_is_repaired_before_comparing()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("i-1", Answer.Unknown());
        await rig.Route(Market("i-1"));
        rig.Channel.Report("i-1", OrderStatus.Filled, rig.Channel.Fill("t-1", 1m, 100.05m));   // what the exchange has
        rig.Channel.SpotBalances.Add(new ChannelHolding(null, "ETH", 1m, null));

        var report = await Reconcile(rig);

        Assert.Equal(1, report.Repaired);
        Assert.Equal("PASS", report.Result);
        Assert.Empty(report.Differences);
        Assert.Equal((0, 0, 1, 1), (report.ExchangeOpenOrders, report.LocalOpenOrders, report.ExchangeFills, report.LocalFills));
        Assert.Equal((1m, 1m), (report.OrdersAgreement, report.FillsAgreement));   // two empty sets agree; {t-1} = {t-1}

        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.Filled], await rig.Statuses("i-1"));
        Assert.Single(await rig.Fills("i-1"));
        Assert.Equal(1m, rig.Positions.OpenQuantity(Spot));
        Assert.Equal(0, rig.Router.OpenOrders);
        Assert.Equal(1, rig.Channel.PlaceCalls);                  // repaired by asking, never by sending again
    }

    [Fact]
    public async Task Fills_are_compared_by_trade_id_with_Jaccard_agreement()
    {
        var rig = new RouterRig();
        var n = 0;
        foreach (var (id, qty) in new[] { ("t-1", 0.5m), ("t-2", 0.6m), ("t-3", 0.7m) })
        {
            rig.Channel.ScriptPlace($"b-{++n}", Answer.Filled((id, qty, 100.05m)));
            await rig.Route(Market($"b-{n}", qty: qty));
        }
        rig.Channel.SpotBalances.Add(new ChannelHolding(null, "ETH", 1.8m, null));
        var exchange = rig.Channel.ExchangeFills[Spot.Key];
        exchange.RemoveAll(f => f.TradeId == "t-3");
        exchange.Add(rig.Channel.Fill("t-4", 0.7m, 100.05m));

        var report = await Reconcile(rig);

        Assert.Equal(0.5m, report.FillsAgreement);                // {t-1, t-2, t-3} against {t-1, t-2, t-4}: 2 / 4
        Assert.Equal(1m, report.OrdersAgreement);
        Assert.Equal([("FILL_MISSING_LOCAL", "t-4"), ("FILL_MISSING_EXCHANGE", "t-3")], report.Differences.Select(d => (d.Kind, d.Id)));
        Assert.All(report.Differences, d => Assert.Equal("SPOT:ETHUSDT", d.InstrumentKey));
        Assert.True(report.Failed);
        Assert.Equal(2, rig.Cohort("").ReconciliationMismatches);
    }

    [Fact]
    public async Task A_futures_position_difference_fails_even_with_full_agreement()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("long", Answer.Filled(("t-p", 1m, 100.05m)));
        await rig.Route(Market("long", on: Perp, qty: 1m));
        rig.Channel.FuturesPositions.Add(new ChannelHolding(Perp, "ETHUSDT", 0.6m, 100.05m));

        var report = await Reconcile(rig);

        Assert.Equal((1m, 1m), (report.OrdersAgreement, report.FillsAgreement));
        var difference = Assert.Single(report.Differences);
        Assert.Equal(("POSITION", "FUT:ETHUSDT", "ETHUSDT"), (difference.Kind, difference.InstrumentKey, difference.Id));
        Assert.Equal("exchange 0.6, Tollgate 1", difference.Detail);
        Assert.True(report.Failed);
        Assert.Equal([ExecutionReasons.ReconFail], report.ReasonCodes);
        Assert.Equal(1m, rig.Positions.OpenQuantity(Perp));       // reported, not "fixed"
    }

    [Fact]
    public async Task Futures_positions_agreeing_pass_and_a_spot_holding_above_the_account_balance_fails()
    {
        var rig = new RouterRig();
        rig.Channel.ScriptPlace("long", Answer.Filled(("t-p", 1m, 100.05m)));
        await rig.Route(Market("long", on: Perp, qty: 1m));
        rig.Channel.FuturesPositions.Add(new ChannelHolding(Perp, "ETHUSDT", 1m, 100.05m));
        Assert.False((await Reconcile(rig)).Failed);

        rig.Channel.ScriptPlace("spot", Answer.Filled(("t-s", 1m, 100.05m)));
        await rig.Route(Market("spot", qty: 1m));
        rig.Channel.SpotBalances.Add(new ChannelHolding(null, "ETH", 0.4m, null));
        var report = await Reconcile(rig);
        var difference = Assert.Single(report.Differences);
        Assert.Equal(("POSITION", "SPOT:ETHUSDT", "ETH"), (difference.Kind, difference.InstrumentKey, difference.Id));
        Assert.True(report.Failed);

        rig.Channel.SpotBalances.Add(new ChannelHolding(null, "ETH", 5m, null));   // the account may hold more than Tollgate does
        Assert.False((await Reconcile(rig)).Failed);
    }

    public static TheoryData<string[], string[], decimal> JaccardCases() => new()
    {
        { ["a", "b", "c"], ["b", "c", "d"], 0.5m },                 // 2 / 4
        { ["a", "b"], ["a", "b", "c"], 0.666667m },                 // 2 / 3, rounded to 6 places
        { ["a", "b", "c"], ["a"], 0.333333m },                      // 1 / 3
        { ["a"], ["b"], 0m },
        { [], [], 1m },                                             // two empty sets agree completely
        { ["a", "a", "b"], ["b", "a"], 1m },                        // sets: duplicates do not count
    };

    [Theory]
    [MemberData(nameof(JaccardCases))]
    public void Jaccard_agreement_is_intersection_over_union(string[] a, string[] b, decimal expected)
    {
        Assert.Equal(expected, Reconciler.Jaccard(a, b));
        Assert.Equal(expected, Reconciler.Jaccard(b, a));
    }
}
