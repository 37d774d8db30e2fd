using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Positions;

namespace Tollgate.Markets.Tests.Positions;

/// <summary>Weighted-average cost, realized and unrealized PnL, and fixed SL/TP, against hand-computed cases.</summary>
public sealed class PositionTests
{
    private static readonly Instrument Spot = new(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m);
    private static readonly Instrument Perp = new(MarketKind.Futures, "BTCUSDT", 0.10m, 0.001m, 100m);
    private static readonly DateTimeOffset At = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Spot_weighted_average_cost_and_pnl()
    {
        var h = new SpotHolding(Spot);
        h.Buy(1m, 100m, fee: 1m);                  // basis 101
        h.Buy(3m, 120m, fee: 2m);                  // basis 101 + 362 = 463, avg 115.75
        Assert.Equal(4m, h.Quantity);
        Assert.Equal(463m, h.CostBasis);
        Assert.Equal(115.75m, h.AverageCost);
        Assert.Equal(4m * 130m - 463m, h.UnrealizedPnl(130m));   // 57
        var realized = h.Sell(2m, 130m, fee: 1.5m);              // 260 − 1.5 − 231.5 = 27
        Assert.Equal(27m, realized);
        Assert.Equal(231.5m, h.CostBasis);
        Assert.Equal(115.75m, h.AverageCost);                    // selling does not move the average
        Assert.Equal(2m * 110m - 231.5m, h.UnrealizedPnl(110m)); // −11.5
        Assert.Equal(2m * 110m - 1m - 231.5m, h.Sell(2m, 110m, fee: 1m));
        Assert.Equal(0m, h.Quantity);
        Assert.Equal(0m, h.CostBasis);
        Assert.Equal(27m - 12.5m, h.RealizedPnl);
        Assert.Equal(5.5m, h.FeesPaid);
    }

    [Fact]
    public void Spot_refuses_an_oversell_and_bad_fills_and_changes_nothing()
    {
        var h = new SpotHolding(Spot);
        h.Buy(1m, 100m);
        Assert.Equal("POS-OVERSELL", Assert.Throws<PositionException>(() => h.Sell(1.5m, 100m)).Code);
        Assert.Equal("POS-FILL", Assert.Throws<PositionException>(() => h.Buy(0m, 100m)).Code);
        Assert.Equal("POS-FILL", Assert.Throws<PositionException>(() => h.Buy(1m, -1m)).Code);
        Assert.Equal("POS-FILL", Assert.Throws<PositionException>(() => h.Sell(1m, 100m, fee: -1m)).Code);
        Assert.Equal((1m, 100m, 0m), (h.Quantity, h.CostBasis, h.RealizedPnl));
    }

    [Fact]
    public void Futures_average_entry_realized_pnl_and_a_flip()
    {
        var p = new FuturesPosition(Perp, 0.02m, 0.04m);
        p.OnFill(OrderSide.Buy, 0.1m, 60_000m);
        p.OnFill(OrderSide.Buy, 0.3m, 64_000m);                  // entry (6,000 + 19,200) / 0.4 = 63,000
        Assert.Equal(0.4m, p.Quantity);
        Assert.Equal(63_000m, p.EntryPrice);
        Assert.Equal(0.4m * 1_000m, p.UnrealizedPnl(64_000m));
        Assert.Equal(0.1m * 2_000m, p.OnFill(OrderSide.Sell, 0.1m, 65_000m)); // 200
        Assert.Equal(63_000m, p.EntryPrice);
        Assert.Equal(0.3m * -1_000m, p.OnFill(OrderSide.Sell, 0.5m, 62_000m)); // closes 0.3 at −1,000, opens 0.2 short
        Assert.Equal(-0.2m, p.Quantity);
        Assert.Equal(62_000m, p.EntryPrice);
        Assert.Equal(2, p.Generation);
        Assert.Equal(200m - 300m, p.RealizedPnl);
        Assert.Equal(-0.2m * (61_000m - 62_000m), p.UnrealizedPnl(61_000m)); // +200 for the short
    }

    [Fact]
    public void Stop_loss_and_take_profit_are_fixed_from_the_entry_on_the_tick_and_ask_for_one_reduce_only_close()
    {
        var p = new FuturesPosition(Perp, 0.02m, 0.04m);
        p.OnFill(OrderSide.Buy, 0.25m, 65_000.05m);
        Assert.Equal(63_700.0m, p.StopLoss);                     // 63,700.049 floored to the tick
        Assert.Equal(67_600.1m, p.TakeProfit);                   // 67,600.052 raised to the tick
        Assert.Null(p.OnMark(65_500m, "cfg-41", At));
        var close = p.OnMark(63_650m, "cfg-41", At);
        Assert.NotNull(close);
        Assert.Equal((OrderSide.Sell, OrderType.Market, 0.25m, true), (close.Side, close.Type, close.Quantity, close.ReduceOnly));
        Assert.Equal("FUT:BTCUSDT:pos1:close:sl", close.IntentId);
        Assert.Null(p.OnMark(63_000m, "cfg-41", At));            // pending: not asked twice
        p.OnFill(OrderSide.Sell, 0.25m, 63_640m);
        Assert.True(p.IsFlat);
        Assert.Null(p.ClosePending);

        var shortPosition = new FuturesPosition(Perp, 0.02m, 0.04m);
        shortPosition.OnFill(OrderSide.Sell, 0.1m, 50_000m);
        Assert.Equal(51_000m, shortPosition.StopLoss);
        Assert.Equal(48_000m, shortPosition.TakeProfit);
        var tp = shortPosition.OnMark(47_990m, "cfg-41", At);
        Assert.Equal(OrderSide.Buy, tp!.Side);
        Assert.EndsWith(":close:tp", tp.IntentId);
    }

    [Fact]
    public async Task One_instrument_has_one_lock_at_a_time()
    {
        var locks = new PositionLocks();
        var first = await locks.AcquireAsync(Perp, CancellationToken.None);
        var second = locks.AcquireAsync(Perp, CancellationToken.None).AsTask();
        var other = await locks.AcquireAsync(Spot, CancellationToken.None);
        Assert.False(second.IsCompleted);
        first.Dispose();
        first.Dispose(); // twice is harmless
        (await second).Dispose();
        other.Dispose();
    }
}
