using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Paper;
using static Tollgate.Markets.Tests.Paper.PaperRig;

namespace Tollgate.Markets.Tests.Paper;

/// <summary>Paper fills against hand-built books, with every price, fee and balance computed by hand.</summary>
public sealed class PaperChannelTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly FakeBooks books = new();
    private readonly ManualClock clock = new(FakeBooks.At);

    private static PaperSettings Settings(decimal slippageBps = 0m, decimal participation = 0.5m, int depth = 20, decimal usdt = 100_000m, decimal btc = 0m) => new()
    {
        SpotFees = new PaperFees(TakerBps: 10m, MakerBps: 10m),
        FuturesFees = new PaperFees(TakerBps: 4m, MakerBps: 2m),
        SlippageBps = slippageBps,
        MaxParticipation = participation,
        Depth = depth,
        SpotBalances = btc == 0 ? new Dictionary<string, decimal> { ["USDT"] = usdt } : new Dictionary<string, decimal> { ["USDT"] = usdt, ["BTC"] = btc },
        FuturesWallet = new Dictionary<string, decimal> { ["USDT"] = 100_000m },
    };

    private PaperChannel Channel(PaperSettings? settings = null) => new(books, settings ?? Settings(), clock);

    [Fact]
    public async Task A_market_buy_walks_the_asks_with_slippage_and_tick_rounding_against_the_taker()
    {
        var paper = Channel(Settings(slippageBps: 5m));
        books.Set(Spot, [(99.99m, 10m)], [(100.00m, 2m), (100.10m, 4m), (100.50m, 10m)]);

        var order = await paper.PlaceAsync(Market("buy-1", Spot, OrderSide.Buy, 2.5m), None).Known();

        Assert.Equal(OrderStatus.Filled, order.Status);
        Assert.Equal("paper", paper.Name);
        Assert.Equal(2.5m, order.ExecutedQuantity);
        // Half of each level: 1 at 100.00 × 1.0005 = 100.05, then 1.5 at 100.10 × 1.0005 = 100.15005 → up to 100.16.
        Assert.Equal(
            [new ChannelFill("1", 1.0m, 100.05m, 0.10005m, "USDT", false, FakeBooks.At), new ChannelFill("2", 1.5m, 100.16m, 0.15024m, "USDT", false, FakeBooks.At)],
            order.Fills);
        Assert.Equal(250.29m, order.CumulativeQuote);
        Assert.Equal(100.116m, order.AveragePrice);
        Assert.Equal([new ChannelHolding(null, "BTC", 2.5m, null), new ChannelHolding(null, "USDT", 100_000m - 250.29m - 0.25029m, null)],
            await paper.HoldingsAsync(MarketKind.Spot, None));
    }

    [Fact]
    public async Task A_market_sell_is_moved_down_and_rounded_down()
    {
        var paper = Channel(Settings(slippageBps: 5m, btc: 5m));
        books.Set(Spot, [(99.99m, 3m)], [(100.00m, 3m)]);

        var order = await paper.PlaceAsync(Market("sell-1", Spot, OrderSide.Sell, 1m), None).Known();

        var fill = Assert.Single(order.Fills);
        Assert.Equal(99.94m, fill.Price);                 // 99.99 × 0.9995 = 99.940005 → down to 99.94
        Assert.Equal(0.09994m, fill.Fee);
        Assert.Equal([new ChannelHolding(null, "BTC", 4m, null), new ChannelHolding(null, "USDT", 100_000m + 99.94m - 0.09994m, null)],
            await paper.HoldingsAsync(MarketKind.Spot, None));
    }

    [Fact]
    public async Task A_market_order_beyond_the_walk_expires_with_what_executed()
    {
        var paper = Channel(Settings(depth: 2));
        books.Set(Spot, [(99m, 10m)], [(100m, 1m), (101m, 1m), (102m, 100m)]);

        var order = await paper.PlaceAsync(Market("big", Spot, OrderSide.Buy, 2m), None).Known();

        // Two levels walked, half of each; the deep level beyond Depth is never reached.
        Assert.Equal(OrderStatus.Expired, order.Status);
        Assert.Equal(1m, order.ExecutedQuantity);
        Assert.Equal([(0.5m, 100m), (0.5m, 101m)], order.Fills.Select(f => (f.Quantity, f.Price)));
        Assert.Empty(await paper.OpenOrdersAsync(Spot, None));
    }

    [Fact]
    public async Task Participation_is_floored_to_the_step_and_an_empty_walk_expires_with_nothing()
    {
        var paper = Channel();
        books.Set(Spot, [(99m, 10m)], [(100m, 0.0015m), (100.5m, 0.003m)]);

        var partial = await paper.PlaceAsync(Market("thin", Spot, OrderSide.Buy, 0.005m), None).Known();
        Assert.Equal([(0.001m, 100.5m)], partial.Fills.Select(f => (f.Quantity, f.Price))); // 0.00075 is below one step of 0.001

        books.Set(Spot, [(99m, 10m)], []);
        var none = await paper.PlaceAsync(Market("nothing", Spot, OrderSide.Buy, 1m), None).Known();
        Assert.Equal(OrderStatus.Expired, none.Status);
        Assert.Equal(0m, none.ExecutedQuantity);
        Assert.Null(none.AveragePrice);
    }

    [Fact]
    public async Task A_limit_crosses_what_it_can_then_rests_and_fills_as_maker_when_the_book_comes_to_it()
    {
        var paper = Channel(Settings(slippageBps: 5m));
        books.Set(Spot, [(99.90m, 5m)], [(100.00m, 1m), (100.20m, 5m)]);

        var placed = await paper.PlaceAsync(Limit("lim", Spot, OrderSide.Buy, 3m, 100.03m), None).Known();

        // 0.5 of the 100.00 level, slipped to 100.05 but never beyond the limit; 100.20 is past the limit.
        Assert.Equal(OrderStatus.PartiallyFilled, placed.Status);
        Assert.Equal(new ChannelFill("1", 0.5m, 100.03m, 0.050015m, "USDT", false, FakeBooks.At), Assert.Single(placed.Fills));
        Assert.Equal([placed], await paper.OpenOrdersAsync(Spot, None), SameOrder);
        Assert.Empty(paper.OnBook(Spot));                 // the book it was placed on has nothing more for it

        clock.Advance(TimeSpan.FromSeconds(1));
        books.Set(Spot, [(99.90m, 5m)], [(100.03m, 2m)]);
        var touched = Assert.Single(paper.OnBook(Spot));
        Assert.Equal(OrderStatus.PartiallyFilled, touched.Status);
        Assert.Equal(new ChannelFill("2", 1m, 100.03m, 0.10003m, "USDT", true, clock.Now), touched.Fills[^1]);
        Assert.Empty(paper.OnBook(Spot));                 // the same update twice fills once

        clock.Advance(TimeSpan.FromSeconds(1));
        books.Set(Spot, [(99.80m, 5m)], [(99.90m, 10m)]);
        var through = Assert.Single(paper.OnBook(Spot));
        Assert.Equal(OrderStatus.Filled, through.Status);
        Assert.Equal(new ChannelFill("3", 1.5m, 100.03m, 0.150045m, "USDT", true, clock.Now), through.Fills[^1]); // at its limit, not the better ask
        Assert.Equal(3m, through.ExecutedQuantity);
        Assert.Empty(await paper.OpenOrdersAsync(Spot, None));
        Assert.Equal(2, (await paper.FillsAsync(Spot, FakeBooks.At.AddSeconds(1), None)).Count);
        Assert.Equal([new ChannelHolding(null, "BTC", 3m, null), new ChannelHolding(null, "USDT", 100_000m - 300.09m - 0.30009m, null)],
            await paper.HoldingsAsync(MarketKind.Spot, None));
        Assert.Equal(through, await paper.QueryAsync(Spot, through.ClientOrderId, None), SameOrder);
    }

    [Fact]
    public async Task Resting_orders_share_the_touch_in_price_time_priority()
    {
        var paper = Channel();
        books.Set(Spot, [(98m, 5m)], [(101m, 5m)]);
        var a = await paper.PlaceAsync(Limit("a", Spot, OrderSide.Buy, 1m, 100m), None).Known();
        var b = await paper.PlaceAsync(Limit("b", Spot, OrderSide.Buy, 1m, 100m), None).Known();
        var c = await paper.PlaceAsync(Limit("c", Spot, OrderSide.Buy, 1m, 100.5m), None).Known();
        Assert.All([a, b, c], o => Assert.Equal(OrderStatus.Accepted, o.Status));

        books.Set(Spot, [(98m, 5m)], [(100m, 2m)]);       // budget 1: the best limit takes it all
        var first = Assert.Single(paper.OnBook(Spot));
        Assert.Equal((c.ClientOrderId, OrderStatus.Filled, 100.5m), (first.ClientOrderId, first.Status, first.Fills[0].Price));

        books.Set(Spot, [(98m, 5m)], [(100m, 3m)]);       // budget 1.5: a before b
        var second = paper.OnBook(Spot);
        Assert.Equal([(a.ClientOrderId, 1m, OrderStatus.Filled), (b.ClientOrderId, 0.5m, OrderStatus.PartiallyFilled)],
            second.Select(o => (o.ClientOrderId, o.ExecutedQuantity, o.Status)));
    }

    [Fact]
    public async Task Cancel_ends_an_open_order_releases_what_it_held_and_answers_again_with_how_it_ended()
    {
        var paper = Channel(Settings(usdt: 1_000m));
        books.Set(Spot, [(98m, 50m)], [(101m, 50m)]);
        var resting = await paper.PlaceAsync(Limit("rest", Spot, OrderSide.Buy, 9m, 100m), None).Known(); // holds 900.9
        Assert.StartsWith("insufficient balance", await paper.PlaceAsync(Limit("more", Spot, OrderSide.Buy, 1m, 100m), None).Refused());

        clock.Advance(TimeSpan.FromSeconds(1));
        var canceled = (await paper.CancelAsync(Spot, resting.ClientOrderId, None)).Order!;
        Assert.Equal((OrderStatus.Canceled, 0m, clock.Now), (canceled.Status, canceled.ExecutedQuantity, canceled.UpdatedAt));
        Assert.Empty(await paper.OpenOrdersAsync(Spot, None));
        Assert.Equal(canceled, (await paper.CancelAsync(Spot, resting.ClientOrderId, None)).Order, SameOrder);
        await paper.PlaceAsync(Limit("more", Spot, OrderSide.Buy, 1m, 100m), None).Known(); // the 900.9 is free again

        var filled = await paper.PlaceAsync(Market("done", Spot, OrderSide.Buy, 1m), None).Known();
        var late = await paper.CancelAsync(Spot, filled.ClientOrderId, None);
        Assert.Equal((ChannelOutcome.Known, OrderStatus.Filled), (late.Outcome, late.Order!.Status));
        Assert.Equal(ChannelReasons.Rejected, (await paper.CancelAsync(Spot, "tg-never", None)).Code);
    }

    [Fact]
    public async Task Placing_a_known_client_order_id_returns_that_order_and_fills_nothing_more()
    {
        var paper = Channel();
        books.Set(Spot, [(99m, 10m)], [(100m, 10m)]);
        var first = await paper.PlaceAsync(Market("once", Spot, OrderSide.Buy, 1m), None).Known();
        var holdings = await paper.HoldingsAsync(MarketKind.Spot, None);

        books.Set(Spot, [(109m, 10m)], [(110m, 10m)]);
        var again = await paper.PlaceAsync(Market("once", Spot, OrderSide.Buy, 1m), None).Known();

        Assert.Equal(first, again, SameOrder);
        Assert.Single(await paper.FillsAsync(Spot, DateTimeOffset.MinValue, None));
        Assert.Equal(holdings, await paper.HoldingsAsync(MarketKind.Spot, None));
    }

    [Fact]
    public async Task Without_a_synced_book_nothing_is_placed()
    {
        var paper = Channel();
        var request = Market("blind", Spot, OrderSide.Buy, 1m);

        await paper.PlaceAsync(request, None).Refused(ChannelReasons.NoBook);
        await paper.PlaceAsync(Limit("blind-limit", Spot, OrderSide.Buy, 1m, 100m), None).Refused(ChannelReasons.NoBook);

        Assert.Null(await paper.QueryAsync(Spot, request.ClientOrderId, None));
        Assert.Empty(await paper.FillsAsync(Spot, DateTimeOffset.MinValue, None));
        Assert.Equal([new ChannelHolding(null, "USDT", 100_000m, null)], await paper.HoldingsAsync(MarketKind.Spot, None));
        books.Set(Spot, [(99m, 10m)], [(100m, 10m)]);
        Assert.Equal(OrderStatus.Filled, (await paper.PlaceAsync(request, None).Known()).Status); // tried afresh once there is a book
    }

    [Fact]
    public async Task Spot_balances_follow_the_fills_and_refusals_change_nothing()
    {
        var paper = Channel(Settings(usdt: 1_000m));
        books.Set(Spot, [(99m, 100m)], [(100m, 100m)]);

        Assert.StartsWith("insufficient balance", await paper.PlaceAsync(Market("sell-nothing", Spot, OrderSide.Sell, 0.1m), None).Refused());
        Assert.StartsWith("insufficient balance", await paper.PlaceAsync(Market("too-big", Spot, OrderSide.Buy, 10m), None).Refused()); // 1,000 + 1 fee
        await paper.PlaceAsync(Market("reduce-buy", Spot, OrderSide.Buy, 1m, reduceOnly: true), None).Refused();
        Assert.Equal([new ChannelHolding(null, "USDT", 1_000m, null)], await paper.HoldingsAsync(MarketKind.Spot, None));

        await paper.PlaceAsync(Market("buy", Spot, OrderSide.Buy, 5m), None).Known();               // −500 − 0.5
        Assert.Equal([new ChannelHolding(null, "BTC", 5m, null), new ChannelHolding(null, "USDT", 499.5m, null)],
            await paper.HoldingsAsync(MarketKind.Spot, None));
        Assert.StartsWith("insufficient balance", await paper.PlaceAsync(Market("oversell", Spot, OrderSide.Sell, 6m), None).Refused());
        await paper.PlaceAsync(Limit("hold-btc", Spot, OrderSide.Sell, 2m, 120m), None).Known();       // 2 BTC held back
        Assert.StartsWith("insufficient balance", await paper.PlaceAsync(Market("sell-held", Spot, OrderSide.Sell, 4m), None).Refused());
        await paper.PlaceAsync(Market("sell", Spot, OrderSide.Sell, 3m), None).Known();              // +297 − 0.297
        Assert.Equal([new ChannelHolding(null, "BTC", 2m, null), new ChannelHolding(null, "USDT", 796.203m, null)],
            await paper.HoldingsAsync(MarketKind.Spot, None));
        Assert.Equal(2, (await paper.FillsAsync(Spot, DateTimeOffset.MinValue, None)).Count); // the refused placements left no fills
    }

    [Fact]
    public async Task Futures_positions_average_their_entry_realize_pnl_into_the_wallet_and_flip()
    {
        var paper = Channel();
        async Task Trade(string id, OrderSide side, decimal quantity, decimal price, bool reduceOnly = false)
        {
            books.Set(Perp, [(price, 1_000m)], [(price, 1_000m)]);
            Assert.Equal(OrderStatus.Filled, (await paper.PlaceAsync(Market(id, Perp, side, quantity, reduceOnly), None).Known()).Status);
        }

        await Trade("f1", OrderSide.Buy, 0.1m, 60_000m);    // fee 2.4
        await Trade("f2", OrderSide.Buy, 0.3m, 64_000m);    // fee 7.68; entry (6,000 + 19,200) / 0.4 = 63,000
        Assert.Equal([new ChannelHolding(null, "USDT", 100_000m - 2.4m - 7.68m, null), new ChannelHolding(Perp, "BTCUSDT", 0.4m, 63_000m)],
            await paper.HoldingsAsync(MarketKind.Futures, None));
        await Trade("f3", OrderSide.Sell, 0.1m, 65_000m);   // realizes 0.1 × 2,000 = 200, fee 2.6
        await Trade("f4", OrderSide.Sell, 0.5m, 62_000m);   // closes 0.3 at −1,000 each = −300, opens 0.2 short at 62,000; fee 12.4
        var afterFlip = new ChannelHolding[] { new(null, "USDT", 99_874.92m, null), new(Perp, "BTCUSDT", -0.2m, 62_000m) };
        Assert.Equal(afterFlip, await paper.HoldingsAsync(MarketKind.Futures, None));

        books.Set(Perp, [(61_000m, 1_000m)], [(61_000m, 1_000m)]);
        await paper.PlaceAsync(Market("flip", Perp, OrderSide.Buy, 0.3m, reduceOnly: true), None).Refused();  // would open a long
        await paper.PlaceAsync(Market("grow", Perp, OrderSide.Sell, 0.1m, reduceOnly: true), None).Refused(); // would grow the short
        Assert.Equal(afterFlip, await paper.HoldingsAsync(MarketKind.Futures, None));
        Assert.Null(await paper.QueryAsync(Perp, ClientOrderId.For("flip"), None));

        await Trade("close", OrderSide.Buy, 0.2m, 61_000m, reduceOnly: true); // realizes 0.2 × 1,000 = 200, fee 4.88
        Assert.Equal([new ChannelHolding(null, "USDT", 100_070.04m, null)], await paper.HoldingsAsync(MarketKind.Futures, None));
        Assert.Equal([new ChannelHolding(null, "USDT", 100_000m, null)], await paper.HoldingsAsync(MarketKind.Spot, None));
    }

    [Fact]
    public async Task A_resting_reduce_only_order_expires_once_there_is_nothing_to_reduce()
    {
        var paper = Channel();
        books.Set(Perp, [(65_000m, 10m)], [(65_000.1m, 10m)]);
        await paper.PlaceAsync(Market("open", Perp, OrderSide.Buy, 0.2m), None).Known();
        var takeProfit = await paper.PlaceAsync(Limit("tp", Perp, OrderSide.Sell, 0.2m, 70_000m, reduceOnly: true), None).Known();
        Assert.Equal(OrderStatus.Accepted, takeProfit.Status);
        await paper.PlaceAsync(Market("close", Perp, OrderSide.Sell, 0.2m), None).Known();

        books.Set(Perp, [(70_000m, 10m)], [(70_000.1m, 10m)]);
        var expired = Assert.Single(paper.OnBook(Perp));
        Assert.Equal((takeProfit.ClientOrderId, OrderStatus.Expired, 0m), (expired.ClientOrderId, expired.Status, expired.ExecutedQuantity));
        // Only the round trip: opened at 65,000.1 and closed at 65,000 (−0.02), taker fees 5.200008 + 5.2.
        Assert.Equal([new ChannelHolding(null, "USDT", 100_000m - 0.02m - 10.400008m, null)], await paper.HoldingsAsync(MarketKind.Futures, None));
    }

    [Fact]
    public async Task Many_threads_placing_one_client_order_id_make_one_order()
    {
        var paper = Channel();
        books.Set(Spot, [(99m, 100m)], [(100m, 100m)]);
        var request = Market("raced", Spot, OrderSide.Buy, 1m);
        using var start = new Barrier(16);

        // Own threads, not pool ones: sixteen threads blocked at a barrier would wait for the pool to grow.
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return paper.PlaceAsync(request, None).GetAwaiter().GetResult();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        Assert.All(results, r => Assert.Equal(ChannelOutcome.Known, r.Outcome));
        Assert.Single(results.Select(r => r.Order!.ExchangeOrderId).Distinct());
        Assert.Single(await paper.FillsAsync(Spot, DateTimeOffset.MinValue, None));
        Assert.Equal([new ChannelHolding(null, "BTC", 1m, null), new ChannelHolding(null, "USDT", 100_000m - 100m - 0.1m, null)],
            await paper.HoldingsAsync(MarketKind.Spot, None));
    }

    [Fact]
    public async Task The_same_books_and_requests_give_the_same_orders()
    {
        async Task<ChannelOrder[]> Run()
        {
            var books = new FakeBooks();
            var paper = new PaperChannel(books, Settings(slippageBps: 3m), new ManualClock(FakeBooks.At));
            books.Set(Spot, [(99.5m, 3m), (99m, 7m)], [(100m, 1.5m), (100.5m, 9m)]);
            var orders = new List<ChannelOrder>
            {
                await paper.PlaceAsync(Market("m", Spot, OrderSide.Buy, 2m), None).Known(),
                await paper.PlaceAsync(Limit("l", Spot, OrderSide.Sell, 1m, 100.7m), None).Known(),
            };
            books.Set(Spot, [(100.8m, 1m)], [(101m, 1m)]);
            orders.AddRange(paper.OnBook(Spot));
            return [.. orders];
        }

        var (one, two) = (await Run(), await Run());
        Assert.Equal(3, one.Length);
        Assert.Equal(one, two, SameOrder);
    }

    [Fact]
    public void Settings_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Channel(Settings(participation: 0m)));
        Assert.Throws<ArgumentException>(() => Channel(Settings(participation: 1.5m)));
        Assert.Throws<ArgumentException>(() => Channel(Settings(depth: 0)));
        Assert.Throws<ArgumentException>(() => Channel(Settings(slippageBps: -1m)));
        Assert.Throws<ArgumentException>(() => Channel(Settings() with { SpotFees = new PaperFees(-1m, 0m) }));
        Assert.Throws<ArgumentException>(() => Channel(Settings(usdt: -5m)));
        new PaperSettings().Validate();
    }

    [Fact]
    public async Task Malformed_requests_are_refused()
    {
        var paper = Channel();
        books.Set(Spot, [(99m, 10m)], [(100m, 10m)]);
        await paper.PlaceAsync(Market("zero", Spot, OrderSide.Buy, 0m), None).Refused();
        await paper.PlaceAsync(Market("off-step", Spot, OrderSide.Buy, 0.0005m), None).Refused();
        await paper.PlaceAsync(Limit("off-tick", Spot, OrderSide.Buy, 1m, 100.005m), None).Refused();
        await paper.PlaceAsync(Market("priced", Spot, OrderSide.Buy, 1m) with { LimitPrice = 100m }, None).Refused();
        Assert.Empty(await paper.FillsAsync(Spot, DateTimeOffset.MinValue, None));
    }

    /// <summary>Orders compare by value, fills included (a record compares its fill list by reference).</summary>
    private static readonly IEqualityComparer<ChannelOrder?> SameOrder = EqualityComparer<ChannelOrder?>.Create(
        (x, y) => x is not null && y is not null && (x with { Fills = [] }) == (y with { Fills = [] }) && x.Fills.SequenceEqual(y.Fills),
        o => o?.ClientOrderId.GetHashCode(StringComparison.Ordinal) ?? 0);
}
