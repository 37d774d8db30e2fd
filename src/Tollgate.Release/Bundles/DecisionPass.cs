using Tollgate.Markets.Features;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Strategy;

namespace Tollgate.Release.Bundles;

/// <summary>
/// Where a decision can be made: an instrument at one order book update id. Two events with one update id (a bar
/// closing on an unchanged book) are one point, as they are one intent id and one order (<see cref="RuleStrategy"/>);
/// the rule that decided is not part of it, so the same decision under two revs or two rule ids is the same decision.
/// </summary>
internal readonly record struct DecisionPoint(string Instrument, long UpdateId);

/// <summary>What one rule set decided at one point: the quantity of its buy and of its sell, null where it took no such side.</summary>
internal readonly record struct PointDecision(decimal? Buy, decimal? Sell)
{
    public int Sides => (Buy is null ? 0 : 1) + (Sell is null ? 0 : 1);
    public decimal? Of(OrderSide side) => side == OrderSide.Buy ? Buy : Sell;
}

/// <summary>
/// One rule set's decisions over a pass. The strategy sees every feature event of the capture and a flat position
/// book: the simulation compares what the rules decide, not what the order path makes of it, so
/// <see cref="StrategyRule.MaxOpen"/> (which gates on filled positions, hence on the venue) never binds here, while
/// cooldowns, the strategy's own state on the capture's clock, do. The dry-run's paper pass is where positions count.
/// </summary>
internal sealed class DecisionTape(RuleSet rules)
{
    private static readonly FlatPositions Flat = new();
    private readonly RuleStrategy strategy = new(rules);

    public RuleSet Rules { get; } = rules;
    public IReadOnlySet<string> Instruments { get; } = rules.Rules.SelectMany(r => r.Instruments).Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
    public Dictionary<DecisionPoint, PointDecision> Points { get; } = [];
    /// <summary>Decisions by (instrument, update id, side): one per side taken at a point.</summary>
    public int Decisions { get; private set; }

    public void Observe(in FeatureEvent features)
    {
        if (strategy.OnFeatures(features, Flat) is not { } decision) return;
        var point = new DecisionPoint(decision.Record.InstrumentKey, decision.Record.UpdateId);
        var taken = Points.GetValueOrDefault(point);
        var intent = decision.Intent;
        // A second event at the point on the same side is the same intent id, the same order: the first decides its size.
        if (taken.Of(intent.Side) is not null) return;
        Points[point] = intent.Side == OrderSide.Buy ? taken with { Buy = intent.Quantity } : taken with { Sell = intent.Quantity };
        Decisions++;
    }

    private sealed class FlatPositions : IPositionView
    {
        public decimal OpenQuantity(Instrument instrument) => 0;
    }
}

/// <summary>
/// One pass over a capture with several rule sets in lockstep: each feature event is decoded once and shown to every
/// rule set, so a comparison of N variants costs one decode. Eligible points are the distinct points with a two-sided,
/// uncrossed book on an instrument some rule set trades (nothing can fire elsewhere).
/// </summary>
internal sealed class DecisionPass
{
    private readonly Dictionary<string, HashSet<long>> eligible = new(StringComparer.Ordinal);

    private DecisionPass(IReadOnlyList<DecisionTape> tapes) => Tapes = tapes;

    public IReadOnlyList<DecisionTape> Tapes { get; }
    public CaptureSummary Capture { get; private set; } = null!;

    public static DecisionPass Run(SimulationCapture capture, IReadOnlyList<RuleSet> ruleSets)
    {
        var pass = new DecisionPass([.. ruleSets.Select(r => new DecisionTape(r))]);
        var traded = pass.Tapes.SelectMany(t => t.Instruments).ToHashSet(StringComparer.Ordinal);
        var counts = new PassCounts();
        foreach (var e in capture.FeatureEvents(counts))
        {
            if (traded.Contains(e.Instrument.Key) && StrategyFeatures.HasBook(e))
            {
                if (!pass.eligible.TryGetValue(e.Instrument.Key, out var ids)) pass.eligible[e.Instrument.Key] = ids = [];
                ids.Add(e.UpdateId);
            }
            foreach (var tape in pass.Tapes) tape.Observe(e);
        }
        pass.Capture = capture.Summary(counts.Frames, counts.FeatureEvents);
        return pass;
    }

    /// <summary>Eligible points on <paramref name="instruments"/>.</summary>
    public int EligiblePoints(IEnumerable<string> instruments) => instruments.Distinct(StringComparer.Ordinal).Sum(key => eligible.GetValueOrDefault(key)?.Count ?? 0);

    /// <summary>
    /// <paramref name="other"/> against <paramref name="baseline"/>, point by point over the eligible points of either's
    /// instruments. A point flips when one acts and the other does not, or both act on different sides.
    /// </summary>
    public DecisionComparison Compare(DecisionTape baseline, DecisionTape other)
    {
        int common = 0, union = 0, flipped = 0, onlyBaseline = 0, onlyOther = 0, sidesDiffer = 0, larger = 0, smaller = 0;
        foreach (var point in baseline.Points.Keys.Union(other.Points.Keys))
        {
            var a = baseline.Points.GetValueOrDefault(point);
            var b = other.Points.GetValueOrDefault(point);
            foreach (var side in (ReadOnlySpan<OrderSide>)[OrderSide.Buy, OrderSide.Sell])
            {
                var (qa, qb) = (a.Of(side), b.Of(side));
                if (qa is null && qb is null) continue;
                union++;
                if (qa is not { } x || qb is not { } y) continue;
                common++;
                if (y > x) larger++;
                else if (y < x) smaller++;
            }
            if ((a.Buy is null) == (b.Buy is null) && (a.Sell is null) == (b.Sell is null)) continue;
            flipped++;
            if (a.Sides == 0) onlyOther++;
            else if (b.Sides == 0) onlyBaseline++;
            else sidesDiffer++;
        }
        return new DecisionComparison(EligiblePoints(baseline.Instruments.Concat(other.Instruments)), baseline.Decisions, other.Decisions,
            common, union, flipped, onlyBaseline, onlyOther, sidesDiffer, larger, smaller);
    }
}

/// <summary>
/// Two decision tapes compared. Decisions are keyed by (instrument, update id, side), so <see cref="Jaccard"/> is
/// |A ∩ B| / |A ∪ B| of those keys (1 when neither decided: two empty sets are equal); <see cref="FlipPct"/> is the
/// share of the eligible points whose decision differs (0 without points). Ratios are rounded half to even to 6 places.
/// </summary>
internal readonly record struct DecisionComparison(
    int Points, int BaselineDecisions, int OtherDecisions, int Common, int Union, int FlippedPoints,
    int OnlyBaselineActs, int OnlyOtherActs, int SidesDiffer, int Larger, int Smaller)
{
    public decimal Jaccard => PlainDecimal.Ratio(Common, Union, 1m);
    public decimal FlipPct => PlainDecimal.Ratio(FlippedPoints, Points, 0m);
    /// <summary>Of the decisions both made, the share where the other's quantity is larger (seed 002's size_mult &gt; 1 ratio); 0 when they share none.</summary>
    public decimal LargerSizeRatio => PlainDecimal.Ratio(Larger, Common, 0m);
}
