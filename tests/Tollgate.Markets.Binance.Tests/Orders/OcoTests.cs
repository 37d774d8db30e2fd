using Tollgate.FakeExchange;
using Tollgate.Markets.Binance.Orders;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Binance.Tests.Orders;

/// <summary>Spot OCO protection: both legs rest, the first the book reaches executes and expires the other; the placement rules are the single order's.</summary>
public sealed class OcoTests : IAsyncLifetime
{
    private OrderRig rig = null!;

    public async Task InitializeAsync()
    {
        rig = await OrderRig.StartAsync();
        rig.Exchange.Step(10);
    }

    public async Task DisposeAsync() => await rig.DisposeAsync();

    private (decimal TakeProfit, decimal Stop) Around(int ticks)
    {
        var bid = rig.Book(rig.SpotBtc).Bids[0].Price;
        return (bid + ticks * rig.SpotBtc.TickSize, bid - ticks * rig.SpotBtc.TickSize);
    }

    [Fact]
    public async Task A_sell_OCO_rests_both_legs_then_one_executes_and_the_other_expires()
    {
        var list = ClientOrderId.For("protect-1");
        var (takeProfit, stop) = Around(4);

        var result = await rig.Channel.PlaceOcoAsync(rig.SpotBtc, list, OrderSide.Sell, 0.1m, takeProfit, stop, CancellationToken.None);

        Assert.Equal(ChannelOutcome.Known, result.Outcome);
        var combined = result.Order!;
        Assert.Equal((list, OrderStatus.Accepted, OrderSide.Sell, 0.1m, takeProfit), (combined.ClientOrderId, combined.Status, combined.Side, combined.Quantity, combined.LimitPrice!.Value));
        var tp = (await rig.Channel.QueryAsync(rig.SpotBtc, BinanceOrderChannel.TakeProfitClientOrderId(list), CancellationToken.None))!;
        var sl = (await rig.Channel.QueryAsync(rig.SpotBtc, BinanceOrderChannel.StopLossClientOrderId(list), CancellationToken.None))!;
        Assert.Equal((OrderType.Limit, OrderStatus.Accepted, takeProfit), (tp.Type, tp.Status, tp.LimitPrice!.Value));
        Assert.Equal((OrderType.Market, OrderStatus.Accepted, (decimal?)null), (sl.Type, sl.Status, sl.LimitPrice));
        var legs = rig.Exchange.Orders.Orders.Where(o => o.OrderListId.ToString() == combined.ExchangeOrderId).ToList();
        Assert.Equal(["LIMIT_MAKER", "STOP_LOSS"], legs.Select(l => l.Type).Order());
        Assert.Equal(0.1m, rig.Exchange.Orders.Balance("BTC").Locked); // one lock for both legs
        Assert.Equal(1, rig.Exchange.Orders.OrderCount(list));

        rig.StepUntil(() => rig.Exchange.Orders.Orders.Where(o => o.OrderListId.ToString() == combined.ExchangeOrderId).All(o => o.Status is "FILLED" or "EXPIRED"),
            "the book reaches one leg");

        var done = (await rig.Channel.QueryOcoAsync(rig.SpotBtc, list, CancellationToken.None))!;
        Assert.Equal((OrderStatus.Filled, 0.1m), (done.Status, done.ExecutedQuantity));
        Assert.Equal(0.1m, done.Fills.Sum(f => f.Quantity));
        var ended = rig.Exchange.Orders.Orders.Where(o => o.OrderListId.ToString() == combined.ExchangeOrderId).Select(o => o.Status).Order().ToList();
        Assert.Equal(["EXPIRED", "FILLED"], ended);
        Assert.Equal(0m, rig.Exchange.Orders.Balance("BTC").Locked);
        Assert.Equal(4.9m, rig.Exchange.Orders.Balance("BTC").Total);
    }

