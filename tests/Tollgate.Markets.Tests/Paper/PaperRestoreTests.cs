using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Paper;
using Tollgate.Markets.Positions;
using Tollgate.Markets.Risk;
using static Tollgate.Markets.Tests.Paper.PaperRig;

namespace Tollgate.Markets.Tests.Paper;

/// <summary>
/// A paper venue rebuilt from the execution store after a restart. The main scenario drives a real
/// <see cref="OrderRouter"/> over a <see cref="PaperChannel"/> (so the store holds exactly what the router records),
/// then restores a new channel from that store and holds it against the original: anything either is asked, or
/// does next, must come out the same. The edge cases write the records directly.
/// </summary>
public sealed class PaperRestoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly PaperSettings Settings = new()
    {
        SpotFees = new PaperFees(TakerBps: 10m, MakerBps: 10m),
        FuturesFees = new PaperFees(TakerBps: 4m, MakerBps: 2m),
        SlippageBps = 0m,
        MaxParticipation = 0.5m,
        Depth = 20,
        SpotBalances = new Dictionary<string, decimal> { ["USDT"] = 100_000m },
        FuturesWallet = new Dictionary<string, decimal> { ["USDT"] = 100_000m },
    };

    /// <summary>Every intent of the scenario, with what the router recorded for it.</summary>
    private static readonly (string Id, Instrument On, OrderStatus Status)[] Scenario =
    [
        ("s-market", Spot, OrderStatus.Filled),
        ("s-partial", Spot, OrderStatus.PartiallyFilled),
        ("s-rest-sell", Spot, OrderStatus.Accepted),
        ("s-rest-buy", Spot, OrderStatus.Accepted),
        ("s-cancel", Spot, OrderStatus.Canceled),
        ("s-expire", Spot, OrderStatus.Expired),
        ("s-refused", Spot, OrderStatus.Rejected),
        ("f-open", Perp, OrderStatus.Filled),
        ("f-close", Perp, OrderStatus.Filled),
        ("f-hold", Perp, OrderStatus.Filled),
        ("f-tp", Perp, OrderStatus.Accepted),
    ];

    [Fact]
    public async Task A_restored_channel_answers_every_question_as_the_original_does()
    {
        var venue = await Traded();
        var again = venue.NewChannel();

        var report = await again.RestoreAsync(venue.Store, venue.Universe, None);

        Assert.Equal((10, 4, 1), (report.Orders, report.Resting, report.NotReached)); // the refused order never stayed on the venue
        Assert.Equal(venue.Store.AllFills.Count, report.Fills);
        Assert.Empty(report.Notes);                                                    // the router recorded every answer
        foreach (var instrument in venue.Universe.All)
        {
            Assert.Equal(await venue.Paper.OpenOrdersAsync(instrument, None), await again.OpenOrdersAsync(instrument, None), SameOrder);
            var fills = await again.FillsAsync(instrument, DateTimeOffset.MinValue, None);
            Assert.Equal(await venue.Paper.FillsAsync(instrument, DateTimeOffset.MinValue, None), fills);
            Assert.Equal(venue.Store.AllFills.Where(f => f.InstrumentKey == instrument.Key).Select(f => f.TradeId).Order(StringComparer.Ordinal),
                fills.Select(f => f.TradeId).Order(StringComparer.Ordinal));
            Assert.Equal(await venue.Paper.FillsAsync(instrument, FakeBooks.At.AddSeconds(8), None), await again.FillsAsync(instrument, FakeBooks.At.AddSeconds(8), None));
        }
        Assert.Equal(["s-partial", "s-rest-sell", "s-rest-buy"], (await again.OpenOrdersAsync(Spot, None)).Select(o => o.ClientOrderId).Select(IntentOf));
        Assert.Equal(["f-tp"], (await again.OpenOrdersAsync(Perp, None)).Select(o => o.ClientOrderId).Select(IntentOf));
        foreach (var (id, on, status) in Scenario)
        {
            var restored = await again.QueryAsync(on, ClientOrderId.For(id), None);
            Assert.Equal(await venue.Paper.QueryAsync(on, ClientOrderId.For(id), None), restored, SameOrder);
            if (status != OrderStatus.Rejected) Assert.Equal((id, status), (id, restored!.Status));
        }
        Assert.Null(await again.QueryAsync(Spot, ClientOrderId.For("s-refused"), None));
        foreach (var market in new[] { MarketKind.Spot, MarketKind.Futures })
            Assert.Equal(await venue.Paper.HoldingsAsync(market, None), await again.HoldingsAsync(market, None));
        // Checked by hand too: 10.5 BTC bought, the futures round trip realized +100 and one 0.1 long stays open.
        Assert.Equal(10.5m, (await again.HoldingsAsync(MarketKind.Spot, None)).Single(h => h.Asset == "BTC").Quantity);
        Assert.Equal(new ChannelHolding(Perp, "BTCUSDT", 0.1m, 60_500.1m), (await again.HoldingsAsync(MarketKind.Futures, None))[^1]);
    }

    [Fact]
    public async Task A_restored_resting_order_fills_on_the_book_as_the_original_would()
    {
        var venue = await Traded();
        var again = await Restored(venue);

        venue.Clock.Advance(TimeSpan.FromSeconds(1));
        venue.Books.Set(Spot, [(98.90m, 10m)], [(99.00m, 10m)]); // reaches both resting buys, not the sell at 101
        var original = venue.Paper.OnBook(Spot);
        var restored = again.OnBook(Spot);

        Assert.Equal(original, restored, SameOrder);
        Assert.Equal([("s-partial", OrderStatus.Filled, 0.5m), ("s-rest-buy", OrderStatus.Filled, 1m)],
            restored.Select(o => (IntentOf(o.ClientOrderId), o.Status, o.Fills[^1].Quantity)));
        Assert.All(restored, o => Assert.True(o.Fills[^1].IsMaker));

        venue.Books.Set(Perp, [(62_000m, 10m)], [(62_000.1m, 10m)]);
        var takeProfit = Assert.Single(again.OnBook(Perp));
        Assert.Equal(Assert.Single(venue.Paper.OnBook(Perp)), takeProfit, SameOrder);
        Assert.Equal(OrderStatus.Filled, takeProfit.Status);
        foreach (var market in new[] { MarketKind.Spot, MarketKind.Futures })
            Assert.Equal(await venue.Paper.HoldingsAsync(market, None), await again.HoldingsAsync(market, None));
        Assert.Equal([new ChannelHolding(null, "USDT", 100_000m + 100m + 0.1m * (62_000m - 60_500.1m) - Fees(venue.Store, Perp) - 0.1m * 62_000m * 2m / 10_000m, null)],
            await again.HoldingsAsync(MarketKind.Futures, None));
    }

    [Fact]
    public async Task New_orders_on_a_restored_channel_get_ids_after_every_restored_one()
    {
        var venue = await Traded();
        var again = await Restored(venue);
        var restoredOrderIds = new List<long>();
        foreach (var (id, on, _) in Scenario.Where(s => s.On == Spot))
            if (await again.QueryAsync(on, ClientOrderId.For(id), None) is { } order) restoredOrderIds.Add(long.Parse(order.ExchangeOrderId));
        var restoredTradeIds = (await again.FillsAsync(Spot, DateTimeOffset.MinValue, None)).Select(f => long.Parse(f.TradeId)).ToArray();

        var fresh = await again.PlaceAsync(Market("after-restart", Spot, OrderSide.Buy, 1m), None).Known();

        Assert.Equal(await venue.Paper.PlaceAsync(Market("after-restart", Spot, OrderSide.Buy, 1m), None).Known(), fresh, SameOrder);
        Assert.Equal(restoredOrderIds.Max() + 1, long.Parse(fresh.ExchangeOrderId));
        Assert.Equal(restoredTradeIds.Max() + 1, long.Parse(Assert.Single(fresh.Fills).TradeId));
        var futures = await again.PlaceAsync(Market("perp-after-restart", Perp, OrderSide.Sell, 0.1m), None).Known();
        Assert.Equal(await venue.Paper.PlaceAsync(Market("perp-after-restart", Perp, OrderSide.Sell, 0.1m), None).Known(), futures, SameOrder);
        Assert.Equal("5", futures.ExchangeOrderId);                                     // f-open, f-close, f-hold, f-tp were 1-4
    }

    [Fact]
    public async Task Re_placing_a_restored_client_order_id_returns_that_order_and_places_nothing()
    {
        var venue = await Traded();
        var again = await Restored(venue);
        var holdings = await again.HoldingsAsync(MarketKind.Spot, None);
        var fills = await again.FillsAsync(Spot, DateTimeOffset.MinValue, None);

        foreach (var (id, type, quantity, limit) in new[] { ("s-market", OrderType.Market, 1m, (decimal?)null), ("s-rest-buy", OrderType.Limit, 1m, 99.00m), ("s-expire", OrderType.Market, 50m, null) })
        {
            var request = new OrderRequest(id, ClientOrderId.For(id), Spot, OrderSide.Buy, type, quantity, limit, false, "cfg-1");
            Assert.Equal(await again.QueryAsync(Spot, request.ClientOrderId, None), await again.PlaceAsync(request, None).Known(), SameOrder);
        }

        Assert.Equal(holdings, await again.HoldingsAsync(MarketKind.Spot, None));
        Assert.Equal(fills, await again.FillsAsync(Spot, DateTimeOffset.MinValue, None));
        Assert.Equal(3, (await again.OpenOrdersAsync(Spot, None)).Count);
    }

    [Fact]
    public async Task After_restore_the_startup_reconciliation_agrees_where_an_empty_channel_fails()
    {
        var venue = await Traded();

        async Task<ReconciliationReport> Reconcile(PaperChannel channel)
        {
            var positions = new PositionBook(0.02m, 0.04m); // resuming rebuilds it from the recorded fills
            var router = venue.NewRouter(channel, positions);
            Assert.Equal(4, await router.ResumeAsync(None));
            return await new Reconciler(router, venue.Universe, venue.Clock, new ReconciliationOptions()).RunAsync("startup", None);
        }

        var restored = await Reconcile(await Restored(venue));
        Assert.False(restored.Failed, string.Join("; ", restored.Differences));
        Assert.Empty(restored.Differences);
        Assert.Equal((1m, 1m, 4, 4, 0), (restored.OrdersAgreement, restored.FillsAgreement, restored.ExchangeOpenOrders, restored.LocalOpenOrders, restored.Repaired));
        Assert.Equal(venue.Store.AllFills.Count, restored.ExchangeFills);

        var empty = await Reconcile(venue.NewChannel());
        Assert.True(empty.Failed);
        Assert.Contains(empty.Differences, d => d.Kind == "FILL_MISSING_EXCHANGE");
        Assert.Contains(empty.Differences, d => d.Kind == "POSITION");
    }

    [Fact]
    public async Task Restore_refuses_a_channel_that_has_orders_and_a_second_restore()
    {
        var venue = await Traded();
        var again = await Restored(venue);

        var twice = await Assert.ThrowsAsync<InvalidOperationException>(() => again.RestoreAsync(venue.Store, venue.Universe, None));
        Assert.Contains("already restored", twice.Message, StringComparison.Ordinal);
        var over = await Assert.ThrowsAsync<InvalidOperationException>(() => venue.Paper.RestoreAsync(venue.Store, venue.Universe, None));
        Assert.Contains("already has 10 order(s)", over.Message, StringComparison.Ordinal);

        var nothing = venue.NewChannel();
        Assert.Equal(0, (await nothing.RestoreAsync(new InMemoryExecutionStore(), venue.Universe, None)).Orders);
        await Assert.ThrowsAsync<InvalidOperationException>(() => nothing.RestoreAsync(venue.Store, venue.Universe, None)); // once, even when it found nothing
        Assert.Equal(2, (await again.OpenOrdersAsync(Spot, None)).Count(o => o.Side == OrderSide.Buy)); // the refusals changed nothing
    }

    [Fact]
    public async Task An_order_without_the_venues_answer_is_judged_by_what_the_store_shows_of_it()
    {
        var books = new FakeBooks();
        var store = new InMemoryExecutionStore();
        var t = FakeBooks.At;
        await Record(store, "never-sent", Spot, OrderSide.Buy, OrderType.Market, 1m, null, []);
        await Record(store, "refused", Spot, OrderSide.Buy, OrderType.Market, 1m, null, [(OrderStatus.Submitted, null), (OrderStatus.Rejected, null)]);
        await Record(store, "lost", Spot, OrderSide.Buy, OrderType.Market, 1m, null, [(OrderStatus.Submitted, null)]);
        await Record(store, "answered", Spot, OrderSide.Buy, OrderType.Limit, 1m, 90m, [(OrderStatus.Submitted, "4")]);
        await Record(store, "half", Spot, OrderSide.Buy, OrderType.Limit, 2m, 95m, [(OrderStatus.Submitted, null)], routedAt: t.AddSeconds(1));
        await Fill(store, "half", Spot, OrderSide.Buy, "7", 1m, 95m, 0.095m, t.AddSeconds(1));
        await Record(store, "swept", Spot, OrderSide.Buy, OrderType.Market, 2m, null, [(OrderStatus.Submitted, null)], routedAt: t.AddSeconds(2));
        await Fill(store, "swept", Spot, OrderSide.Buy, "8", 1m, 100m, 0.1m, t.AddSeconds(2));
        await Record(store, "caught-up", Spot, OrderSide.Buy, OrderType.Limit, 1m, 96m, [(OrderStatus.Submitted, "9"), (OrderStatus.Accepted, "9")]);
        await Fill(store, "caught-up", Spot, OrderSide.Buy, "6", 1m, 96m, 0.096m, t); // its fill was recorded, the FILLED event was not

        var paper = new PaperChannel(books, Settings, new ManualClock(t.AddSeconds(3)));
        var report = await paper.RestoreAsync(store, new InstrumentTable([Spot, Perp]), None);

        Assert.Equal((4, 2, 3, 3), (report.Orders, report.Resting, report.Fills, report.NotReached));
        foreach (var id in new[] { "never-sent", "refused", "lost" }) Assert.Null(await paper.QueryAsync(Spot, ClientOrderId.For(id), None));
        Assert.Equal((OrderStatus.Accepted, 0m, "4"), Summary(await paper.QueryAsync(Spot, ClientOrderId.For("answered"), None)));
        Assert.Equal((OrderStatus.PartiallyFilled, 1m, "10"), Summary(await paper.QueryAsync(Spot, ClientOrderId.For("half"), None))); // numbered after 9
        Assert.Equal((OrderStatus.Expired, 1m, "11"), Summary(await paper.QueryAsync(Spot, ClientOrderId.For("swept"), None)));      // a market order never rests
        Assert.Equal((OrderStatus.Filled, 1m, "9"), Summary(await paper.QueryAsync(Spot, ClientOrderId.For("caught-up"), None)));
        Assert.Equal(["answered", "half"], (await paper.OpenOrdersAsync(Spot, None)).Select(o => IntentOf(o.ClientOrderId)));
        Assert.Contains(report.Notes, n => n.StartsWith(ClientOrderId.For("half"), StringComparison.Ordinal) && n.Contains("SUBMITTED", StringComparison.Ordinal));
        Assert.Contains(report.Notes, n => n.StartsWith(ClientOrderId.For("caught-up"), StringComparison.Ordinal) && n.Contains("FILLED", StringComparison.Ordinal));
        Assert.Equal([new ChannelHolding(null, "BTC", 3m, null), new ChannelHolding(null, "USDT", 100_000m - 291m - 0.291m, null)],
            await paper.HoldingsAsync(MarketKind.Spot, None));

        // The order the venue never had is placed afresh; new ids come after order 11 and trade 8.
        books.Set(Spot, [(99m, 10m)], [(100m, 10m)]);
        var again = await paper.PlaceAsync(Market("lost", Spot, OrderSide.Buy, 1m), None).Known();
        Assert.Equal((OrderStatus.Filled, 1m, "12"), Summary(again));
        Assert.Equal("9", Assert.Single(again.Fills).TradeId);
    }

    [Fact]
    public async Task Fills_are_applied_in_time_order_then_by_trade_number()
    {
        var books = new FakeBooks();
        var store = new InMemoryExecutionStore();
        var t = FakeBooks.At;
        // Trade 1 comes from a run that numbered afresh and is the latest, whatever its number says; 9, 10, 11 share
        // one instant and go by number (by text, 10 and 11 would come before 9 and realize -100 instead of +100).
        foreach (var (id, side, trade, price, at) in new[]
                 { ("a", OrderSide.Buy, "9", 60_000m, t), ("b", OrderSide.Sell, "10", 61_000m, t), ("c", OrderSide.Buy, "11", 62_000m, t), ("d", OrderSide.Buy, "1", 63_000m, t.AddSeconds(1)) })
        {
            await Record(store, id, Perp, side, OrderType.Market, 0.1m, null, [(OrderStatus.Submitted, null), (OrderStatus.Filled, trade)]);
            await Fill(store, id, Perp, side, trade, 0.1m, price, 1m, at);
        }

        var paper = new PaperChannel(books, Settings, new ManualClock(t.AddSeconds(2)));
        var report = await paper.RestoreAsync(store, new InstrumentTable([Spot, Perp]), None);

        // Long 0.1 at 60,000 closed at 61,000 (+100), long 0.1 at 62,000 and 0.1 at 63,000: 0.2 at 62,500; four fees of 1.
        Assert.Equal([new ChannelHolding(null, "USDT", 100_096m, null), new ChannelHolding(Perp, "BTCUSDT", 0.2m, 62_500m)], await paper.HoldingsAsync(MarketKind.Futures, None));
        Assert.Equal(["9", "10", "11", "1"], (await paper.FillsAsync(Perp, DateTimeOffset.MinValue, None)).Select(f => f.TradeId));
        Assert.Empty(report.Notes);
        books.Set(Perp, [(63_000m, 10m)], [(63_000.1m, 10m)]);
        var next = await paper.PlaceAsync(Market("next", Perp, OrderSide.Buy, 0.1m), None).Known();
        Assert.Equal(("12", "12"), (next.ExchangeOrderId, Assert.Single(next.Fills).TradeId));
    }

    [Fact]
    public async Task A_restored_resting_spot_order_holds_back_its_quote_until_it_ends()
    {
        var books = new FakeBooks();
        var store = new InMemoryExecutionStore();
        await Record(store, "rest", Spot, OrderSide.Buy, OrderType.Limit, 9m, 100m, [(OrderStatus.Submitted, null), (OrderStatus.Accepted, "1")]);
        await Record(store, "leaving", Spot, OrderSide.Buy, OrderType.Limit, 1m, 90m,
            [(OrderStatus.Submitted, null), (OrderStatus.Accepted, "2"), (OrderStatus.PendingCancel, "2")]);
        var settings = Settings with { SpotBalances = new Dictionary<string, decimal> { ["USDT"] = 1_000m } };
        var paper = new PaperChannel(books, settings, new ManualClock(FakeBooks.At));

        var report = await paper.RestoreAsync(store, new InstrumentTable([Spot]), None);

        Assert.Contains(report.Notes, n => n.StartsWith(ClientOrderId.For("leaving"), StringComparison.Ordinal) && n.Contains("PENDING_CANCEL", StringComparison.Ordinal));
        Assert.Equal([OrderStatus.Accepted, OrderStatus.PendingCancel], (await paper.OpenOrdersAsync(Spot, None)).Select(o => o.Status));
        Assert.Equal([new ChannelHolding(null, "USDT", 1_000m, null)], await paper.HoldingsAsync(MarketKind.Spot, None));
        books.Set(Spot, [(99m, 50m)], [(101m, 50m)]);
        // 900.9 + 90.09 held back leaves 9.01 free: not enough to rest 0.1 at 100 with its fee (10.01).
        Assert.StartsWith("insufficient balance", await paper.PlaceAsync(Limit("more", Spot, OrderSide.Buy, 0.1m, 100m), None).Refused());
        Assert.Equal(OrderStatus.Canceled, (await paper.CancelAsync(Spot, ClientOrderId.For("leaving"), None)).Order!.Status); // cancelled again, it ends
        await paper.PlaceAsync(Limit("more", Spot, OrderSide.Buy, 0.1m, 100m), None).Known();
        Assert.StartsWith("insufficient balance", await paper.PlaceAsync(Limit("most", Spot, OrderSide.Buy, 9.8m, 100m), None).Refused());
        Assert.Equal(OrderStatus.Canceled, (await paper.CancelAsync(Spot, ClientOrderId.For("rest"), None)).Order!.Status);
        await paper.PlaceAsync(Limit("most", Spot, OrderSide.Buy, 9.8m, 100m), None).Known();               // 980.98 of the 989.99 free again
    }

    [Fact]
    public async Task Orders_of_other_channels_and_unknown_instruments_are_left_out_and_ids_two_runs_claim_are_renumbered()
    {
        var books = new FakeBooks();
        var store = new InMemoryExecutionStore();
        var t = FakeBooks.At;
        var eth = new Instrument(MarketKind.Spot, "ETHUSDT", 0.01m, 0.001m, 5m);
        await Record(store, "live", Spot, OrderSide.Buy, OrderType.Market, 1m, null, [(OrderStatus.Submitted, null), (OrderStatus.Filled, "777")], channel: "binance");
        await Fill(store, "live", Spot, OrderSide.Buy, "555", 1m, 100m, 0.1m, t);
        await Record(store, "elsewhere", eth, OrderSide.Buy, OrderType.Market, 1m, null, [(OrderStatus.Submitted, null), (OrderStatus.Filled, "1")]);
        await Fill(store, "elsewhere", eth, OrderSide.Buy, "1", 1m, 3_000m, 3m, t);
        // Two runs before restore existed, each numbering from 1: both made order 3 and trade 3.
        await Record(store, "first-run", Spot, OrderSide.Buy, OrderType.Market, 1m, null, [(OrderStatus.Submitted, null), (OrderStatus.Filled, "3")]);
        await Fill(store, "first-run", Spot, OrderSide.Buy, "3", 1m, 100m, 0.1m, t);
        await Record(store, "second-run", Spot, OrderSide.Buy, OrderType.Market, 1m, null, [(OrderStatus.Submitted, null), (OrderStatus.Filled, "3")], routedAt: t.AddSeconds(1));
        await Fill(store, "second-run", Spot, OrderSide.Buy, "3", 1m, 101m, 0.101m, t.AddSeconds(1));

        var paper = new PaperChannel(books, Settings, new ManualClock(t.AddSeconds(2)));
        var report = await paper.RestoreAsync(store, new InstrumentTable([Spot]), None);

        Assert.Equal((2, 2, 0), (report.Orders, report.Fills, report.NotReached));
        Assert.Null(await paper.QueryAsync(Spot, ClientOrderId.For("live"), None));
        Assert.Contains(report.Notes, n => n.StartsWith(ClientOrderId.For("elsewhere"), StringComparison.Ordinal) && n.Contains("SPOT:ETHUSDT", StringComparison.Ordinal));
        Assert.Contains(report.Notes, n => n.StartsWith(ClientOrderId.For("second-run"), StringComparison.Ordinal) && n.Contains("renumbered 4", StringComparison.Ordinal));
        Assert.Contains(report.Notes, n => n.StartsWith(ClientOrderId.For("second-run"), StringComparison.Ordinal) && n.Contains("trade id 3", StringComparison.Ordinal));
        Assert.Equal(3, report.Notes.Count);
        Assert.Equal("3", (await paper.QueryAsync(Spot, ClientOrderId.For("first-run"), None))!.ExchangeOrderId);
        Assert.Equal("4", (await paper.QueryAsync(Spot, ClientOrderId.For("second-run"), None))!.ExchangeOrderId);
        Assert.Equal(["3", "3"], (await paper.FillsAsync(Spot, DateTimeOffset.MinValue, None)).Select(f => f.TradeId)); // both kept, as the store has them
        Assert.Equal([new ChannelHolding(null, "BTC", 2m, null), new ChannelHolding(null, "USDT", 100_000m - 201m - 0.201m, null)],
            await paper.HoldingsAsync(MarketKind.Spot, None));
        books.Set(Spot, [(99m, 10m)], [(100m, 10m)]);
        var next = await paper.PlaceAsync(Market("next", Spot, OrderSide.Buy, 1m), None).Known();
        Assert.Equal(("5", "4"), (next.ExchangeOrderId, Assert.Single(next.Fills).TradeId));
    }

    // ---- the scenario ----

    /// <summary>
    /// Spot: a market buy, a limit that crosses part and rests the rest (then fills a little more as maker), a resting
    /// sell and a resting buy, one cancelled, a market order that outruns the book, one the venue refuses. Futures: a
    /// round trip, a position left open, its take-profit resting. Every answer goes through the router into the store.
    /// </summary>
    private static async Task<Venue> Traded()
    {
        var venue = new Venue();
        venue.Books.Set(Spot, [(99.90m, 10m)], [(100.00m, 4m), (100.20m, 10m)]);
        await venue.Route("s-market", Spot, OrderSide.Buy, 1m);                      // 1 at 100.00
        await venue.Route("s-partial", Spot, OrderSide.Buy, 3m, 100.10m);            // 2 at 100.00, 1 rests at 100.10
        await venue.Route("s-rest-sell", Spot, OrderSide.Sell, 1.5m, 101.00m);
        await venue.Route("s-rest-buy", Spot, OrderSide.Buy, 1m, 99.00m);
        await venue.Route("s-cancel", Spot, OrderSide.Buy, 1m, 98.00m);
        venue.Clock.Advance(TimeSpan.FromSeconds(1));
        await venue.Router.CancelAsync(ClientOrderId.For("s-cancel"), None);
        await venue.Route("s-expire", Spot, OrderSide.Buy, 50m);                    // 2 at 100.00 and 5 at 100.20 of 50
        venue.Clock.Advance(TimeSpan.FromSeconds(1));
        venue.Books.Set(Spot, [(99.90m, 10m)], [(100.05m, 1m)]);                   // s-partial takes 0.5 more as maker
        await venue.OnBook(Spot);
        await venue.Route("s-refused", Spot, OrderSide.Sell, 10m);                   // risk passes 10 of 10.5 held; the venue has 1.5 held back

        venue.Books.Set(Perp, [(59_999.9m, 10m)], [(60_000.0m, 10m)]);
        await venue.Route("f-open", Perp, OrderSide.Buy, 0.2m);
        venue.Books.Set(Perp, [(60_500.0m, 10m)], [(60_500.1m, 10m)]);
        await venue.Route("f-close", Perp, OrderSide.Sell, 0.2m);                    // +100 realized
        await venue.Route("f-hold", Perp, OrderSide.Buy, 0.1m);
        await venue.Route("f-tp", Perp, OrderSide.Sell, 0.1m, 62_000m, reduceOnly: true);

        foreach (var (id, _, status) in Scenario)
            Assert.Equal((id, status), (id, (await venue.Store.GetOrderAsync(ClientOrderId.For(id), None))!.Status));
        Assert.Equal(2.5m, (await venue.Store.GetOrderAsync(ClientOrderId.For("s-partial"), None))!.Last.ExecutedQuantity);
        Assert.Equal(7m, (await venue.Store.GetOrderAsync(ClientOrderId.For("s-expire"), None))!.Last.ExecutedQuantity);
        var refused = (await venue.Store.GetOrderAsync(ClientOrderId.For("s-refused"), None))!;
        Assert.Equal([OrderStatus.Initialized, OrderStatus.Submitted, OrderStatus.Rejected], refused.Events.Select(e => e.Status)); // refused by the venue, not by risk
        Assert.Equal(ChannelReasons.Rejected, refused.Last.Reason);
        return venue;
    }

    private static async Task<PaperChannel> Restored(Venue venue)
    {
        var channel = venue.NewChannel();
        await channel.RestoreAsync(venue.Store, venue.Universe, None);
        return channel;
    }

    private sealed class Venue
    {
        public FakeBooks Books { get; } = new();
        public ManualClock Clock { get; } = new(FakeBooks.At);
        public InMemoryExecutionStore Store { get; } = new();
        public InstrumentTable Universe { get; } = new([Spot, Perp]);
        public PaperChannel Paper { get; }
        public OrderRouter Router { get; }

        public Venue()
        {
            Paper = NewChannel();
            Router = NewRouter(Paper, new PositionBook(0.02m, 0.04m));
        }

        public PaperChannel NewChannel() => new(Books, Settings, Clock);

        public OrderRouter NewRouter(IOrderChannel channel, PositionBook positions)
        {
            var limits = new RiskLimits(MaxOrderQuantity: 100m, MaxOrderNotional: 1_000_000m, CollarBps: 500m, MaxOrdersPerSecond: 1_000,
                MaxPositionQuantity: 100m, MaxConcurrentPositions: 10, Leverage: 10m, DuplicateWindow: TimeSpan.Zero);
            var risk = new PreTradeRisk(new Dictionary<Instrument, RiskLimits> { [Spot] = limits, [Perp] = limits }, new GlobalRiskLimits(1_000, 10_000_000m));
            return new OrderRouter(Universe, Store, channel, new Off(), risk, Books, new Green(), positions, new NoJournal(), new NoResults(),
                new ExecutionMetrics(), Clock, RouterOptions.For("PAPER"));
        }

        public async Task Route(string id, Instrument on, OrderSide side, decimal quantity, decimal? limit = null, bool reduceOnly = false)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            var intent = new OrderIntent(id, on, side, limit is null ? OrderType.Market : OrderType.Limit, quantity, limit, null, null, "cfg-1", Clock.Now, reduceOnly);
            await Router.RouteAsync(intent, None);
        }

        public async Task OnBook(Instrument on)
        {
            foreach (var changed in Paper.OnBook(on)) await Router.ObserveAsync(changed, None);
        }
    }

    private sealed class Off : IStopSignal
    {
        public bool IsEngaged => false;
    }

    private sealed class Green : IHealthView
    {
        public HealthLevel HealthOf(Instrument instrument) => HealthLevel.Green;
    }

    private sealed class NoJournal : IExecutionJournal
    {
        public Task RecordAsync(ExecutionLog log, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoResults : IOrderResultSink
    {
        public Task PublishAsync(RouteResult result, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    // ---- records written directly ----

    /// <summary>An order as the router records it: event 0 INITIALIZED, then <paramref name="events"/> (FILLED ones with the whole quantity executed).</summary>
    private static async Task Record(InMemoryExecutionStore store, string intentId, Instrument on, OrderSide side, OrderType type, decimal quantity, decimal? limit,
        (OrderStatus Status, string? ExchangeOrderId)[] events, string channel = "paper", DateTimeOffset? routedAt = null)
    {
        var at = routedAt ?? FakeBooks.At;
        var coid = ClientOrderId.For(intentId);
        var record = new OrderRecord(intentId, coid, on.Key, side, type, quantity, limit, null, null, false, "cfg-1", "PAPER", channel, at, at);
        Assert.True(await store.TryAddOrderAsync(record, new OrderEventRecord(coid, 0, OrderStatus.Initialized, at, null, "routed", 0, null, null), None));
        for (var i = 0; i < events.Length; i++)
        {
            var executed = events[i].Status == OrderStatus.Filled ? quantity : 0m;
            Assert.True(await store.TryAppendEventAsync(new OrderEventRecord(coid, i + 1, events[i].Status, at, null, "", executed, null, events[i].ExchangeOrderId), None));
        }
    }

    private static async Task Fill(InMemoryExecutionStore store, string intentId, Instrument on, OrderSide side, string tradeId, decimal quantity, decimal price,
        decimal fee, DateTimeOffset at) =>
        Assert.True(await store.TryAddFillAsync(new FillRecord(ClientOrderId.For(intentId), intentId, tradeId, on.Key, side, quantity, price, fee, "USDT", false, at,
            null, "", null, "cfg-1"), None));

    private static (OrderStatus, decimal, string) Summary(ChannelOrder? order) => (order!.Status, order.ExecutedQuantity, order.ExchangeOrderId);

    private static decimal Fees(InMemoryExecutionStore store, Instrument on) => store.AllFills.Where(f => f.InstrumentKey == on.Key).Sum(f => f.Fee);

    private static string IntentOf(string clientOrderId) =>
        Scenario.Select(s => s.Id).Concat(["answered", "half"]).Single(id => ClientOrderId.For(id) == clientOrderId);

    /// <summary>Orders compare by value, fills included (a record compares its fill list by reference).</summary>
    private static readonly IEqualityComparer<ChannelOrder?> SameOrder = EqualityComparer<ChannelOrder?>.Create(
        (x, y) => x is null ? y is null : y is not null && (x with { Fills = [] }) == (y with { Fills = [] }) && x.Fills.SequenceEqual(y.Fills),
        o => o?.ClientOrderId.GetHashCode(StringComparison.Ordinal) ?? 0);
}
