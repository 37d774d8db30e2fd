using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Strategy;

namespace Tollgate.Markets.Positions;

/// <summary>What the book knows of an instrument for pre-trade risk.</summary>
public readonly record struct PositionFacts(decimal Position, int OpenPositions, decimal MarginInUse);

/// <summary>
/// Every position the order path holds: spot holdings at weighted-average cost and futures positions with fixed
/// SL/TP. Fills change it and each change is a numbered <see cref="PositionSnapshot"/>; marks ask for protective
/// closes. Spot protection is a client-side guardian stop with the prices of the opening intent (Paper, and
/// exchanges without OCO); futures use the position's own SL/TP. Callers hold the instrument's
/// <see cref="PositionLocks"/> lock while they change a position; reads of the book are safe at any time.
/// </summary>
public sealed class PositionBook(decimal stopLossFraction, decimal takeProfitFraction, IReadOnlyDictionary<Instrument, decimal>? leverage = null) : IPositionView
{
    private readonly Dictionary<Instrument, Entry> entries = new(ReferenceEqualityComparer.Instance);

    /// <summary>A book whose futures positions all use <paramref name="leverage"/> for their margin.</summary>
    public static PositionBook Uniform(InstrumentTable universe, decimal stopLossFraction, decimal takeProfitFraction, decimal leverage) =>
        new(stopLossFraction, takeProfitFraction, universe.All.ToDictionary(i => i, _ => leverage, (IEqualityComparer<Instrument>)ReferenceEqualityComparer.Instance));
    private readonly object gate = new();

    /// <summary>The signed open quantity (spot: the holding).</summary>
    public decimal OpenQuantity(Instrument instrument)
    {
        lock (gate) return entries.TryGetValue(instrument, out var e) ? e.Quantity : 0;
    }

    /// <summary>The instrument's realized PnL so far, in the quote asset.</summary>
    public decimal RealizedPnl(Instrument instrument)
    {
        lock (gate) return entries.TryGetValue(instrument, out var e) ? e.Futures?.RealizedPnl ?? e.Spot!.RealizedPnl : 0;
    }

    public PositionFacts Facts(Instrument instrument)
    {
        lock (gate)
        {
            var position = entries.TryGetValue(instrument, out var e) ? e.Quantity : 0;
            var margin = 0m;
            foreach (var (other, entry) in entries)
                if (entry.Futures is { IsFlat: false } f) margin += Math.Abs(f.Quantity) * f.EntryPrice / Leverage(other);
            return new PositionFacts(position, position != 0 ? 1 : 0, margin);
        }
    }

    /// <summary>Applies one fill and returns the position after it.</summary>
    /// <exception cref="PositionException">The position cannot take the fill (a spot oversell); nothing changed.</exception>
    public PositionSnapshot Apply(Instrument instrument, OrderSide side, decimal quantity, decimal price, decimal fee, string tradeId, DateTimeOffset at)
    {
        lock (gate)
        {
            var entry = EntryOf(instrument);
            if (entry.Futures is { } futures)
            {
                futures.OnFill(side, quantity, price);
                entry.FeesPaid += fee;
            }
            else
            {
                var spot = entry.Spot!;
                var wasFlat = spot.Quantity == 0;
                if (side == OrderSide.Buy) spot.Buy(quantity, price, fee);
                else spot.Sell(quantity, price, fee);
                if (wasFlat && spot.Quantity > 0) { entry.SpotGeneration++; entry.Guard = null; entry.ClosePending = false; entry.CloseRetries = 0; }
                if (spot.Quantity == 0) { entry.Guard = null; entry.ClosePending = false; entry.CloseRetries = 0; }
            }
            entry.Mark = price;
            return entry.Snapshot(++entry.Sequence, at, tradeId);
        }
    }

    /// <summary>Sets the protective prices of the open position from the intent that opened it.</summary>
    public void Protect(Instrument instrument, decimal? stopLoss, decimal? takeProfit)
    {
        if (stopLoss is null && takeProfit is null) return;
        lock (gate)
        {
            var entry = EntryOf(instrument);
            if (entry.Futures is { } futures) futures.Protect(stopLoss, takeProfit);
            else if (entry.Spot!.Quantity > 0) entry.Guard = (stopLoss ?? entry.Guard?.Stop, takeProfit ?? entry.Guard?.Target);
        }
    }

