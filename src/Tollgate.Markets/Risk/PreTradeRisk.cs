using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Risk;

/// <summary>What risk knows about the instrument and the account when an order is checked.</summary>
/// <param name="BestBid">The synced book's best bid; null without one.</param>
/// <param name="Position">The instrument's signed position (long +, short −).</param>
/// <param name="OpenPositions">Open positions on the instrument (the concurrency counter).</param>
/// <param name="MarginInUse">Margin the open futures positions use.</param>
public readonly record struct RiskContext(decimal? BestBid, decimal? BestAsk, decimal Position, int OpenPositions, decimal MarginInUse, HealthLevel Health, DateTimeOffset Now);

/// <summary>The verdict: refused with a reason, or passed with the quantity to send (health may shrink it).</summary>
public readonly record struct RiskDecision(RiskRefusal Refusal, decimal Quantity, string Detail)
{
    public bool Passed => Refusal == RiskRefusal.None;
}

/// <summary>
/// The pre-trade risk gateway: each check refuses with its reason and stops, or passes the order on, in a fixed
/// order (health, size, price, rate, exposure, duplicates). A passed order is counted against the throttles and
/// remembered for duplicate detection only when <see cref="Commit"/> says it was sent, so a check alone changes
/// nothing. Not thread-safe: the router calls it from one partition at a time, or under a lock.
/// </summary>
public sealed class PreTradeRisk(IReadOnlyDictionary<Instrument, RiskLimits> limits, GlobalRiskLimits global)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly TimeSpan longestDuplicateWindow = limits.Values.Select(l => l.DuplicateWindow).DefaultIfEmpty(TimeSpan.Zero).Max();
    private readonly Queue<DateTimeOffset> allSent = new();
    private readonly Dictionary<Instrument, Queue<DateTimeOffset>> sentBy = new(ReferenceEqualityComparer.Instance);
    private readonly List<(OrderIntent Intent, DateTimeOffset At)> recent = [];

    /// <summary>The same limits for every instrument of the routed universe (the host's and a replay's configuration).</summary>
    public static PreTradeRisk Uniform(InstrumentTable universe, RiskLimits limits, GlobalRiskLimits global) =>
        new(universe.All.ToDictionary(i => i, _ => limits, (IEqualityComparer<Instrument>)ReferenceEqualityComparer.Instance), global);

    public RiskDecision Check(OrderIntent intent, in RiskContext context)
    {
        if (!limits.TryGetValue(intent.Instrument, out var limit)) return Refuse(RiskRefusal.NoLimits, $"{intent.Instrument.Key} has no risk limits");
        var opening = !intent.ReduceOnly;
        if (opening && context.Health == HealthLevel.Red) return Refuse(RiskRefusal.HealthRed, "health is RED: only reducing orders");

        var quantity = opening ? RoundToStep(intent.Quantity * context.Health.SizeMultiplier(), intent.Instrument.StepSize) : intent.Quantity;
        if (quantity <= 0) return Refuse(RiskRefusal.MaxQuantity, $"health {context.Health} leaves nothing of {intent.Quantity}");
        if (quantity > limit.MaxOrderQuantity) return Refuse(RiskRefusal.MaxQuantity, $"{quantity} over {limit.MaxOrderQuantity}");

        if (context.BestBid is not { } bid || context.BestAsk is not { } ask || bid <= 0 || ask <= bid)
            return Refuse(RiskRefusal.NoBook, "no synced top of book");
        var buy = intent.Side == OrderSide.Buy;
        var price = intent.LimitPrice ?? (buy ? ask : bid);
        var notional = quantity * price;
        if (notional > limit.MaxOrderNotional) return Refuse(RiskRefusal.MaxNotional, $"{notional} over {limit.MaxOrderNotional}");
        if (intent.LimitPrice is { } limitPrice)
        {
            // A buy may not bid more than the collar above the ask; a sell may not offer more than it below the bid.
            var band = (bid + ask) / 2 * limit.CollarBps / 10_000m;
            if (buy ? limitPrice > ask + band : limitPrice < bid - band)
                return Refuse(RiskRefusal.Collar, $"{limitPrice} is more than {limit.CollarBps} bps through the {(buy ? "ask" : "bid")}");
        }

        Expire(context.Now);
        if (sentBy.TryGetValue(intent.Instrument, out var sent) && sent.Count >= limit.MaxOrdersPerSecond)
            return Refuse(RiskRefusal.ThrottleSymbol, $"{sent.Count} orders in the last second on {intent.Instrument.Key}");
        if (allSent.Count >= global.MaxOrdersPerSecond) return Refuse(RiskRefusal.ThrottleGlobal, $"{allSent.Count} orders in the last second");

        var after = context.Position + (buy ? quantity : -quantity);
        if (intent.Instrument.Market == MarketKind.Spot && after < 0)
            return Refuse(RiskRefusal.Position, $"spot cannot go short: selling {quantity} of {context.Position} held");
        if (intent.ReduceOnly && (Math.Abs(after) > Math.Abs(context.Position) || Math.Sign(after) == -Math.Sign(context.Position) && after != 0))
            return Refuse(RiskRefusal.Position, $"reduce-only {intent.Side} {quantity} would not reduce the position {context.Position}");
        if (Math.Abs(after) > limit.MaxPositionQuantity && Math.Abs(after) > Math.Abs(context.Position))
            return Refuse(RiskRefusal.Position, $"position {after} over {limit.MaxPositionQuantity}");
        if (opening && context.Position == 0 && context.OpenPositions >= limit.MaxConcurrentPositions)
            return Refuse(RiskRefusal.Concurrency, $"{context.OpenPositions} open position(s), limit {limit.MaxConcurrentPositions}");
        if (intent.Instrument.Market == MarketKind.Futures && opening)
        {
            var margin = notional / limit.Leverage;
            if (context.MarginInUse + margin > global.MarginBudget)
                return Refuse(RiskRefusal.Margin, $"margin {context.MarginInUse} + {margin} over the budget {global.MarginBudget}");
        }

        // A duplicate is one rule set ordering the same thing twice. Two config revs deciding the same order (a canary
        // beside its baseline) are two decisions, each held to the position, notional and throttle limits above.
        foreach (var (other, at) in recent)
            if (context.Now - at <= limit.DuplicateWindow && other.IntentId != intent.IntentId && ReferenceEquals(other.Instrument, intent.Instrument)
                && other.ConfigRev == intent.ConfigRev && other.Side == intent.Side && other.Quantity == intent.Quantity && other.LimitPrice == intent.LimitPrice && other.Type == intent.Type)
                return Refuse(RiskRefusal.Duplicate, $"the same order as intent {other.IntentId} {(context.Now - at).TotalMilliseconds:0} ms ago");

        return new RiskDecision(RiskRefusal.None, quantity, "");
    }

    /// <summary>Counts an order that passed and was sent, at <paramref name="at"/>, against the throttles and for duplicates.</summary>
    public void Commit(OrderIntent intent, DateTimeOffset at)
    {
        allSent.Enqueue(at);
        if (!sentBy.TryGetValue(intent.Instrument, out var sent)) sentBy[intent.Instrument] = sent = new Queue<DateTimeOffset>();
        sent.Enqueue(at);
        recent.Add((intent, at));
    }

    private void Expire(DateTimeOffset now)
    {
        while (allSent.TryPeek(out var t) && now - t >= Second) allSent.Dequeue();
        foreach (var queue in sentBy.Values)
            while (queue.TryPeek(out var t) && now - t >= Second) queue.Dequeue();
        // Sent orders are remembered in the order they were sent: the old ones are a prefix.
        var old = 0;
        while (old < recent.Count && now - recent[old].At > longestDuplicateWindow) old++;
        recent.RemoveRange(0, old);
    }

    private static decimal RoundToStep(decimal quantity, decimal step) => step > 0 ? Math.Floor(quantity / step) * step : quantity;

    private static RiskDecision Refuse(RiskRefusal refusal, string detail) => new(refusal, 0, detail);
}
