using System.Collections.Concurrent;
using Tollgate.Markets.Events;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Tests.Paper;

/// <summary>Hand-built books; every <see cref="Set"/> is a new book update.</summary>
internal sealed class FakeBooks : IBookView
{
    private readonly ConcurrentDictionary<string, BookTop> tops = new();
    private long updates;

    public static readonly DateTimeOffset At = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    public void Set(Instrument instrument, (decimal Price, decimal Quantity)[] bids, (decimal Price, decimal Quantity)[] asks) =>
        tops[instrument.Key] = new BookTop(instrument, Interlocked.Increment(ref updates), At,
            bids.Select(l => new PriceLevel(l.Price, l.Quantity)).ToArray(), asks.Select(l => new PriceLevel(l.Price, l.Quantity)).ToArray());

    public void Remove(Instrument instrument) => tops.TryRemove(instrument.Key, out _);

    public BookTop? Top(Instrument instrument, int depth) =>
        tops.TryGetValue(instrument.Key, out var t) ? t with { Bids = t.Bids.Take(depth).ToArray(), Asks = t.Asks.Take(depth).ToArray() } : null;
}

/// <summary>A clock that moves only when told to.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public void Advance(TimeSpan by) => Now += by;
    public override DateTimeOffset GetUtcNow() => Now;
}

internal static class PaperRig
{
    public static readonly Instrument Spot = new(MarketKind.Spot, "BTCUSDT", 0.01m, 0.001m, 5m);
    public static readonly Instrument Perp = new(MarketKind.Futures, "BTCUSDT", 0.1m, 0.001m, 100m);

    public static OrderRequest Market(string intentId, Instrument on, OrderSide side, decimal quantity, bool reduceOnly = false) =>
        new(intentId, ClientOrderId.For(intentId), on, side, OrderType.Market, quantity, null, reduceOnly, "cfg-1");

    public static OrderRequest Limit(string intentId, Instrument on, OrderSide side, decimal quantity, decimal price, bool reduceOnly = false) =>
        new(intentId, ClientOrderId.For(intentId), on, side, OrderType.Limit, quantity, price, reduceOnly, "cfg-1");

    public static async Task<ChannelOrder> Known(this Task<ChannelResult> placing)
    {
        var result = await placing;
        Assert.True(result.Outcome == ChannelOutcome.Known, $"{result.Code}: {result.Detail}");
        return result.Order!;
    }

    public static async Task<string> Refused(this Task<ChannelResult> placing, string code = ChannelReasons.Rejected)
    {
        var result = await placing;
        Assert.Equal(ChannelOutcome.Rejected, result.Outcome);
        Assert.Null(result.Order);
        Assert.Equal(code, result.Code);
        return result.Detail!;
    }
}
