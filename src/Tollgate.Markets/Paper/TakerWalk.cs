using Tollgate.Markets.Events;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Paper;

/// <summary>One execution a taker walk found: a quantity at its price, slippage and tick already applied.</summary>
internal readonly record struct Take(decimal Quantity, decimal Price);

/// <summary>What an order arriving now would take from the opposite side of the book.</summary>
internal static class TakerWalk
{
    /// <param name="limit">Only levels at or better than it; and no take is priced worse than it. Null for a market order.</param>
    public static List<Take> Walk(Instrument instrument, BookTop top, OrderSide side, decimal quantity, decimal? limit, PaperSettings settings)
    {
        var takes = new List<Take>();
        IReadOnlyList<PriceLevel> levels = side == OrderSide.Buy ? top.Asks : top.Bids;
        var remaining = quantity;
        for (var i = 0; i < levels.Count && i < settings.Depth && remaining > 0; i++)
        {
            var level = levels[i];
            if (limit is { } l && (side == OrderSide.Buy ? level.Price > l : level.Price < l)) break;
            var take = Math.Min(remaining, PaperMath.FloorToStep(level.Quantity * settings.MaxParticipation, instrument.StepSize));
            if (take <= 0) continue;
            var price = PaperMath.AgainstTaker(level.Price, side, settings.SlippageBps, instrument.TickSize);
            // A live limit order never executes beyond its limit, however the book moved while it travelled.
            if (limit is { } cap) price = side == OrderSide.Buy ? Math.Min(price, cap) : Math.Max(price, cap);
            if (price <= 0) continue;
            takes.Add(new Take(take, price));
            remaining -= take;
        }
        return takes;
    }
}
