using Tollgate.Markets.Features;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Strategy;

/// <summary>
/// The rule strategy (seed 002 S3): on each feature event, tries the rules of the event's instrument in rule order
/// and decides at most once: the first rule whose conditions all hold, whose cooldown has passed since it last fired
/// on that instrument, and whose <see cref="StrategyRule.MaxOpen"/> is not reached, makes one opening intent.
/// <para>
/// Deterministic: time is the event's exchange time, else its ingest time, never the wall clock, and the intent id
/// is <c>{rev}:{rule id}:{instrument key}:{update id}</c>, so a replay of the same events decides the same intents
/// with the same ids, and an event delivered twice names one order (the router's idempotency does the rest). Two
/// events with one update id (a bar closing on an unchanged book) also share an intent id, and are one order.
/// </para>
/// <para>
/// Nothing fires without a two-sided book (bid ≤ 0 or ask ≤ bid): there is nothing to price the intent from, and every
/// price feature is missing. A condition on any other missing feature (imbalance before the depth book syncs, ATR
/// and volatility before enough bars, an UNKNOWN regime) does not hold.
/// </para>
/// <para>
/// Events are matched to rules by <see cref="Instrument.Key"/>; the intent carries the instrument of the universe the
/// rules were parsed against. Open positions are counted over the rule's instruments whoever opened them (the
/// position view does not attribute positions to rules): a rule with max_open 1 on one symbol fires only while it is flat.
/// </para>
/// <para>
/// Not thread-safe per instrument: calls for one instrument must not overlap (the router calls it from the
/// instrument's partition). Each instrument keeps its own cooldown state and the rule lookup is read-only, so
/// different instruments may be decided on different threads.
/// </para>
/// </summary>
public sealed class RuleStrategy
{
    private readonly Dictionary<string, Slot> slots = new(StringComparer.Ordinal);

    public RuleStrategy(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules;
        foreach (var instrument in rules.Rules.SelectMany(r => r.Instruments).Distinct())
            slots[instrument.Key] = new Slot(instrument, [.. rules.Rules.Where(r => r.InstrumentArray.Contains(instrument))]);
    }

    public RuleSet Rules { get; }

    /// <summary>The decision <paramref name="features"/> makes, or null when no rule fires.</summary>
    public StrategyDecision? OnFeatures(in FeatureEvent features, IPositionView positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (!slots.TryGetValue(features.Instrument.Key, out var slot) || !StrategyFeatures.HasBook(features)) return null;
        var at = features.ExchangeTime ?? features.IngestTime;
        for (var i = 0; i < slot.Rules.Length; i++)
        {
            var rule = slot.Rules[i];
            if (!AllHold(rule, features)) continue;
            // Time running backwards (streams interleaving) keeps a cooldown closed rather than opening it early.
            if (rule.CooldownSeconds > 0 && slot.LastFired[i] is { } last && at - last < rule.Cooldown) continue;
            if (!BelowMaxOpen(rule, positions)) continue;
            if (!RulePricing.TryPrice(rule, slot.Instrument, features.BidPrice, features.AskPrice, out var limit, out var stopLoss, out var takeProfit)) continue;
            slot.LastFired[i] = at;
            return Decide(rule, slot.Instrument, features, at, limit, stopLoss, takeProfit);
        }
        return null;
    }

    /// <summary><c>{rev}:{rule id}:{instrument key}:{update id}</c>; at most 6 + 16 + 40 + 25 + 20 + 3 = 110 characters, within the intent id's 128.</summary>
    public static string IntentId(string rev, string ruleId, Instrument instrument, long updateId) => $"{rev}:{ruleId}:{instrument.Key}:{updateId}";

    private static bool AllHold(StrategyRule rule, in FeatureEvent features)
    {
        foreach (var condition in rule.Conditions)
            if (!condition.Holds(features)) return false;
        return true;
    }

    private static bool BelowMaxOpen(StrategyRule rule, IPositionView positions)
    {
        var open = 0;
        foreach (var instrument in rule.InstrumentArray)
            if (positions.OpenQuantity(instrument) != 0 && ++open >= rule.MaxOpen) return false;
        return true;
    }

    private StrategyDecision Decide(StrategyRule rule, Instrument instrument, in FeatureEvent e, DateTimeOffset at,
        decimal? limit, decimal? stopLoss, decimal? takeProfit)
    {
        var id = IntentId(Rules.Rev, rule.Id, instrument, e.UpdateId);
        var intent = new OrderIntent(id, instrument, rule.Side, rule.Type, rule.Quantity, limit, stopLoss, takeProfit, Rules.Rev, at);
        var conditions = new ConditionResult[rule.When.Count];
        for (var i = 0; i < conditions.Length; i++)
            conditions[i] = new(rule.When[i].Text, rule.When[i].ObservedValue(e), rule.When[i].Holds(e));
        var record = new DecisionRecord(id, rule.Id, Rules.Rev, instrument.Key, at, e.UpdateId, e.Trigger, e.ExchangeTime, e.IngestTime,
            e.ConfigRev, DecisionRecord.Snapshot(e), e.Regime.Code, conditions);
        return new StrategyDecision(intent, record);
    }

    private sealed class Slot(Instrument instrument, StrategyRule[] rules)
    {
        public Instrument Instrument { get; } = instrument;
        public StrategyRule[] Rules { get; } = rules;
        /// <summary>When each rule last fired on the instrument (event time), by its index in <see cref="Rules"/>.</summary>
        public DateTimeOffset?[] LastFired { get; } = new DateTimeOffset?[rules.Length];
    }
}
