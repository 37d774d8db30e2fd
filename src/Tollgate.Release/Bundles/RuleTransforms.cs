using System.Text.Json.Nodes;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Strategy;

namespace Tollgate.Release.Bundles;

/// <summary>One condition threshold of a rule set replaced: rule <see cref="Rule"/>, condition <see cref="Condition"/> (indexes as written).</summary>
internal readonly record struct ThresholdChange(int Rule, int Condition, decimal Threshold);

/// <summary>
/// Builds the rule set a bundle trades from the rules it holds: <see cref="BundleFactors.SizeMult"/> applied to every
/// quantity and, for a sensitivity probe, one threshold changed. The result is a rule set read back through
/// <see cref="RuleSet.Parse"/> from an edit of the rules' canonical JSON, so it is linted like any other and its rev
/// is what the Active Version Map names. (A rule set cannot be built any other way: its constructor is internal.)
/// </summary>
internal static class RuleTransforms
{
    public static string SizeMultPath => $"$.factors.{BundleFactors.SizeMult}.value";

    /// <summary>The rules with <paramref name="sizeMult"/> and <paramref name="change"/> applied, or null with the problems added.</summary>
    public static RuleSet? TryBuild(RuleSet rules, InstrumentTable universe, decimal sizeMult, ThresholdChange? change, List<BundleProblem> problems)
    {
        var before = problems.Count;
        var root = JsonNode.Parse(rules.Canonical)!.AsObject();
        var written = root["rules"]!.AsArray();
        for (var i = 0; i < rules.Rules.Count; i++)
        {
            var rule = rules.Rules[i];
            var step = rule.Instruments.Max(instrument => instrument.StepSize);
            var product = rule.Quantity * sizeMult;
            var quantity = step > 0 ? Math.Floor(product / step) * step : product;
            if (quantity <= 0)
                problems.Add(new(BundleReasons.Bounds, SizeMultPath,
                    $"rule '{rule.Id}': {PlainDecimal.Canonical(rule.Quantity)} × {PlainDecimal.Canonical(sizeMult)} leaves nothing on the step {PlainDecimal.Canonical(step)}"));
            else if (rule.Instruments.FirstOrDefault(instrument => !instrument.IsOnStep(quantity)) is { } off)
                problems.Add(new(BundleReasons.Bounds, SizeMultPath,
                    $"rule '{rule.Id}': {PlainDecimal.Canonical(rule.Quantity)} × {PlainDecimal.Canonical(sizeMult)} is {PlainDecimal.Canonical(quantity)}, off {off.Key}'s step {PlainDecimal.Canonical(off.StepSize)}"));
            else written[i]!["quantity"] = PlainDecimal.Canonical(quantity);
        }
        if (change is { } c)
        {
            var condition = rules.Rules[c.Rule].When[c.Condition];
            written[c.Rule]!["when"]![c.Condition] = $"{condition.Feature.Name()} {condition.Operator.Symbol()} {PlainDecimal.Canonical(c.Threshold)}";
        }
        if (problems.Count != before) return null;
        try { return RuleSet.Parse(root.ToJsonString(), universe); }
        catch (RuleSetException refused)
        {
            problems.AddRange(refused.Problems.Select(FromRules));
            return null;
        }
    }

    /// <summary>
    /// A rules problem as a bundle problem: the path moved under <c>$.rules</c>, and a symbol outside the universe the
    /// rules were linted against (the bundle's) named for what it is, <see cref="BundleReasons.Universe"/>.
    /// </summary>
    public static BundleProblem FromRules(RuleProblem problem) => problem.Code == RuleProblemCodes.Symbol
        ? new(BundleReasons.Universe, "$.rules" + problem.Path[1..], problem.Message)
        : new(problem.Code, "$.rules" + problem.Path[1..], problem.Message);
}
