using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Binance.Tests.Orders;

/// <summary>Many placements at once, each intent several times over, some of them with lost answers: still one exchange order per intent.</summary>
public sealed class OrderConcurrencyTests
{
    [Fact]
    public async Task Concurrent_repeated_placements_with_faults_leave_exactly_one_exchange_order_per_intent()
    {
        await using var rig = await OrderRig.StartAsync();
        rig.Exchange.Step(10);
        rig.Exchange.FailAfterAcceptNextOrders(20);
        rig.Exchange.DropConnectionAfterAcceptNextOrders(10);
        var requests = Enumerable.Range(0, 150)
            .Select(i => i % 2 == 0
                ? OrderRig.Market(rig.SpotBtc, i % 4 == 0 ? OrderSide.Buy : OrderSide.Sell, 0.001m, intentId: $"burst-{i}")
                : OrderRig.Market(rig.FuturesBtc, OrderSide.Buy, 0.002m, intentId: $"burst-{i}"))
            .ToList();

        // Every intent three times over, all at once: a redelivery storm.
        var results = await Task.WhenAll(requests.SelectMany(r => Enumerable.Repeat(r, 3)).Select(r => Task.Run(() => rig.Channel.PlaceAsync(r, CancellationToken.None))));

        Assert.All(results, r => Assert.NotEqual(ChannelOutcome.Rejected, r.Outcome));
        foreach (var request in requests)
            Assert.Equal(1, rig.Exchange.Orders.OrderCount(request.ClientOrderId));
        Assert.Equal(requests.Count, rig.Exchange.Orders.Orders.Count);
        // Every Known answer for one intent names the same exchange order.
        foreach (var group in results.Where(r => r.Outcome == ChannelOutcome.Known).GroupBy(r => r.Order!.ClientOrderId))
            Assert.Single(group.Select(r => r.Order!.ExchangeOrderId).Distinct());
        // Those left Unknown are there to be found.
        foreach (var unknown in requests.Where(r => results.All(x => x.Order?.ClientOrderId != r.ClientOrderId)))
            Assert.NotNull(await rig.Channel.QueryAsync(unknown.Instrument, unknown.ClientOrderId, CancellationToken.None));
        Assert.Equal(75 * 0.002m, rig.Exchange.Orders.Position("BTCUSDT").Amount);
    }
}
