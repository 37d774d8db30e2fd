using Tollgate.FakeExchange;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Binance.Tests.Orders;

/// <summary>Placing, querying, canceling, listing and reading fills and holdings through the channel, against the fake's truth.</summary>
public sealed class OrderPlacementTests : IAsyncLifetime
{
    private OrderRig rig = null!;

    public async Task InitializeAsync()
    {
        rig = await OrderRig.StartAsync();
        rig.Exchange.Step(10);
    }

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Spot_market_buy_walks_the_book_and_reports_the_exchanges_fills_fees_and_balances()
    {
        var book = rig.Book(rig.SpotBtc);
        var quantity = book.Asks[0].Quantity + 0.01m; // more than the best level: two levels at least
        var usdtBefore = rig.Exchange.Orders.Balance("USDT").Total;

        var result = await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Buy, quantity), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Known, result.Outcome);
        var order = result.Order!;
        Assert.Equal((OrderStatus.Filled, quantity, OrderType.Market, (decimal?)null), (order.Status, order.ExecutedQuantity, order.Type, order.LimitPrice));
        Assert.Same(rig.SpotBtc, order.Instrument);
        var truth = rig.Exchange.Orders.Fills.Where(f => f.ClientOrderId == order.ClientOrderId).ToList();
        Assert.True(truth.Count >= 2);
        Assert.Equal(truth.Select(f => (f.TradeId.ToString(), f.Quantity, f.Price, f.Commission, "USDT", false)),
            order.Fills.Select(f => (f.TradeId, f.Quantity, f.Price, f.Fee, f.FeeAsset, f.IsMaker)));
        Assert.Equal(book.Asks[0].Price, order.Fills[0].Price);
        Assert.All(order.Fills, f => Assert.Equal(Math.Round(f.Price * f.Quantity * 0.001m, 8, MidpointRounding.AwayFromZero), f.Fee));
        Assert.Equal(order.Fills.Sum(f => f.Price * f.Quantity), order.CumulativeQuote);
        Assert.Equal(1, rig.Exchange.Orders.OrderCount(order.ClientOrderId));
        Assert.Equal(5m + quantity, rig.Exchange.Orders.Balance("BTC").Total);
        Assert.Equal(usdtBefore - order.CumulativeQuote - order.Fills.Sum(f => f.Fee), rig.Exchange.Orders.Balance("USDT").Total);
    }

    [Fact]
    public async Task Spot_limit_takes_what_crosses_rests_the_rest_and_fills_as_maker_when_the_book_moves_through_it()
    {
        var book = rig.Book(rig.SpotBtc);
        var crossing = book.Asks[0];
        var quantity = crossing.Quantity + 0.002m;
        var result = await rig.Channel.PlaceAsync(OrderRig.Limit(rig.SpotBtc, OrderSide.Buy, quantity, crossing.Price), CancellationToken.None);

        var order = result.Order!;
        Assert.Equal((OrderStatus.PartiallyFilled, crossing.Quantity, crossing.Price), (order.Status, order.ExecutedQuantity, order.LimitPrice));
        Assert.True(rig.Exchange.Orders.Balance("USDT").Locked > 0);
        var open = Assert.Single(await rig.Channel.OpenOrdersAsync(rig.SpotBtc, CancellationToken.None));
        Assert.Equal((order.ClientOrderId, OrderStatus.PartiallyFilled), (open.ClientOrderId, open.Status));

        rig.StepUntil(() => rig.Exchange.Orders.Find(FakeMarket.Spot, "BTCUSDT", order.ClientOrderId)!.Status == "FILLED", "the resting buy fills");
        var filled = (await rig.Channel.QueryAsync(rig.SpotBtc, order.ClientOrderId, CancellationToken.None))!;
        Assert.Equal((OrderStatus.Filled, quantity), (filled.Status, filled.ExecutedQuantity));
        Assert.Equal(quantity, filled.Fills.Sum(f => f.Quantity));
        Assert.Contains(filled.Fills, f => f.IsMaker && f.Price == crossing.Price);
        Assert.Equal(0, rig.Exchange.Orders.Balance("USDT").Locked);
        Assert.Empty(await rig.Channel.OpenOrdersAsync(rig.SpotBtc, CancellationToken.None));
    }

    [Fact]
    public async Task Futures_market_order_opens_a_position_its_fills_come_from_userTrades_and_reduce_only_closes_it()
    {
        var open = await rig.Channel.PlaceAsync(OrderRig.Market(rig.FuturesBtc, OrderSide.Buy, 0.01m), CancellationToken.None);

        var order = open.Order!;
        Assert.Equal((ChannelOutcome.Known, OrderStatus.Filled, 0.01m), (open.Outcome, order.Status, order.ExecutedQuantity));
        var truth = rig.Exchange.Orders.Fills.Where(f => f.ClientOrderId == order.ClientOrderId).ToList();
        Assert.Equal(truth.Select(f => (f.TradeId.ToString(), f.Quantity, f.Price, f.Commission)), order.Fills.Select(f => (f.TradeId, f.Quantity, f.Price, f.Fee)));
        Assert.All(order.Fills, f => Assert.Equal(Math.Round(f.Price * f.Quantity * 0.0004m, 8, MidpointRounding.AwayFromZero), f.Fee));
        var position = Assert.Single(await rig.Channel.HoldingsAsync(MarketKind.Futures, CancellationToken.None));
        Assert.Same(rig.FuturesBtc, position.Instrument);
        Assert.Equal(("BTCUSDT", 0.01m, rig.Exchange.Orders.Position("BTCUSDT").EntryPrice), (position.Asset, position.Quantity, position.EntryPrice!.Value));

        var close = await rig.Channel.PlaceAsync(OrderRig.Market(rig.FuturesBtc, OrderSide.Sell, 0.01m, reduceOnly: true), CancellationToken.None);
        Assert.Equal(OrderStatus.Filled, close.Order!.Status);
        Assert.True(rig.Exchange.Orders.Find(FakeMarket.Futures, "BTCUSDT", close.Order.ClientOrderId)!.ReduceOnly);
        Assert.False(rig.Exchange.Orders.Find(FakeMarket.Futures, "BTCUSDT", order.ClientOrderId)!.ReduceOnly);
        Assert.Empty(await rig.Channel.HoldingsAsync(MarketKind.Futures, CancellationToken.None));

        // Nothing left to reduce: Binance refuses the reduce-only order.
        var nothing = await rig.Channel.PlaceAsync(OrderRig.Market(rig.FuturesBtc, OrderSide.Sell, 0.01m, reduceOnly: true), CancellationToken.None);
        Assert.Equal((ChannelOutcome.Rejected, ChannelReasons.Rejected), (nothing.Outcome, nothing.Code));
        Assert.StartsWith("binance -2022:", nothing.Detail);
    }

    [Theory]
    [InlineData(MarketKind.Spot)]
    [InlineData(MarketKind.Futures)]
    public async Task A_resting_limit_is_queried_listed_and_canceled_and_a_second_cancel_returns_it_as_it_ended(MarketKind market)
    {
        var instrument = market == MarketKind.Spot ? rig.SpotBtc : rig.FuturesBtc;
        var price = rig.Book(instrument).Asks[0].Price + 100 * instrument.TickSize;
        var placed = await rig.Channel.PlaceAsync(OrderRig.Limit(instrument, OrderSide.Sell, market == MarketKind.Spot ? 0.01m : 0.005m, price), CancellationToken.None);
        var id = placed.Order!.ClientOrderId;
        Assert.Equal((OrderStatus.Accepted, 0m, price), (placed.Order.Status, placed.Order.ExecutedQuantity, placed.Order.LimitPrice!.Value));

        var queried = (await rig.Channel.QueryAsync(instrument, id, CancellationToken.None))!;
        Assert.Equal((placed.Order.ExchangeOrderId, OrderStatus.Accepted, OrderSide.Sell, OrderType.Limit), (queried.ExchangeOrderId, queried.Status, queried.Side, queried.Type));
        Assert.Equal(id, Assert.Single(await rig.Channel.OpenOrdersAsync(instrument, CancellationToken.None)).ClientOrderId);

        var canceled = await rig.Channel.CancelAsync(instrument, id, CancellationToken.None);
        Assert.Equal((ChannelOutcome.Known, OrderStatus.Canceled, id), (canceled.Outcome, canceled.Order!.Status, canceled.Order.ClientOrderId));
        Assert.Empty(await rig.Channel.OpenOrdersAsync(instrument, CancellationToken.None));
        var again = await rig.Channel.CancelAsync(instrument, id, CancellationToken.None);
        Assert.Equal((ChannelOutcome.Known, OrderStatus.Canceled), (again.Outcome, again.Order!.Status));
        if (market == MarketKind.Spot) Assert.Equal(0, rig.Exchange.Orders.Balance("BTC").Locked);

        Assert.Null(await rig.Channel.QueryAsync(instrument, ClientOrderId.For("never-placed"), CancellationToken.None));
        var unknown = await rig.Channel.CancelAsync(instrument, ClientOrderId.For("never-placed"), CancellationToken.None);
        Assert.Equal(ChannelOutcome.Rejected, unknown.Outcome);
        Assert.StartsWith("binance -2011:", unknown.Detail);
    }

    [Fact]
    public async Task A_cancel_that_loses_the_race_returns_the_filled_order()
    {
        var filled = await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Sell, 0.01m), CancellationToken.None);
        var result = await rig.Channel.CancelAsync(rig.SpotBtc, filled.Order!.ClientOrderId, CancellationToken.None);
        Assert.Equal((ChannelOutcome.Known, OrderStatus.Filled), (result.Outcome, result.Order!.Status));
        Assert.NotEmpty(result.Order.Fills);
    }

    [Fact]
    public async Task Fills_since_a_time_are_every_execution_oldest_first_across_pages_and_windows()
    {
        var since = DateTimeOffset.UtcNow.AddHours(-50); // three 24 h windows on spot
        // Large orders walk many levels: well over the 1000 trades one page holds.
        var placed = new List<ChannelOrder>();
        while (rig.Exchange.Orders.Fills.Count(f => f.Market == FakeMarket.Spot) <= 1100)
        {
            placed.Add((await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, placed.Count % 2 == 0 ? OrderSide.Buy : OrderSide.Sell, 0.8m), CancellationToken.None)).Order!);
            rig.Exchange.Step();
        }

        var fills = await rig.Channel.FillsAsync(rig.SpotBtc, since, CancellationToken.None);

        var truth = rig.Exchange.Orders.Fills.Where(f => f.Market == FakeMarket.Spot).OrderBy(f => f.TradeId).ToList();
        Assert.Equal(truth.Select(f => (f.TradeId.ToString(), f.Quantity, f.Price, f.Commission, f.At)), fills.Select(f => (f.TradeId, f.Quantity, f.Price, f.Fee, f.At)));
        // Two empty 24 h windows, then the last one in pages of 1000.
        Assert.True(rig.Exchange.RestRequests.Count(r => r.Path == "/api/v3/myTrades" && r.Query.Contains("startTime")) >= 4);
        Assert.Empty(await rig.Channel.FillsAsync(rig.FuturesBtc, since, CancellationToken.None));
        Assert.Empty(await rig.Channel.FillsAsync(rig.SpotBtc, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => rig.Channel.FillsAsync(rig.SpotBtc, DateTimeOffset.UtcNow.AddDays(-91), CancellationToken.None));
    }

    [Fact]
    public async Task Spot_holdings_are_the_accounts_balances_free_plus_locked()
    {
        await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.05m), CancellationToken.None);
        var price = rig.Book(rig.SpotBtc).Asks[0].Price + 200 * rig.SpotBtc.TickSize;
        await rig.Channel.PlaceAsync(OrderRig.Limit(rig.SpotBtc, OrderSide.Sell, 1m, price), CancellationToken.None);
        Assert.Equal(1m, rig.Exchange.Orders.Balance("BTC").Locked);

        var holdings = await rig.Channel.HoldingsAsync(MarketKind.Spot, CancellationToken.None);

        Assert.All(holdings, h => Assert.Null(h.Instrument));
        Assert.Equal(rig.Exchange.Orders.Balances.Where(b => b.Total != 0).Select(b => (b.Asset, b.Total)), holdings.Select(h => (h.Asset, h.Quantity)));
        Assert.Equal(5.05m, holdings.Single(h => h.Asset == "BTC").Quantity);
    }

    [Fact]
    public async Task Requests_outside_what_Binance_accepts_are_refused_with_its_code_or_before_sending()
    {
        var offStep = await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.000015m), CancellationToken.None);
        Assert.Equal((ChannelOutcome.Rejected, ChannelReasons.Rejected, "binance -1013: Filter failure: LOT_SIZE"), (offStep.Outcome, offStep.Code, offStep.Detail));
        var poor = await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Sell, 4000m), CancellationToken.None);
        Assert.Equal("binance -2010: Account has insufficient balance for requested action.", poor.Detail);

        var before = rig.Exchange.RestRequests.Count;
        var noPrice = await rig.Channel.PlaceAsync(OrderRig.Limit(rig.SpotBtc, OrderSide.Buy, 0.01m, 0m), CancellationToken.None);
        var badId = await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m) with { ClientOrderId = "not a valid id!" }, CancellationToken.None);
        Assert.Equal((ChannelOutcome.Rejected, ChannelOutcome.Rejected), (noPrice.Outcome, badId.Outcome));
        Assert.Equal(before, rig.Exchange.RestRequests.Count);
        Assert.Empty(rig.Exchange.Orders.Orders);
    }
}
