using System.Globalization;
using System.Text.RegularExpressions;
using Tollgate.Markets.Features;

namespace Tollgate.Markets.Strategy;

/// <summary>
/// One condition of a rule: <c>&lt;feature&gt; &lt;op&gt; &lt;value&gt;</c>, e.g. <c>spread_bps &lt; 10</c> or
/// <c>regime == CALM</c>. A condition on a missing feature (<see cref="StrategyFeatures.Value"/> null, or the regime
/// UNKNOWN) never holds, whatever the operator: a rule never fires on what is not known.
/// </summary>
public sealed partial class RuleCondition
{
    private RuleCondition(StrategyFeature feature, ConditionOperator op, decimal threshold, RegimeState regime)
    {
        Feature = feature;
        Operator = op;
        Threshold = threshold;
        Regime = regime;
        Text = $"{feature.Name()} {op.Symbol()} {(feature == StrategyFeature.Regime ? RegimeCode(regime) : DecimalText.Canonical(threshold))}";
    }

    public StrategyFeature Feature { get; }
    public ConditionOperator Operator { get; }
    /// <summary>The decimal compared against; 0 for a regime condition.</summary>
    public decimal Threshold { get; }
    /// <summary>The regime compared against; <see cref="RegimeState.Unknown"/> for a decimal condition.</summary>
    public RegimeState Regime { get; }
    /// <summary>The canonical text: single spaces, the value without trailing zeros (<c>imbalance &gt; 0.2</c>).</summary>
    public string Text { get; }

    /// <summary>Reads one condition, or throws <see cref="RuleSetException"/> with every problem in it.</summary>
    public static RuleCondition Parse(string text)
    {
        var problems = new List<RuleProblem>();
        return TryParse(text, "$", problems) ?? throw new RuleSetException(problems);
    }

    public bool Holds(in FeatureEvent e)
    {
        if (Feature == StrategyFeature.Regime)
        {
            var state = e.Regime.State;
            if (state == RegimeState.Unknown) return false;
            return Operator == ConditionOperator.Equal ? state == Regime : Operator == ConditionOperator.NotEqual && state != Regime;
        }
        if (Feature.Value(e) is not { } v) return false;
        return Operator switch
        {
            ConditionOperator.Less => v < Threshold,
            ConditionOperator.LessOrEqual => v <= Threshold,
            ConditionOperator.Greater => v > Threshold,
            ConditionOperator.GreaterOrEqual => v >= Threshold,
            ConditionOperator.Equal => v == Threshold,
            ConditionOperator.NotEqual => v != Threshold,
            _ => false,
        };
    }

    /// <summary>What the condition saw in <paramref name="e"/>, as text: the decimal (invariant), the regime code, or null when missing.</summary>
    public string? ObservedValue(in FeatureEvent e) => Feature == StrategyFeature.Regime
        ? e.Regime.State == RegimeState.Unknown ? null : e.Regime.Code
        : Feature.Value(e)?.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => Text;

    /// <summary>Reads <paramref name="text"/>, adding a problem for each part that is wrong (feature, operator and value are each checked).</summary>
    internal static RuleCondition? TryParse(string text, string path, List<RuleProblem> problems)
    {
        var match = Shape().Match(text);
        if (!match.Success)
        {
            problems.Add(new(RuleProblemCodes.Schema, path, $"'{text}' is not '<feature> <op> <value>'"));
            return null;
        }
        var (name, opText, valueText) = (match.Groups["f"].Value, match.Groups["op"].Value, match.Groups["v"].Value);
        var before = problems.Count;
        var known = StrategyFeatures.TryParse(name, out var feature);
        if (!known)
            problems.Add(new(RuleProblemCodes.Feature, path, $"unknown feature '{name}' (known: {string.Join(", ", StrategyFeatures.All.Select(f => f.Name()))})"));
        if (!StrategyFeatures.TryParseOperator(opText, out var op))
            problems.Add(new(RuleProblemCodes.Operator, path, $"unknown operator '{opText}' (known: < <= > >= == !=)"));
        else if (known && feature == StrategyFeature.Regime && op is not (ConditionOperator.Equal or ConditionOperator.NotEqual))
            problems.Add(new(RuleProblemCodes.Operator, path, $"regime is compared with == or != only, not '{opText}'"));

        var threshold = 0m;
        var regime = RegimeState.Unknown;
        if (known && feature == StrategyFeature.Regime)
        {
            if (!TryParseRegime(valueText, out regime))
                problems.Add(new(RuleProblemCodes.Value, path, $"'{valueText}' is not a regime (CALM, NORMAL, VOLATILE)"));
        }
        else if (!DecimalText.TryParse(valueText, out threshold))
            problems.Add(new(RuleProblemCodes.Value, path, $"'{valueText}' is not a plain decimal"));
        else if (known)
        {
            if (feature == StrategyFeature.Imbalance && threshold is < -1 or > 1)
                problems.Add(new(RuleProblemCodes.Bounds, path, $"imbalance is in [-1, 1]; {valueText} is outside it"));
            else if (feature is not (StrategyFeature.Imbalance or StrategyFeature.MicropriceEdgeBps) && threshold < 0)
                problems.Add(new(RuleProblemCodes.Bounds, path, $"{name} is never negative; {valueText} is"));
        }
        return problems.Count == before ? new RuleCondition(feature, op, threshold, regime) : null;
    }

    internal static string RegimeCode(RegimeState state) => new Features.Regime(state, null, null, 0).Code;

    private static bool TryParseRegime(string text, out RegimeState state)
    {
        foreach (var s in (ReadOnlySpan<RegimeState>)[RegimeState.Calm, RegimeState.Normal, RegimeState.Volatile])
            if (string.Equals(RegimeCode(s), text, StringComparison.OrdinalIgnoreCase)) { state = s; return true; }
        state = RegimeState.Unknown;
        return false;
    }

    // A feature identifier, an operator (a run of anything but word characters, points, signs and spaces), one value.
    [GeneratedRegex(@"^\s*(?<f>[A-Za-z_][A-Za-z0-9_]*)\s*(?<op>[^\sA-Za-z0-9_.+\-]+)\s*(?<v>\S+)\s*\z")]
    private static partial Regex Shape();
}