    /// <summary>A reduce-only close when <paramref name="mark"/> is through the position's stop-loss or take-profit, once per position; else null.</summary>
    public OrderIntent? OnMark(Instrument instrument, decimal mark, string configRev, DateTimeOffset at)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(instrument, out var entry)) return null;
            entry.Mark = mark;
            if (entry.Futures is { } futures) return futures.OnMark(mark, configRev, at);
            var spot = entry.Spot!;
            if (spot.Quantity == 0 || entry.ClosePending || entry.Guard is not { } guard) return null;
            string? reason = mark <= guard.Stop ? "sl" : mark >= guard.Target ? "tp" : null;
            if (reason is null) return null;
            entry.ClosePending = true;
            // A retry of a close that did not go needs its own id: the first one's is answered from its record.
            var retry = entry.CloseRetries > 0 ? $":r{entry.CloseRetries}" : "";
            return new OrderIntent($"{instrument.Key}:pos{entry.SpotGeneration}:close:{reason}{retry}", instrument, OrderSide.Sell, OrderType.Market,
                FloorToStep(spot.Quantity, instrument.StepSize), null, null, null, configRev, at, ReduceOnly: true);
        }
    }

    /// <summary>A close that did not go (refused, expired): the next mark through the level asks again, under a new id.</summary>
    public void CloseFailed(Instrument instrument)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(instrument, out var entry)) return;
            if (entry.Futures is { } futures) { futures.CloseFailed(); return; }
            if (!entry.ClosePending) return;
            entry.ClosePending = false;
            entry.CloseRetries++;
        }
    }

    /// <summary>Whether nothing has been applied yet (a restart rebuilds a fresh book from the recorded fills).</summary>
    public bool IsEmpty
    {
        get { lock (gate) return entries.Count == 0; }
    }

    /// <summary>The latest state of every position, marked at the last price seen, in instrument order.</summary>
    public IReadOnlyList<PositionSnapshot> Snapshots(DateTimeOffset at)
    {
        lock (gate)
            return [.. entries.OrderBy(e => e.Key.Key, StringComparer.Ordinal).Select(e => e.Value.Snapshot(e.Value.Sequence, at, "mark"))];
    }

    private decimal Leverage(Instrument instrument) => leverage?.GetValueOrDefault(instrument, 1m) is > 0 and var l ? l : 1m;

    private Entry EntryOf(Instrument instrument)
    {
        if (!entries.TryGetValue(instrument, out var entry))
            entries[instrument] = entry = instrument.Market == MarketKind.Futures
                ? new Entry(instrument, null, new FuturesPosition(instrument, stopLossFraction, takeProfitFraction))
                : new Entry(instrument, new SpotHolding(instrument), null);
        return entry;
    }

    private static decimal FloorToStep(decimal quantity, decimal step) => step > 0 ? Math.Floor(quantity / step) * step : quantity;

    private sealed class Entry(Instrument instrument, SpotHolding? spot, FuturesPosition? futures)
    {
        public readonly SpotHolding? Spot = spot;
        public readonly FuturesPosition? Futures = futures;
        public long Sequence;
        public decimal FeesPaid;
        public decimal? Mark;
        public int SpotGeneration;
        public (decimal? Stop, decimal? Target)? Guard;
        public bool ClosePending;
        public int CloseRetries;

        public decimal Quantity => Futures?.Quantity ?? Spot!.Quantity;

        public PositionSnapshot Snapshot(long sequence, DateTimeOffset at, string cause)
        {
            if (Futures is { } f)
                return new PositionSnapshot(instrument.Key, sequence, f.Quantity, f.EntryPrice, 0, f.RealizedPnl, FeesPaid, f.Generation,
                    Mark is { } m ? f.UnrealizedPnl(m) : null, Mark, at, cause);
            var s = Spot!;
            return new PositionSnapshot(instrument.Key, sequence, s.Quantity, s.AverageCost, s.CostBasis, s.RealizedPnl, s.FeesPaid, SpotGeneration,
                Mark is { } mark ? s.UnrealizedPnl(mark) : null, Mark, at, cause);
        }
    }
}