    [Fact]
    public async Task Canceling_a_leg_cancels_the_list()
    {
        var list = ClientOrderId.For("protect-2");
        var (takeProfit, stop) = Around(50);
        await rig.Channel.PlaceOcoAsync(rig.SpotBtc, list, OrderSide.Sell, 0.1m, takeProfit, stop, CancellationToken.None);

        var canceled = await rig.Channel.CancelAsync(rig.SpotBtc, BinanceOrderChannel.StopLossClientOrderId(list), CancellationToken.None);

        Assert.Equal((ChannelOutcome.Known, OrderStatus.Canceled), (canceled.Outcome, canceled.Order!.Status));
        Assert.Equal(OrderStatus.Canceled, (await rig.Channel.QueryOcoAsync(rig.SpotBtc, list, CancellationToken.None))!.Status);
        Assert.Equal(0m, rig.Exchange.Orders.Balance("BTC").Locked);
        Assert.Null(await rig.Channel.QueryOcoAsync(rig.SpotBtc, ClientOrderId.For("no-list"), CancellationToken.None));
    }

    [Fact]
    public async Task An_OCO_whose_answer_is_lost_is_found_by_its_list_id_and_never_sent_again()
    {
        var list = ClientOrderId.For("protect-3");
        var (takeProfit, stop) = Around(50);
        rig.Exchange.FailAfterAcceptNextOrders(1);

        var result = await rig.Channel.PlaceOcoAsync(rig.SpotBtc, list, OrderSide.Sell, 0.1m, takeProfit, stop, CancellationToken.None);

        Assert.Equal((ChannelOutcome.Known, OrderStatus.Accepted), (result.Outcome, result.Order!.Status));
        Assert.Equal((1, 1), (rig.Exchange.Orders.OrderCount(list), rig.Exchange.Orders.PlaceRequestCount(list)));
        Assert.Equal(1, rig.Exchange.Orders.OrderCount(BinanceOrderChannel.TakeProfitClientOrderId(list)));
    }

    [Fact]
    public async Task A_duplicate_OCO_is_the_existing_list()
    {
        var blind = rig.ChannelOn(rig.Rest, new BinanceOrderChannelOptions(QueryBeforePlace: false, UnknownQueryDelay: TimeSpan.FromMilliseconds(10)));
        var list = ClientOrderId.For("protect-4");
        var (takeProfit, stop) = Around(50);

        var first = await blind.PlaceOcoAsync(rig.SpotBtc, list, OrderSide.Sell, 0.1m, takeProfit, stop, CancellationToken.None);
        var second = await blind.PlaceOcoAsync(rig.SpotBtc, list, OrderSide.Sell, 0.1m, takeProfit, stop, CancellationToken.None);

        Assert.Equal((ChannelOutcome.Known, first.Order!.ExchangeOrderId), (second.Outcome, second.Order!.ExchangeOrderId));
        Assert.Equal((1, 2), (rig.Exchange.Orders.OrderCount(list), rig.Exchange.Orders.PlaceRequestCount(list)));
    }

    [Fact]
    public async Task An_OCO_on_the_wrong_side_of_the_market_is_refused()
    {
        var bid = rig.Book(rig.SpotBtc).Bids[0].Price;
        // A take profit below the best bid would take liquidity at once; a LIMIT_MAKER may not.
        var result = await rig.Channel.PlaceOcoAsync(rig.SpotBtc, ClientOrderId.For("protect-5"), OrderSide.Sell, 0.1m,
            bid - 2 * rig.SpotBtc.TickSize, bid - 10 * rig.SpotBtc.TickSize, CancellationToken.None);
        Assert.Equal((ChannelOutcome.Rejected, "binance -2010: The relationship of the prices for the orders is not correct."), (result.Outcome, result.Detail));

        var inverted = await rig.Channel.PlaceOcoAsync(rig.SpotBtc, ClientOrderId.For("protect-6"), OrderSide.Sell, 0.1m, bid - 10, bid + 10, CancellationToken.None);
        var futures = await rig.Channel.PlaceOcoAsync(rig.FuturesBtc, ClientOrderId.For("protect-7"), OrderSide.Sell, 0.1m, bid + 10, bid - 10, CancellationToken.None);
        Assert.Equal((ChannelOutcome.Rejected, ChannelOutcome.Rejected), (inverted.Outcome, futures.Outcome));
        Assert.Empty(rig.Exchange.Orders.Orders);
    }
}
