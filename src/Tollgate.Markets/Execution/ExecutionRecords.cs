using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Execution;

/// <summary>
/// One routed intent as stored: what was asked, under which rules, in which environment and channel. Written once,
/// when routing decides; its life is the <see cref="OrderEventRecord"/>s after it.
/// </summary>
/// <param name="Quantity">What was sent (risk may have shrunk the intent's quantity); the intent's own when refused.</param>
/// <param name="MidAtSend">The book's mid when the order was sent (seed 002 A.3); every fill's slippage is measured against it, also after a restart.</param>
/// <param name="BookTop3">The top three levels each side when it was sent.</param>
public sealed record OrderRecord(
    string IntentId, string ClientOrderId, string InstrumentKey, OrderSide Side, OrderType Type, decimal Quantity,
    decimal? LimitPrice, decimal? StopLoss, decimal? TakeProfit, bool ReduceOnly, string ConfigRev, string Environment, string Channel,
    DateTimeOffset DecidedAt, DateTimeOffset RoutedAt, decimal? MidAtSend = null, string BookTop3 = "");

/// <summary>
/// One step of an order's life, numbered from 0 (INITIALIZED, with the routing steps that led to it). Insert-only:
/// event <see cref="Sequence"/> of an order is written once, so two writers racing for it cannot both win.
/// </summary>
/// <param name="Reason">A reason code for refusals and marks (EXE-KILL, RISK-COLLAR, EXE-CHANNEL-UNKNOWN, ...); null otherwise.</param>
/// <param name="Detail">Human-readable: the routing steps for event 0, the exchange's message, what a query found.</param>
public sealed record OrderEventRecord(
    string ClientOrderId, int Sequence, OrderStatus Status, DateTimeOffset At, string? Reason, string Detail,
    decimal ExecutedQuantity, decimal? AveragePrice, string? ExchangeOrderId);

/// <summary>
/// One execution, with what the book looked like when the order was sent (seed 002 A.3): the mid at send, the top
/// three levels each side, and the slippage of this fill against that mid, in basis points, signed so that a
/// positive value is a cost to us.
/// </summary>
public sealed record FillRecord(
    string ClientOrderId, string IntentId, string TradeId, string InstrumentKey, OrderSide Side, decimal Quantity, decimal Price,
    decimal Fee, string FeeAsset, bool IsMaker, DateTimeOffset At, decimal? MidAtSend, string BookTop3, decimal? SlippageBps, string ConfigRev);

/// <summary>
/// A position after a change, numbered per instrument; insert-only, so the history of a position is its snapshots.
/// A projection: a restart rebuilds positions from the fills, which are the record.
/// </summary>
/// <param name="AveragePrice">Spot: weighted-average cost per unit (fees in); futures: entry price.</param>
/// <param name="CostBasis">Spot: what the holding cost, exactly; futures: 0.</param>
/// <param name="Generation">How often the position has opened from flat: part of its close intents' ids.</param>
/// <param name="Cause">The trade id of the fill that changed it.</param>
public sealed record PositionSnapshot(
    string InstrumentKey, long Sequence, decimal Quantity, decimal AveragePrice, decimal CostBasis, decimal RealizedPnl, decimal FeesPaid,
    int Generation, decimal? UnrealizedPnl, decimal? Mark, DateTimeOffset At, string Cause);

/// <summary>An order and every event recorded for it, in sequence order.</summary>
public sealed record StoredOrder(OrderRecord Order, IReadOnlyList<OrderEventRecord> Events)
{
    public OrderEventRecord Last => Events[^1];
    public OrderStatus Status => Last.Status;
}
