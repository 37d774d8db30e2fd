using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Strategy;

/// <summary>
/// The prices of a rule's intent, all on the instrument's tick (none is moved when the tick is unknown, 0).
/// <list type="bullet">
/// <item>LIMIT: the near touch moved <c>limit_offset_ticks</c> towards the far one: a buy bids bid + n ticks, a sell
/// offers ask − n ticks; negative n stands back from the touch. The price never crosses the spread: a buy is capped at
/// the last tick below the ask and a sell at the first tick above the bid, so a LIMIT rule always rests (use MARKET to
/// take). With a one-tick spread any n ≥ 0 prices at the touch.</item>
/// <item>Entry reference: the limit price, or for MARKET the price it would take: the ask for a buy, the bid for a sell.</item>
/// <item>SL/TP: the entry moved by the percentages, rounded to the tick away from the entry (a buy's stop down and
/// target up, a sell's the other way), so neither is ever tighter than the rule asks.</item>
/// </list>
/// A price that comes out at or below 0 (a far negative offset, a percentage of a price a few ticks wide) means no intent.
/// </summary>
internal static class RulePricing
{
    public static bool TryPrice(StrategyRule rule, Instrument instrument, decimal bid, decimal ask,
        out decimal? limitPrice, out decimal? stopLoss, out decimal? takeProfit)
    {
        var buy = rule.Side == OrderSide.Buy;
        var tick = instrument.TickSize;
        (limitPrice, stopLoss, takeProfit) = (null, null, null);
        decimal entry;
        if (rule.Type == OrderType.Limit)
        {
            var move = (rule.LimitOffsetTicks ?? 0) * tick;
            entry = buy ? Tick(bid, tick, down: true) + move : Tick(ask, tick, down: false) - move;
            if (tick > 0)
                entry = buy ? Math.Min(entry, Tick(ask, tick, down: false) - tick) : Math.Max(entry, Tick(bid, tick, down: true) + tick);
            if (entry <= 0) return false;
            limitPrice = entry;
        }
        else entry = buy ? ask : bid;

        if (rule.StopLossPct is { } sl)
        {
            stopLoss = Tick(entry * (buy ? 1 - sl / 100m : 1 + sl / 100m), tick, down: buy);
            if (stopLoss <= 0) return false;
        }
        if (rule.TakeProfitPct is { } tp)
        {
            takeProfit = Tick(entry * (buy ? 1 + tp / 100m : 1 - tp / 100m), tick, down: !buy);
            if (takeProfit <= 0) return false;
        }
        return true;
    }

    private static decimal Tick(decimal price, decimal tick, bool down)
    {
        if (tick <= 0) return price;
        var ticks = price / tick;
        return (down ? Math.Floor(ticks) : Math.Ceiling(ticks)) * tick;
    }
}
