using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Orders;

public enum OrderSide : byte { Buy, Sell }

/// <summary>Market orders first, then limit (seed 002 S4).</summary>
public enum OrderType : byte { Market, Limit }

/// <summary>
/// What a strategy wants done (seed 002 S3 → <c>ord:{cmd}:{market}</c>): one order, named by the strategy's
/// <see cref="IntentId"/>, which is what makes routing idempotent: the same intent id is the same order however
/// often it is delivered. Quantities and prices are exact decimals on the instrument's step and tick.
/// </summary>
/// <param name="IntentId">Unique per decision; the client order id is derived from it (<see cref="ClientOrderId"/>).</param>
/// <param name="LimitPrice">Required for <see cref="OrderType.Limit"/>, absent for <see cref="OrderType.Market"/>.</param>
/// <param name="StopLoss">A protective price below (buy) or above (sell) the entry; null for none.</param>
/// <param name="TakeProfit">A target price above (buy) or below (sell) the entry; null for none.</param>
/// <param name="ConfigRev">The config version whose rules decided it (the canary cohort).</param>
/// <param name="ReduceOnly">Closes or shrinks a position, never opens one (allowed when health is RED).</param>
public sealed record OrderIntent(
    string IntentId, Instrument Instrument, OrderSide Side, OrderType Type, decimal Quantity,
    decimal? LimitPrice, decimal? StopLoss, decimal? TakeProfit, string ConfigRev, DateTimeOffset DecidedAt,
    bool ReduceOnly = false);
