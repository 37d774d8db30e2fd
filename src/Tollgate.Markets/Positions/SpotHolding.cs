using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Positions;

/// <summary>
/// A spot holding kept at weighted-average cost (seed 002 3.2): buys add their cost (fees included) to the basis,
/// sells take out the average cost of what they sell and realize the rest. Spot cannot go short: a sell of more
/// than is held is refused (<c>POS-OVERSELL</c>) and changes nothing.
/// </summary>
public sealed class SpotHolding(Instrument instrument)
{
    public Instrument Instrument { get; } = instrument;
    public decimal Quantity { get; private set; }
    /// <summary>What the quantity held cost, fees included, in the quote currency.</summary>
    public decimal CostBasis { get; private set; }
    public decimal RealizedPnl { get; private set; }
    public decimal FeesPaid { get; private set; }

    /// <summary>The weighted-average cost of one unit; 0 when nothing is held.</summary>
    public decimal AverageCost => Quantity == 0 ? 0 : CostBasis / Quantity;

    public decimal UnrealizedPnl(decimal mark) => Quantity * mark - CostBasis;

    /// <param name="fee">In the quote currency.</param>
    public void Buy(decimal quantity, decimal price, decimal fee = 0)
    {
        Check(quantity, price, fee);
        Quantity += quantity;
        CostBasis += quantity * price + fee;
        FeesPaid += fee;
    }

    /// <returns>The PnL this sale realized.</returns>
    /// <exception cref="PositionException">POS-OVERSELL: more than is held.</exception>
    public decimal Sell(decimal quantity, decimal price, decimal fee = 0)
    {
        Check(quantity, price, fee);
        if (quantity > Quantity) throw new PositionException("POS-OVERSELL", $"{Instrument.Key}: selling {quantity} of {Quantity} held");
        // The whole basis leaves with the last unit, so no rounding residue stays behind an empty holding.
        var cost = quantity == Quantity ? CostBasis : CostBasis * quantity / Quantity;
        var realized = quantity * price - fee - cost;
        Quantity -= quantity;
        CostBasis -= cost;
        RealizedPnl += realized;
        FeesPaid += fee;
        return realized;
    }

    private static void Check(decimal quantity, decimal price, decimal fee)
    {
        if (quantity <= 0 || price <= 0 || fee < 0) throw new PositionException("POS-FILL", $"a fill needs a positive quantity and price and a fee not below 0 (got {quantity} @ {price}, fee {fee})");
    }
}

/// <summary>A fill a position cannot take; nothing changed.</summary>
public sealed class PositionException(string code, string message) : InvalidOperationException($"{code}: {message}")
{
    public string Code { get; } = code;
}
