using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Strategy;

/// <summary>
/// One rule of a <see cref="RuleSet"/>: when every condition holds on one of its instruments, open
/// <see cref="Quantity"/> on <see cref="Side"/>, unless the rule fired on that instrument less than
/// <see cref="Cooldown"/> ago or <see cref="MaxOpen"/> of its instruments already hold a position.
/// Built only by <see cref="RuleSet.Parse"/>, so every rule in hand has linted.
/// </summary>
public sealed class StrategyRule
{
    internal StrategyRule(string id, MarketKind market, IReadOnlyList<Instrument> instruments, IReadOnlyList<RuleCondition> when,
        OrderSide side, OrderType type, decimal quantity, int? limitOffsetTicks, decimal? stopLossPct, decimal? takeProfitPct,
        int cooldownSeconds, int maxOpen)
    {
        Id = id;
        Market = market;
        InstrumentArray = [.. instruments];
        Conditions = [.. when];
        Instruments = Array.AsReadOnly(InstrumentArray);
        When = Array.AsReadOnly(Conditions);
        Side = side;
        Type = type;
        Quantity = quantity;
        LimitOffsetTicks = limitOffsetTicks;
        StopLossPct = stopLossPct;
        TakeProfitPct = takeProfitPct;
        CooldownSeconds = cooldownSeconds;
        MaxOpen = maxOpen;
    }

    /// <summary><c>^[a-z0-9][a-z0-9-]{0,39}$</c>, unique in the set; part of every intent id the rule makes.</summary>
    public string Id { get; }
    public MarketKind Market { get; }
    /// <summary>The universe's instruments, ordered by symbol.</summary>
    public IReadOnlyList<Instrument> Instruments { get; }
    /// <summary>All must hold (AND), in this order.</summary>
    public IReadOnlyList<RuleCondition> When { get; }
    public OrderSide Side { get; }
    public OrderType Type { get; }
    /// <summary>On the step of every instrument of the rule.</summary>
    public decimal Quantity { get; }
    /// <summary>LIMIT only: ticks from the near touch towards the far one (buy: bid + n ticks; sell: ask − n ticks); negative stands back.</summary>
    public int? LimitOffsetTicks { get; }
    /// <summary>Percent of the entry the stop-loss is set against the position, in (0, 50]; null for none.</summary>
    public decimal? StopLossPct { get; }
    /// <summary>Percent of the entry the take-profit is set for the position, in (0, 50]; null for none.</summary>
    public decimal? TakeProfitPct { get; }
    public int CooldownSeconds { get; }
    public TimeSpan Cooldown => TimeSpan.FromSeconds(CooldownSeconds);
    /// <summary>At most this many of the rule's instruments may hold a position when it fires (≥ 1).</summary>
    public int MaxOpen { get; }

    public override string ToString() => Id;

    // Arrays for the per-event loops: iterating an IReadOnlyList through its interface allocates an enumerator.
    internal Instrument[] InstrumentArray { get; }
    internal RuleCondition[] Conditions { get; }
}
