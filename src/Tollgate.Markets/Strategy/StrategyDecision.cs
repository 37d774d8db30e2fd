using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Strategy;

/// <summary>What one feature event made the strategy do: the intent to route and the record of why, for the audit ledger.</summary>
public sealed record StrategyDecision(OrderIntent Intent, DecisionRecord Record);
