using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Paper;

internal static class PaperMath
{
    private const decimal BpsPerUnit = 10_000m;

    /// <summary>
    /// <paramref name="price"/> moved <paramref name="slippageBps"/> against the taker and put on the tick against
    /// the taker too (a buy up, a sell down), so rounding never makes paper look better than the book.
    /// </summary>
    public static decimal AgainstTaker(decimal price, OrderSide side, decimal slippageBps, decimal tick)
    {
        var buy = side == OrderSide.Buy;
        var moved = price * (buy ? 1 + slippageBps / BpsPerUnit : 1 - slippageBps / BpsPerUnit);
        if (tick <= 0) return moved;
        var ticks = moved / tick;
        return (buy ? Math.Ceiling(ticks) : Math.Floor(ticks)) * tick;
    }

    /// <summary>Down to a whole number of steps, so every paper fill is a quantity the exchange could have filled.</summary>
    public static decimal FloorToStep(decimal quantity, decimal step) => step <= 0 ? quantity : Math.Floor(quantity / step) * step;

    public static decimal Fee(decimal quantity, decimal price, decimal bps) => quantity * price * bps / BpsPerUnit;
}
