namespace Tollgate.Markets.Orders;

/// <summary>Where an order is in its life. Terminal: Filled, Rejected, Canceled, Expired.</summary>
public enum OrderStatus : byte
{
    Initialized,
    Submitted,
    Accepted,
    PartiallyFilled,
    Filled,
    PendingCancel,
    Rejected,
    Canceled,
    Expired,
}

/// <summary>What can happen to an order.</summary>
public enum OrderEventKind : byte
{
    /// <summary>Sent to the channel; its outcome is not known yet.</summary>
    Submitted,
    /// <summary>The channel has it (NEW on Binance).</summary>
    Accepted,
    /// <summary>Refused by risk, the kill switch, or the channel.</summary>
    Rejected,
    PartiallyFilled,
    Filled,
    CancelRequested,
    Canceled,
    /// <summary>A cancel the channel refused (the order had filled or gone): the order is what it was.</summary>
    CancelRejected,
    Expired,
}

public static class OrderStatuses
{
    public static bool IsTerminal(this OrderStatus status) =>
        status is OrderStatus.Filled or OrderStatus.Rejected or OrderStatus.Canceled or OrderStatus.Expired;

    /// <summary>SCREAMING_SNAKE, as orders are stored and shown (INITIALIZED, PARTIALLY_FILLED, ...).</summary>
    public static string Code(this OrderStatus status) => status switch
    {
        OrderStatus.Initialized => "INITIALIZED",
        OrderStatus.Submitted => "SUBMITTED",
        OrderStatus.Accepted => "ACCEPTED",
        OrderStatus.PartiallyFilled => "PARTIALLY_FILLED",
        OrderStatus.Filled => "FILLED",
        OrderStatus.PendingCancel => "PENDING_CANCEL",
        OrderStatus.Rejected => "REJECTED",
        OrderStatus.Canceled => "CANCELED",
        OrderStatus.Expired => "EXPIRED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
