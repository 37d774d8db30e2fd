using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Execution;

/// <summary>
/// Where an intent's order stands after a routing step, as published on the order-results stream.
/// <see cref="Replayed"/> says the intent had been routed before and this is the recorded result, not a new order.
/// </summary>
public sealed record RouteResult(
    string IntentId, string ClientOrderId, string InstrumentKey, OrderStatus Status, string? Reason, string Detail,
    decimal Quantity, decimal ExecutedQuantity, decimal? AveragePrice, string ConfigRev, string Environment, string Channel,
    bool Replayed, DateTimeOffset At)
{
    public static RouteResult From(StoredOrder stored, bool replayed)
    {
        var o = stored.Order;
        var last = stored.Last;
        var reason = stored.Events.LastOrDefault(e => e.Reason is not null)?.Reason;
        return new RouteResult(o.IntentId, o.ClientOrderId, o.InstrumentKey, last.Status, reason, last.Detail, o.Quantity,
            last.ExecutedQuantity, last.AveragePrice, o.ConfigRev, o.Environment, o.Channel, replayed, last.At);
    }
}

/// <summary>The router's own reason codes (intent, risk and channel codes are in their own tables).</summary>
public static class ExecutionReasons
{
    /// <summary>The kill switch is engaged: nothing new is sent.</summary>
    public const string Kill = "EXE-KILL";
    /// <summary>The pre-execution log could not be written, so the order was not sent (SYS-AUDIT).</summary>
    public const string AuditUnavailable = "EXE-AUDIT-UNAVAILABLE";
    /// <summary>An order whose outcome was unknown was queried until the channel said, every time, that it does not have it: it was never placed.</summary>
    public const string NotFound = "EXE-ORDER-NOT-FOUND";
    /// <summary>A previous run recorded the order but stopped before sending it (no SUBMITTED): it never left, and is not sent late.</summary>
    public const string Abandoned = "EXE-ORDER-ABANDONED";
    /// <summary>An order stuck in SUBMITTED could not be queried after every retry: its status is unknown, reconciliation must settle it.</summary>
    public const string InFlightStuck = "EXE-INFLIGHT-STUCK";
    /// <summary>The channel reported a change the order state machine does not allow; recorded, not applied.</summary>
    public const string Transition = "EXE-ORDER-TRANSITION";
    /// <summary>A position could not take a fill (spot oversell); the fill is recorded, the position left as it was.</summary>
    public const string Position = "EXE-POSITION";
    /// <summary>Reconciliation found the exchange and Tollgate disagreeing beyond the threshold (P0): the kill switch is engaged.</summary>
    public const string ReconFail = "EXE-RECON-FAIL";
}
