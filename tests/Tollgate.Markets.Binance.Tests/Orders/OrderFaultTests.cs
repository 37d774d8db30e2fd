using Tollgate.FakeExchange;
using Tollgate.Markets.Binance.Orders;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Binance.Tests.Orders;

/// <summary>
/// Each scripted fault of the order endpoints and what the channel makes of it. The invariant under all of them: an
/// order whose outcome was not known is never sent a second time, so the exchange holds at most one order per
/// client order id (the fake's count), and it is found by query when the query works.
/// </summary>
public sealed class OrderFaultTests
{
    private static readonly BinanceOrderChannelOptions NoPreCheck = new(QueryBeforePlace: false, UnknownQueryDelay: TimeSpan.FromMilliseconds(10));

    [Fact]
    public async Task A_429_is_a_rejection_with_nothing_placed()
    {
        await using var rig = await OrderRig.StartAsync();
        rig.Exchange.RateLimitNextOrders(1, TimeSpan.FromSeconds(1));
        var request = OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m);

        var result = await rig.Channel.PlaceAsync(request, CancellationToken.None);

        Assert.Equal((ChannelOutcome.Rejected, ChannelReasons.RateLimited), (result.Outcome, result.Code));
        Assert.Equal((0, 1), (rig.Exchange.Orders.OrderCount(request.ClientOrderId), rig.Exchange.Orders.PlaceRequestCount(request.ClientOrderId)));
        // Nothing was placed, so placing it again later is safe (after the client's backoff) and places it once.
        var later = await rig.Channel.PlaceAsync(request, CancellationToken.None);
        Assert.Equal((ChannelOutcome.Known, 1), (later.Outcome, rig.Exchange.Orders.OrderCount(request.ClientOrderId)));
    }

    [Theory]
    [InlineData(MarketKind.Spot, 500, -1001)]
    [InlineData(MarketKind.Spot, 503, -1007)]
    [InlineData(MarketKind.Spot, 503, -1006)]
    [InlineData(MarketKind.Futures, 503, -1007)]
    [InlineData(MarketKind.Futures, 408, -1007)]
    public async Task An_error_after_the_order_was_accepted_is_resolved_by_query_and_never_sent_again(MarketKind market, int status, int code)
    {
        await using var rig = await OrderRig.StartAsync();
        var instrument = market == MarketKind.Spot ? rig.SpotBtc : rig.FuturesBtc;
        rig.Exchange.FailAfterAcceptNextOrders(1, status, code);
        var request = OrderRig.Market(instrument, OrderSide.Buy, 0.01m);

        var result = await rig.Channel.PlaceAsync(request, CancellationToken.None);

        Assert.Equal((ChannelOutcome.Known, OrderStatus.Filled, 0.01m), (result.Outcome, result.Order!.Status, result.Order.ExecutedQuantity));
        Assert.NotEmpty(result.Order.Fills);
        Assert.Equal((1, 1), (rig.Exchange.Orders.OrderCount(request.ClientOrderId), rig.Exchange.Orders.PlaceRequestCount(request.ClientOrderId)));
        Assert.Contains("outcome is unknown", rig.Logger.All);
    }

    [Fact]
    public async Task A_placement_timeout_is_resolved_by_query_and_never_sent_again()
    {
        await using var rig = await OrderRig.StartAsync(new BinanceOrderChannelOptions(PlaceTimeout: TimeSpan.FromSeconds(1), UnknownQueryDelay: TimeSpan.FromMilliseconds(10)));
        rig.Exchange.TimeoutNextOrders(1, TimeSpan.FromSeconds(60));
        var request = OrderRig.Limit(rig.SpotBtc, OrderSide.Buy, 0.01m, rig.Book(rig.SpotBtc).Bids[0].Price);

        var result = await rig.Channel.PlaceAsync(request, CancellationToken.None);

        Assert.Equal((ChannelOutcome.Known, OrderStatus.Accepted), (result.Outcome, result.Order!.Status));
        Assert.Equal((1, 1), (rig.Exchange.Orders.OrderCount(request.ClientOrderId), rig.Exchange.Orders.PlaceRequestCount(request.ClientOrderId)));
        Assert.Contains("no answer within 00:00:01", rig.Logger.All);
    }

    [Fact]
    public async Task An_HttpClient_timeout_is_an_unknown_outcome_too()
    {
        await using var rig = await OrderRig.StartAsync(httpTimeout: TimeSpan.FromSeconds(1));
        rig.Exchange.TimeoutNextOrders(1, TimeSpan.FromSeconds(60));
        var request = OrderRig.Market(rig.FuturesBtc, OrderSide.Sell, 0.01m);

        var result = await rig.Channel.PlaceAsync(request, CancellationToken.None);

        Assert.Equal((ChannelOutcome.Known, OrderStatus.Filled), (result.Outcome, result.Order!.Status));
        Assert.Equal((1, 1), (rig.Exchange.Orders.OrderCount(request.ClientOrderId), rig.Exchange.Orders.PlaceRequestCount(request.ClientOrderId)));
        Assert.Equal(-0.01m, rig.Exchange.Orders.Position("BTCUSDT").Amount);
        Assert.Contains("timed out waiting for the answer; not sent again", rig.Logger.All);
    }

    [Fact]
    public async Task A_connection_dropped_after_the_order_was_written_is_an_unknown_outcome()
    {
        await using var rig = await OrderRig.StartAsync();
        rig.Exchange.DropConnectionAfterAcceptNextOrders(1);
        var request = OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m);

        var result = await rig.Channel.PlaceAsync(request, CancellationToken.None);

        Assert.Equal(ChannelOutcome.Known, result.Outcome);
        Assert.Equal((1, 1), (rig.Exchange.Orders.OrderCount(request.ClientOrderId), rig.Exchange.Orders.PlaceRequestCount(request.ClientOrderId)));
        Assert.Contains("the connection failed after sending", rig.Logger.All);
    }

    [Fact]
    public async Task An_unknown_outcome_stays_unknown_while_queries_fail_and_the_order_is_found_later()
    {
        await using var rig = await OrderRig.StartAsync(NoPreCheck);
        rig.Exchange.FailAfterAcceptNextOrders(1);
        rig.Exchange.FailNextQueries(1000);
        var request = OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m);

        var result = await rig.Channel.PlaceAsync(request, CancellationToken.None);

        Assert.Equal((ChannelOutcome.Unknown, ChannelReasons.Unknown, null), (result.Outcome, result.Code, result.Order));
        Assert.Contains("3 queries: 0 found no order, 3 failed", result.Detail);
        Assert.Equal((1, 1), (rig.Exchange.Orders.OrderCount(request.ClientOrderId), rig.Exchange.Orders.PlaceRequestCount(request.ClientOrderId)));
        await Assert.ThrowsAsync<ChannelUnavailableException>(() => rig.Channel.QueryAsync(rig.SpotBtc, request.ClientOrderId, CancellationToken.None));

        rig.Exchange.ClearOrderFaults();
        var found = await rig.Channel.QueryAsync(rig.SpotBtc, request.ClientOrderId, CancellationToken.None);
        Assert.Equal(OrderStatus.Filled, found!.Status);
    }

    [Fact]
    public async Task A_5xx_for_an_order_never_placed_stays_unknown_when_the_query_finds_nothing_and_is_not_resent()
    {
        await using var rig = await OrderRig.StartAsync();
        rig.Exchange.FailBeforeAcceptNextOrders(1, 503);
        var request = OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m);

        var result = await rig.Channel.PlaceAsync(request, CancellationToken.None);

        // -2013 after an unknown outcome is no proof: the router's in-flight checker decides later.
        Assert.Equal((ChannelOutcome.Unknown, ChannelReasons.Unknown), (result.Outcome, result.Code));
        Assert.Contains("3 found no order", result.Detail);
        Assert.Equal((0, 1), (rig.Exchange.Orders.OrderCount(request.ClientOrderId), rig.Exchange.Orders.PlaceRequestCount(request.ClientOrderId)));
    }

    [Fact]
    public async Task An_unreadable_answer_to_a_placement_is_unknown_never_a_rejection()
    {
        await using var rig = await OrderRig.StartAsync(NoPreCheck);
        rig.Exchange.FailNextRestCalls(1, 200, body: "{\"symbol\":\"BTCUSDT\",\"orderId\":");
        var request = OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m);

        var result = await rig.Channel.PlaceAsync(request, CancellationToken.None);

        Assert.Equal((ChannelOutcome.Unknown, ChannelReasons.Unknown), (result.Outcome, result.Code));
        Assert.StartsWith("unreadable answer", result.Detail);
        Assert.Single(rig.Exchange.RestRequests, r => r.Path == "/api/v3/order" && r.Query.Length == 0); // the one POST, never a second
    }

    [Fact]
    public async Task Queries_are_retried_on_5xx_then_unavailable_and_a_missing_order_is_null()
    {
        await using var rig = await OrderRig.StartAsync(retries: 2);
        var placed = (await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m), CancellationToken.None)).Order!;

        rig.Exchange.FailNextQueries(2);
        Assert.Equal(placed.ExchangeOrderId, (await rig.Channel.QueryAsync(rig.SpotBtc, placed.ClientOrderId, CancellationToken.None))!.ExchangeOrderId);

        rig.Exchange.FailNextQueries(3);
        var e = await Assert.ThrowsAsync<ChannelUnavailableException>(() => rig.Channel.QueryAsync(rig.SpotBtc, placed.ClientOrderId, CancellationToken.None));
        Assert.Equal(ChannelReasons.Unavailable, e.Code);
        Assert.Null(await rig.Channel.QueryAsync(rig.SpotBtc, ClientOrderId.For("no-such-intent"), CancellationToken.None));

        rig.Exchange.FailNextRestCalls(10, 500);
        await Assert.ThrowsAsync<ChannelUnavailableException>(() => rig.Channel.OpenOrdersAsync(rig.SpotBtc, CancellationToken.None));
        rig.Exchange.FailNextRestCalls(10, 500);
        await Assert.ThrowsAsync<ChannelUnavailableException>(() => rig.Channel.FillsAsync(rig.SpotBtc, DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None));
        rig.Exchange.FailNextRestCalls(10, 500);
        await Assert.ThrowsAsync<ChannelUnavailableException>(() => rig.Channel.HoldingsAsync(MarketKind.Futures, CancellationToken.None));
    }

    [Fact]
    public async Task When_the_pre_check_cannot_ask_nothing_is_sent()
    {
        await using var rig = await OrderRig.StartAsync();
        rig.Exchange.FailNextQueries(100);
        var request = OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m);

        var result = await rig.Channel.PlaceAsync(request, CancellationToken.None);

        Assert.Equal((ChannelOutcome.Rejected, ChannelReasons.Unavailable), (result.Outcome, result.Code));
        Assert.StartsWith("not sent: could not check whether", result.Detail);
        Assert.Equal(0, rig.Exchange.Orders.PlaceRequestCount(request.ClientOrderId));
    }

    [Theory]
    [InlineData(MarketKind.Spot, "-2010")]
    [InlineData(MarketKind.Futures, "-4116")]
    public async Task A_duplicate_client_order_id_returns_the_existing_order_and_the_exchange_still_holds_one(MarketKind market, string code)
    {
        await using var rig = await OrderRig.StartAsync(NoPreCheck);
        var instrument = market == MarketKind.Spot ? rig.SpotBtc : rig.FuturesBtc;
        var request = OrderRig.Market(instrument, OrderSide.Buy, 0.01m);

        var first = await rig.Channel.PlaceAsync(request, CancellationToken.None);
        var second = await rig.Channel.PlaceAsync(request, CancellationToken.None);

        Assert.Equal((ChannelOutcome.Known, ChannelOutcome.Known), (first.Outcome, second.Outcome));
        Assert.Equal(first.Order!.ExchangeOrderId, second.Order!.ExchangeOrderId);
        Assert.Equal(first.Order.Fills, second.Order.Fills);
        Assert.Equal((1, 2), (rig.Exchange.Orders.OrderCount(request.ClientOrderId), rig.Exchange.Orders.PlaceRequestCount(request.ClientOrderId)));
        Assert.Contains($"binance {code}", rig.Logger.All);
    }

    [Fact]
    public async Task Binance_takes_a_filled_orders_id_again_so_the_pre_check_is_what_keeps_one_order()
    {
        // The fake as real Binance documents it: a client order id is unique among OPEN orders only.
        await using var rig = await OrderRig.StartAsync(exchange: OrderRig.Options(amongOpenOnly: true));
        var request = OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m);

        var first = await rig.Channel.PlaceAsync(request, CancellationToken.None);
        var again = await rig.Channel.PlaceAsync(request, CancellationToken.None);
        Assert.Equal(first.Order!.ExchangeOrderId, again.Order!.ExchangeOrderId);
        Assert.Equal((1, 1), (rig.Exchange.Orders.OrderCount(request.ClientOrderId), rig.Exchange.Orders.PlaceRequestCount(request.ClientOrderId)));

        // Without it, the redelivered request would be a second order.
        var blind = rig.ChannelOn(rig.Rest, NoPreCheck);
        var second = await blind.PlaceAsync(request, CancellationToken.None);
        Assert.NotEqual(first.Order.ExchangeOrderId, second.Order!.ExchangeOrderId);
        Assert.Equal(2, rig.Exchange.Orders.OrderCount(request.ClientOrderId));
    }

    [Fact]
    public async Task Partial_fills_a_market_order_expires_its_rest_and_a_limit_order_rests_it()
    {
        await using var rig = await OrderRig.StartAsync();
        rig.Exchange.PartialFillNextOrders(2, 0.5m);

        var market = await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.02m), CancellationToken.None);
        Assert.Equal((OrderStatus.Expired, 0.01m), (market.Order!.Status, market.Order.ExecutedQuantity));
        Assert.Equal(0.01m, market.Order.Fills.Sum(f => f.Quantity));

        var price = rig.Book(rig.FuturesBtc).Asks[0].Price + 50 * rig.FuturesBtc.TickSize; // would fill whole but for the fault
        var limit = await rig.Channel.PlaceAsync(OrderRig.Limit(rig.FuturesBtc, OrderSide.Buy, 0.01m, price), CancellationToken.None);
        Assert.Equal((OrderStatus.PartiallyFilled, 0.005m), (limit.Order!.Status, limit.Order.ExecutedQuantity));
        Assert.Equal(0.005m, limit.Order.Fills.Sum(f => f.Quantity));
        Assert.Equal(limit.Order.ClientOrderId, Assert.Single(await rig.Channel.OpenOrdersAsync(rig.FuturesBtc, CancellationToken.None)).ClientOrderId);
    }

    [Fact]
    public async Task A_scripted_rejection_names_Binances_code_and_places_nothing()
    {
        await using var rig = await OrderRig.StartAsync();
        rig.Exchange.RejectNextOrders(1, -2019);
        var request = OrderRig.Market(rig.FuturesBtc, OrderSide.Buy, 0.01m);

        var result = await rig.Channel.PlaceAsync(request, CancellationToken.None);

        Assert.Equal((ChannelOutcome.Rejected, ChannelReasons.Rejected, "binance -2019: Margin is insufficient."), (result.Outcome, result.Code, result.Detail));
        Assert.Equal(0, rig.Exchange.Orders.OrderCount(request.ClientOrderId));
    }

    [Fact]
    public async Task A_ban_and_a_refused_connection_are_unavailable_with_nothing_placed()
    {
        await using var rig = await OrderRig.StartAsync(NoPreCheck);
        rig.Exchange.Ban(TimeSpan.FromMinutes(1));
        var banned = await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m), CancellationToken.None);
        Assert.Equal((ChannelOutcome.Rejected, ChannelReasons.Unavailable), (banned.Outcome, banned.Code));
        // Once banned, the client sends nothing until the ban is over.
        var before = rig.Exchange.RestRequests.Count;
        var still = await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m), CancellationToken.None);
        Assert.Equal(ChannelReasons.Unavailable, still.Code);
        Assert.Equal(before, rig.Exchange.RestRequests.Count);

        // A port nobody listens on: the connection fails before a byte of the order is written.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var nowhere = rig.ChannelOn(rig.Client(baseUri: new Uri($"http://127.0.0.1:{port}")), NoPreCheck);
        var refused = await nowhere.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m), CancellationToken.None);
        Assert.Equal((ChannelOutcome.Rejected, ChannelReasons.Unavailable), (refused.Outcome, refused.Code));
        Assert.Empty(rig.Exchange.Orders.Orders);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_by_the_fake_with_1022_and_no_secret_appears_anywhere()
    {
        await using var rig = await OrderRig.StartAsync(NoPreCheck, secret: OrderRig.WrongSecret);
        var request = OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m);

        var placed = await rig.Channel.PlaceAsync(request, CancellationToken.None);
        var checkedFirst = await rig.ChannelOn(rig.Rest).PlaceAsync(request, CancellationToken.None);
        var query = await Assert.ThrowsAsync<ChannelUnavailableException>(() => rig.Channel.QueryAsync(rig.SpotBtc, request.ClientOrderId, CancellationToken.None));
        var holdings = await Assert.ThrowsAsync<ChannelUnavailableException>(() => rig.Channel.HoldingsAsync(MarketKind.Spot, CancellationToken.None));
        var cancel = await rig.Channel.CancelAsync(rig.SpotBtc, request.ClientOrderId, CancellationToken.None);

        Assert.Equal((ChannelOutcome.Rejected, "binance -1022: Signature for this request is not valid."), (placed.Outcome, placed.Detail));
        Assert.Equal(ChannelOutcome.Rejected, checkedFirst.Outcome);
        Assert.Contains("-1022", checkedFirst.Detail);
        Assert.Contains("-1022", query.Message);
        Assert.Equal(ChannelOutcome.Rejected, cancel.Outcome);
        Assert.Empty(rig.Exchange.Orders.Orders);
        Assert.All(rig.Exchange.RestRequests.Where(r => r.Path.Contains("order", StringComparison.OrdinalIgnoreCase)), r => Assert.Equal(400, r.Status));
        rig.AssertNoSecrets(placed.Detail, checkedFirst.Detail, query.ToString(), holdings.ToString(), cancel.Detail);
    }

    [Fact]
    public async Task Faults_leave_no_secret_in_results_exceptions_or_logs()
    {
        await using var rig = await OrderRig.StartAsync(NoPreCheck);
        rig.Exchange.FailAfterAcceptNextOrders(1);
        rig.Exchange.FailNextQueries(1000);
        var unknown = await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m), CancellationToken.None);
        var unavailable = await Assert.ThrowsAsync<ChannelUnavailableException>(() => rig.Channel.QueryAsync(rig.SpotBtc, ClientOrderId.For("x"), CancellationToken.None));
        rig.Exchange.ClearOrderFaults();
        rig.Exchange.RateLimitNextOrders(1);
        var limited = await rig.Channel.PlaceAsync(OrderRig.Market(rig.SpotBtc, OrderSide.Buy, 0.01m), CancellationToken.None);

        Assert.Equal((ChannelOutcome.Unknown, ChannelOutcome.Rejected), (unknown.Outcome, limited.Outcome));
        Assert.NotEmpty(rig.Logger.Lines);
        rig.AssertNoSecrets(unknown.Detail, unavailable.ToString(), limited.Detail);
    }
}
