using System.Globalization;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Paper;

/// <summary>
/// The paper orders and fills of one instrument: every order by client order id (which is what makes a repeated
/// placement the same order), the resting ones, and the counters that number orders and trades.
/// </summary>
internal sealed class PaperOrderBook(Instrument instrument)
{
    private readonly Dictionary<string, PaperOrder> byClientId = new(StringComparer.Ordinal);
    private readonly List<PaperOrder> resting = [];
    private readonly List<ChannelFill> fills = [];
    private long orders;
    private long trades;

    public Instrument Instrument { get; } = instrument;

    public bool HasResting => resting.Count > 0;

    /// <summary>How many orders the book knows (open or ended).</summary>
    public int Orders => byClientId.Count;

    public PaperOrder? Find(string clientOrderId) => byClientId.GetValueOrDefault(clientOrderId);

    public long NextOrderNumber() => ++orders;

    public string NextTradeId() => (++trades).ToString(CultureInfo.InvariantCulture);

    /// <summary>Keeps the order; an open one rests until it fills or is canceled.</summary>
    public void Add(PaperOrder order)
    {
        byClientId.Add(order.Request.ClientOrderId, order);
        if (!order.Status.IsTerminal()) resting.Add(order);
    }

    public void Recorded(ChannelFill fill) => fills.Add(fill);

    /// <summary>Restore: keeps an order under the number it had, and numbers the next order after it.</summary>
    public void Restore(PaperOrder order)
    {
        Add(order);
        orders = Math.Max(orders, order.Number);
    }

    /// <summary>Restore: keeps a recorded fill and numbers the next trade after it; false when its id is not a trade number.</summary>
    public bool RestoreFill(ChannelFill fill)
    {
        fills.Add(fill);
        if (!long.TryParse(fill.TradeId, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        trades = Math.Max(trades, number);
        return true;
    }

    public void Ended(PaperOrder order) => resting.Remove(order);

    /// <summary>Open orders in placement order.</summary>
    public IReadOnlyList<PaperOrder> Open => resting;

    /// <summary>Resting orders of one side in price-time priority: the best limit first, then the earliest.</summary>
    public List<PaperOrder> InPriority(OrderSide side)
    {
        var sideOrders = resting.Where(o => o.Request.Side == side);
        var byPrice = side == OrderSide.Buy
            ? sideOrders.OrderByDescending(o => o.Request.LimitPrice)
            : sideOrders.OrderBy(o => o.Request.LimitPrice);
        return byPrice.ThenBy(o => o.Number).ToList();
    }

    public IReadOnlyList<ChannelFill> FillsSince(DateTimeOffset since) => fills.Where(f => f.At >= since).ToArray();
}
