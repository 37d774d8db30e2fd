using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Positions;

/// <summary>Why a position asks to be closed.</summary>
public enum CloseReason : byte { StopLoss, TakeProfit }

/// <summary>
/// A USDⓈ-M futures position (seed 002 S6): signed quantity (long +, short −) at an average entry, with a fixed
/// stop-loss and take-profit set from the entry (e.g. 2% against, 4% for). A mark price through either asks for
/// one reduce-only market close, named deterministically so a repeated mark cannot ask twice.
/// </summary>
public sealed class FuturesPosition
{
    public FuturesPosition(Instrument instrument, decimal stopLossFraction, decimal takeProfitFraction)
    {
        if (instrument.Market != MarketKind.Futures) throw new ArgumentException($"{instrument.Key} is not a futures instrument", nameof(instrument));
        if (stopLossFraction is <= 0 or >= 1 || takeProfitFraction <= 0) throw new ArgumentOutOfRangeException(nameof(stopLossFraction), "0 < stop-loss < 1, take-profit > 0");
        Instrument = instrument;
        StopLossFraction = stopLossFraction;
        TakeProfitFraction = takeProfitFraction;
    }

    public Instrument Instrument { get; }
    public decimal StopLossFraction { get; }
    public decimal TakeProfitFraction { get; }
    public decimal Quantity { get; private set; }
    public decimal EntryPrice { get; private set; }
    public decimal RealizedPnl { get; private set; }
    /// <summary>How many times the position has been opened from flat: part of its close intents' ids.</summary>
    public int Generation { get; private set; }
    public CloseReason? ClosePending { get; private set; }

    private decimal? protectedStop, protectedTarget;
    private int closeRetries;

    public bool IsFlat => Quantity == 0;

    /// <summary>The stop-loss price, on the instrument's tick (rounded away from the entry's side so the stop is never tighter); null when flat.</summary>
    public decimal? StopLoss => IsFlat ? null : protectedStop ?? Tick(Quantity > 0 ? EntryPrice * (1 - StopLossFraction) : EntryPrice * (1 + StopLossFraction), down: Quantity > 0);
    public decimal? TakeProfit => IsFlat ? null : protectedTarget ?? Tick(Quantity > 0 ? EntryPrice * (1 + TakeProfitFraction) : EntryPrice * (1 - TakeProfitFraction), down: Quantity < 0);

    public decimal UnrealizedPnl(decimal mark) => Quantity * (mark - EntryPrice);

    /// <returns>The PnL the fill realized (when it reduced or flipped the position).</returns>
    public decimal OnFill(OrderSide side, decimal quantity, decimal price)
    {
        if (quantity <= 0 || price <= 0) throw new PositionException("POS-FILL", $"a fill needs a positive quantity and price (got {quantity} @ {price})");
        var signed = side == OrderSide.Buy ? quantity : -quantity;
        var realized = 0m;
        if (Quantity == 0 || Math.Sign(signed) == Math.Sign(Quantity))
        {
            if (Quantity == 0) { Generation++; closeRetries = 0; }
            EntryPrice = (EntryPrice * Math.Abs(Quantity) + price * quantity) / (Math.Abs(Quantity) + quantity);
            Quantity += signed;
        }
        else
        {
            var closed = Math.Min(quantity, Math.Abs(Quantity));
            realized = closed * (price - EntryPrice) * Math.Sign(Quantity);
            Quantity += signed;
            if (Quantity == 0) { EntryPrice = 0; ClosePending = null; protectedStop = protectedTarget = null; closeRetries = 0; }
            else if (Math.Sign(Quantity) == Math.Sign(signed)) { EntryPrice = price; Generation++; ClosePending = null; protectedStop = protectedTarget = null; closeRetries = 0; } // flipped: the rest opened anew
        }
        RealizedPnl += realized;
        return realized;
    }

    /// <summary>
    /// Fixes the stop-loss and take-profit of the open position at the prices the opening intent named, instead of
    /// the fractions of the entry; a null keeps the fraction's. Cleared when the position goes flat or flips.
    /// </summary>
    public void Protect(decimal? stopLoss, decimal? takeProfit)
    {
        if (IsFlat) return;
        protectedStop = stopLoss ?? protectedStop;
        protectedTarget = takeProfit ?? protectedTarget;
    }

    /// <summary>The pending close did not go (refused, expired): the next mark through the level asks again, under a new id.</summary>
    public void CloseFailed()
    {
        if (ClosePending is null) return;
        ClosePending = null;
        closeRetries++;
    }

    /// <summary>A close intent when <paramref name="mark"/> is through the stop-loss or take-profit and no close is pending; else null.</summary>
    public OrderIntent? OnMark(decimal mark, string configRev, DateTimeOffset at)
    {
        if (IsFlat || ClosePending is not null) return null;
        var isLong = Quantity > 0;
        CloseReason? reason = isLong
            ? mark <= StopLoss ? CloseReason.StopLoss : mark >= TakeProfit ? CloseReason.TakeProfit : null
            : mark >= StopLoss ? CloseReason.StopLoss : mark <= TakeProfit ? CloseReason.TakeProfit : null;
        if (reason is not { } r) return null;
        ClosePending = r;
        // A retry of a close that did not go needs its own id: the first one's is answered from its record.
        var id = $"{Instrument.Key}:pos{Generation}:close:{(r == CloseReason.StopLoss ? "sl" : "tp")}{(closeRetries > 0 ? $":r{closeRetries}" : "")}";
        return new OrderIntent(id, Instrument, isLong ? OrderSide.Sell : OrderSide.Buy, OrderType.Market, Math.Abs(Quantity), null, null, null, configRev, at, ReduceOnly: true);
    }

    private decimal Tick(decimal price, bool down)
    {
        var tick = Instrument.TickSize;
        if (tick <= 0) return price;
        var ticks = price / tick;
        return (down ? Math.Floor(ticks) : Math.Ceiling(ticks)) * tick;
    }
}
