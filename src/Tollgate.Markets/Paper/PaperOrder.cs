using System.Globalization;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Paper;

/// <summary>One paper order as it changes; callers only ever see its <see cref="Snapshot"/>.</summary>
internal sealed class PaperOrder(OrderRequest request, long number, long bookUpdateId, DateTimeOffset at)
{
    private readonly List<ChannelFill> fills = [];

    public OrderRequest Request { get; } = request;

    /// <summary>Placement order within the instrument: the exchange order id and the time priority of resting orders.</summary>
    public long Number { get; } = number;

    public OrderStatus Status { get; set; } = OrderStatus.Submitted;
    public decimal Executed { get; private set; }
    public decimal CumulativeQuote { get; private set; }
    public decimal Remaining => Request.Quantity - Executed;
    public DateTimeOffset UpdatedAt { get; set; } = at;

    /// <summary>
    /// The last book update this order was matched against: the liquidity one update shows is offered to an order
    /// once, so neither a repeated OnBook nor the book it was placed on fills it twice.
    /// </summary>
    public long SeenUpdateId { get; set; } = bookUpdateId;

    /// <summary>Spot only: what a resting order holds back from its asset's free balance until it fills or ends.</summary>
    public string? LockedAsset { get; set; }
    public decimal Locked { get; set; }

    public void Record(ChannelFill fill)
    {
        fills.Add(fill);
        Executed += fill.Quantity;
        CumulativeQuote += fill.Quantity * fill.Price;
        UpdatedAt = fill.At;
    }

    public ChannelOrder Snapshot() => new(
        Request.ClientOrderId, Number.ToString(CultureInfo.InvariantCulture), Request.Instrument, Request.Side, Request.Type, Status,
        Request.Quantity, Request.LimitPrice, Executed, CumulativeQuote, fills.ToArray(), UpdatedAt);
}
