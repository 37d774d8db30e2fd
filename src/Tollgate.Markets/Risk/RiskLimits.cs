namespace Tollgate.Markets.Risk;

/// <summary>
/// The pre-trade limits of one instrument (after SEC 15c3-5, the FIA's recommendations and MiFID II RTS 6): every
/// limit is checked before an order leaves, and any one of them refuses it. Part of the governed config.
/// </summary>
/// <param name="MaxOrderQuantity">Largest quantity of one order.</param>
/// <param name="MaxOrderNotional">Largest quantity × price of one order, in the quote currency.</param>
/// <param name="CollarBps">How far a limit price may be from the touch on the far side of the book, in basis points of the mid; a market order needs a book.</param>
/// <param name="MaxOrdersPerSecond">Orders per rolling second for this instrument.</param>
/// <param name="MaxPositionQuantity">Largest absolute position the order may leave (signed positions: long +, short −).</param>
/// <param name="MaxConcurrentPositions">Open positions allowed on this instrument at once (seed 002 A.2 <c>risk:{concurrency}:{symbol}</c>).</param>
/// <param name="Leverage">Notional per unit of margin (futures; 1 for spot).</param>
/// <param name="DuplicateWindow">A second order with the same instrument, side, quantity and price inside this window, under another intent id, is a duplicate.</param>
public sealed record RiskLimits(
    decimal MaxOrderQuantity, decimal MaxOrderNotional, decimal CollarBps, int MaxOrdersPerSecond,
    decimal MaxPositionQuantity, int MaxConcurrentPositions, decimal Leverage, TimeSpan DuplicateWindow)
{
    public void Validate()
    {
        if (MaxOrderQuantity <= 0 || MaxOrderNotional <= 0 || CollarBps <= 0 || MaxOrdersPerSecond < 1 || MaxPositionQuantity <= 0
            || MaxConcurrentPositions < 1 || Leverage < 1 || DuplicateWindow < TimeSpan.Zero)
            throw new ArgumentException($"risk limits out of range: {this}");
    }
}

/// <summary>Limits across all instruments.</summary>
/// <param name="MaxOrdersPerSecond">Orders per rolling second in all.</param>
/// <param name="MarginBudget">Margin all open futures positions and this order may use (seed 002 A.2 <c>risk:{budget}:fut_margin:cap</c>).</param>
public sealed record GlobalRiskLimits(int MaxOrdersPerSecond, decimal MarginBudget);
