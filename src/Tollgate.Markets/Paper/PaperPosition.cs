using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Paper;

/// <summary>A signed futures position (long +, short −) at its weighted-average entry.</summary>
internal sealed class PaperPosition(Instrument instrument)
{
    public Instrument Instrument { get; } = instrument;
    public decimal Quantity { get; private set; }
    public decimal EntryPrice { get; private set; }

    /// <returns>The PnL realized by the part of <paramref name="signedQuantity"/> that closed the position.</returns>
    public decimal Apply(decimal signedQuantity, decimal price)
    {
        if (Quantity == 0 || Math.Sign(signedQuantity) == Math.Sign(Quantity))
        {
            EntryPrice = (EntryPrice * Math.Abs(Quantity) + price * Math.Abs(signedQuantity)) / (Math.Abs(Quantity) + Math.Abs(signedQuantity));
            Quantity += signedQuantity;
            return 0;
        }
        var closed = Math.Min(Math.Abs(signedQuantity), Math.Abs(Quantity));
        var realized = closed * (price - EntryPrice) * Math.Sign(Quantity);
        Quantity += signedQuantity;
        if (Quantity == 0) EntryPrice = 0;
        else if (Math.Sign(Quantity) == Math.Sign(signedQuantity)) EntryPrice = price; // flipped: what is left opened at this price
        return realized;
    }
}
