namespace Tollgate.Markets.Orders;

/// <summary>
/// The order state machine as one table of (status, event) → status. Anything not in the table is an
/// <see cref="InvalidOrderTransitionException"/> naming both, never a silent change. The odd edges are real: a
/// fill can arrive for an order still SUBMITTED (the ACCEPTED answer was lost or overtaken), and a fill or an
/// expiry can arrive while a cancel is pending.
/// </summary>
public static class OrderStateMachine
{
    private static readonly Dictionary<(OrderStatus, OrderEventKind), OrderStatus> Table = new()
    {
        [(OrderStatus.Initialized, OrderEventKind.Submitted)] = OrderStatus.Submitted,
        [(OrderStatus.Initialized, OrderEventKind.Rejected)] = OrderStatus.Rejected, // refused before it was sent (risk, kill switch)

        [(OrderStatus.Submitted, OrderEventKind.Accepted)] = OrderStatus.Accepted,
        [(OrderStatus.Submitted, OrderEventKind.Rejected)] = OrderStatus.Rejected,
        [(OrderStatus.Submitted, OrderEventKind.PartiallyFilled)] = OrderStatus.PartiallyFilled, // real world: the NEW answer overtaken by a fill
        [(OrderStatus.Submitted, OrderEventKind.Filled)] = OrderStatus.Filled,                   // a market order's answer is often FILLED at once
        [(OrderStatus.Submitted, OrderEventKind.Canceled)] = OrderStatus.Canceled,               // IOC with nothing to match
        [(OrderStatus.Submitted, OrderEventKind.Expired)] = OrderStatus.Expired,
        [(OrderStatus.Submitted, OrderEventKind.CancelRequested)] = OrderStatus.PendingCancel,

        [(OrderStatus.Accepted, OrderEventKind.PartiallyFilled)] = OrderStatus.PartiallyFilled,
        [(OrderStatus.Accepted, OrderEventKind.Filled)] = OrderStatus.Filled,
        [(OrderStatus.Accepted, OrderEventKind.CancelRequested)] = OrderStatus.PendingCancel,
        [(OrderStatus.Accepted, OrderEventKind.Canceled)] = OrderStatus.Canceled, // canceled by the exchange (or by us, answer first)
        [(OrderStatus.Accepted, OrderEventKind.Expired)] = OrderStatus.Expired,

        [(OrderStatus.PartiallyFilled, OrderEventKind.PartiallyFilled)] = OrderStatus.PartiallyFilled,
        [(OrderStatus.PartiallyFilled, OrderEventKind.Filled)] = OrderStatus.Filled,
        [(OrderStatus.PartiallyFilled, OrderEventKind.CancelRequested)] = OrderStatus.PendingCancel,
        [(OrderStatus.PartiallyFilled, OrderEventKind.Canceled)] = OrderStatus.Canceled,
        [(OrderStatus.PartiallyFilled, OrderEventKind.Expired)] = OrderStatus.Expired,

        [(OrderStatus.PendingCancel, OrderEventKind.Canceled)] = OrderStatus.Canceled,
        [(OrderStatus.PendingCancel, OrderEventKind.PartiallyFilled)] = OrderStatus.PendingCancel, // fills race the cancel
        [(OrderStatus.PendingCancel, OrderEventKind.Filled)] = OrderStatus.Filled,
        [(OrderStatus.PendingCancel, OrderEventKind.Expired)] = OrderStatus.Expired,
    };

    /// <summary>Every (status, event) pair the table allows, for documentation and tests.</summary>
    public static IReadOnlyDictionary<(OrderStatus From, OrderEventKind Event), OrderStatus> Transitions => Table;

    /// <summary>The status after <paramref name="e"/>. A refused cancel leaves a pending cancel where it was before it.</summary>
    /// <param name="beforeCancel">For <see cref="OrderEventKind.CancelRejected"/>: the status the order had when the cancel was asked.</param>
    /// <exception cref="InvalidOrderTransitionException">The table has no such transition.</exception>
    public static OrderStatus Next(OrderStatus status, OrderEventKind e, OrderStatus? beforeCancel = null)
    {
        if (e == OrderEventKind.CancelRejected && status == OrderStatus.PendingCancel
            && beforeCancel is OrderStatus.Submitted or OrderStatus.Accepted or OrderStatus.PartiallyFilled)
            return beforeCancel.Value;
        return Table.TryGetValue((status, e), out var next) ? next : throw new InvalidOrderTransitionException(status, e);
    }
}

/// <summary>An event that cannot happen to an order in its status.</summary>
public sealed class InvalidOrderTransitionException(OrderStatus status, OrderEventKind e)
    : InvalidOperationException($"EXE-ORDER-TRANSITION: an order {status.Code()} cannot take {e}; the order is left {status.Code()}")
{
    public OrderStatus Status { get; } = status;
    public OrderEventKind Event { get; } = e;
}
