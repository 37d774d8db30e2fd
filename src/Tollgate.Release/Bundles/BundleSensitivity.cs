using System.Text.Json.Nodes;
using Tollgate.Markets.Strategy;

namespace Tollgate.Release.Bundles;

/// <summary>One side of a parameter's probe: the value tried, and the flip it caused against the unperturbed candidate, or why it was not tried.</summary>
/// <param name="FlipPct">Flipped points / decision points, rounded half to even to 6 places; null when skipped.</param>
/// <param name="Skipped">Why the value was not tried: outside the factor's declared range, a threshold the rules format refuses, a quantity that rounds to nothing.</param>
public sealed record Perturbation(decimal Value, decimal? FlipPct, int? FlippedPoints, string? Skipped);

/// <summary>
/// How one numeric parameter moves the candidate's decisions: the value × (1 + ε) and × (1 − ε), and the local
/// Lipschitz estimate max(flip_pct) / ε, in flip_pct per unit of relative change (1 means a 5% change flips 5% of the
/// decision points). Null when neither side could be tried.
/// </summary>
/// <param name="Parameter">Its JSON path in the bundle: <c>$.factors.size_mult.value</c>, <c>$.rules.rules[0].when[1]</c>.</param>
/// <param name="Description">The factor's name, or <c>{rule id}: {condition}</c>.</param>
public sealed record ParameterSensitivity(string Parameter, string Description, decimal Value, Perturbation Plus, Perturbation Minus, decimal? Lipschitz);

/// <summary>The candidate's sensitivity (seed 002 B.5: flip_pct and local Lipschitz per parameter) on one capture.</summary>
/// <param name="DecisionPoints">Eligible points on the candidate's instruments: every flip_pct's denominator.</param>
/// <param name="Decisions">The unperturbed candidate's decisions.</param>
/// <param name="MaxLipschitz">The largest estimate; null when no parameter could be probed.</param>
/// <param name="MostSensitive">The parameter it belongs to (the first listed on a tie).</param>
public sealed record SensitivityReport(
    string BundleRev, string RulesRev, CaptureSummary Capture, decimal Epsilon, int DecisionPoints, int Decisions,
    IReadOnlyList<ParameterSensitivity> Parameters, decimal? MaxLipschitz, string? MostSensitive)
{
    public string ToJson() => ReportJson.Write(ToNode());

    internal JsonObject ToNode() => new()
    {
        ["bundle_rev"] = BundleRev,
        ["rules_rev"] = RulesRev,
        ["capture"] = ReportJson.Capture(Capture),
        ["epsilon"] = ReportJson.Decimal(Epsilon),
        ["decision_points"] = DecisionPoints,
        ["decisions"] = Decisions,
        ["parameters"] = new JsonArray([.. Parameters.Select(p => (JsonNode)new JsonObject
        {
            ["parameter"] = p.Parameter,
            ["description"] = p.Description,
            ["value"] = ReportJson.Decimal(p.Value),
            ["plus"] = Side(p.Plus),
            ["minus"] = Side(p.Minus),
            ["lipschitz"] = ReportJson.Decimal(p.Lipschitz),
        })]),
        ["max_lipschitz"] = ReportJson.Decimal(MaxLipschitz),
        ["most_sensitive"] = MostSensitive,
    };

    private static JsonObject Side(Perturbation side) => new()
    {
        ["value"] = ReportJson.Decimal(side.Value),
        ["flip_pct"] = ReportJson.Decimal(side.FlipPct),
        ["flipped_points"] = side.FlippedPoints,
        ["skipped"] = side.Skipped,
    };
}

/// <summary>
/// Perturbs each numeric parameter of a candidate bundle, one at a time and both ways by a relative ε (each factor
/// within its declared range, each decimal condition threshold of each rule), and measures how far the decisions
/// move against the unperturbed candidate. The outcome measure is flip_pct (<see cref="SimulationReport.FlipPct"/>'s
/// definition), so a size factor, which changes sizes and not decisions, has a Lipschitz estimate of 0. Every variant
/// runs in the same single pass over the capture as the unperturbed candidate. A threshold of 0 has no relative
/// neighbourhood and is not probed; regime conditions are not numeric.
/// </summary>
public static class BundleSensitivity
{
    /// <summary>5%: the relative step each parameter is moved by unless told otherwise.</summary>
    public const decimal DefaultEpsilon = 0.05m;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is not in (0, 1).</exception>
    /// <exception cref="BundleLintException">The candidate does not lint against the capture's instruments.</exception>
    public static SensitivityReport Run(SimulationCapture capture, ConfigBundle candidate, decimal epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(candidate);
        if (epsilon is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε is a relative change in (0, 1)");
        var bound = candidate.Bind(capture.Instruments);

        var probes = new List<Probe>();
        foreach (var factor in bound.Factors)
            probes.Add(FactorProbe(bound, factor, epsilon));
        for (var r = 0; r < bound.Rules.Rules.Count; r++)
        {
            var rule = bound.Rules.Rules[r];
            for (var c = 0; c < rule.When.Count; c++)
                if (rule.When[c].Feature != StrategyFeature.Regime) probes.Add(ThresholdProbe(bound, r, c, epsilon));
        }

        var variants = probes.SelectMany(p => new[] { p.Plus, p.Minus }).Where(v => v.Rules is not null).ToList();
        var pass = DecisionPass.Run(capture, [bound.EffectiveRules, .. variants.Select(v => v.Rules!)]);
        var baseline = pass.Tapes[0];
        var flips = new Dictionary<Variant, DecisionComparison>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < variants.Count; i++) flips[variants[i]] = pass.Compare(baseline, pass.Tapes[i + 1]);

        var parameters = probes.Select(p =>
        {
            var plus = Outcome(p.Plus, flips);
            var minus = Outcome(p.Minus, flips);
            var worst = new[] { plus.FlipPct, minus.FlipPct }.Where(f => f is not null).Max();
            decimal? lipschitz = worst is { } w ? PlainDecimal.Normalize(Math.Round(w / epsilon, 6, MidpointRounding.ToEven)) : null;
            return new ParameterSensitivity(p.Parameter, p.Description, p.Value, plus, minus, lipschitz);
        }).ToList();
        var max = parameters.Where(p => p.Lipschitz is not null).Select(p => p.Lipschitz).Max();
        return new SensitivityReport(bound.Rev, bound.EffectiveRules.Rev, pass.Capture, PlainDecimal.Normalize(epsilon),
            pass.EligiblePoints(baseline.Instruments), baseline.Decisions, parameters, max, parameters.FirstOrDefault(p => max is not null && p.Lipschitz == max)?.Parameter);
    }

    private static Probe FactorProbe(ConfigBundle bundle, BundleFactor factor, decimal epsilon)
    {
        Variant Try(decimal value)
        {
            value = PlainDecimal.Normalize(value);
            if (value < factor.Min || value > factor.Max)
                return new(value, null, $"outside the declared [{PlainDecimal.Canonical(factor.Min)}, {PlainDecimal.Canonical(factor.Max)}]");
            var problems = new List<BundleProblem>();
            var rules = factor.Name switch
            {
                BundleFactors.SizeMult => bundle.TryVary(value, null, problems),
                _ => throw new InvalidOperationException($"factor '{factor.Name}' has no transform to probe"),
            };
            return new(value, rules, rules is null ? string.Join("; ", problems.Select(p => p.Message)) : null);
        }
        return new($"$.factors.{factor.Name}.value", factor.Name, factor.Value, Try(factor.Value * (1 + epsilon)), Try(factor.Value * (1 - epsilon)));
    }

    private static Probe ThresholdProbe(ConfigBundle bundle, int rule, int condition, decimal epsilon)
    {
        var when = bundle.Rules.Rules[rule].When[condition];
        var threshold = when.Threshold;
        Variant Try(decimal value)
        {
            value = PlainDecimal.Normalize(value);
            if (threshold == 0) return new(value, null, "0 has no relative neighbourhood");
            var problems = new List<BundleProblem>();
            var rules = bundle.TryVary(bundle.SizeMult, new ThresholdChange(rule, condition, value), problems);
            return new(value, rules, rules is null ? string.Join("; ", problems.Select(p => $"{p.Code}: {p.Message}")) : null);
        }
        return new($"$.rules.rules[{rule}].when[{condition}]", $"{bundle.Rules.Rules[rule].Id}: {when.Text}", threshold,
            Try(threshold * (1 + epsilon)), Try(threshold * (1 - epsilon)));
    }

    private static Perturbation Outcome(Variant variant, Dictionary<Variant, DecisionComparison> flips) =>
        variant.Rules is null
            ? new Perturbation(variant.Value, null, null, variant.Skipped)
            : new Perturbation(variant.Value, flips[variant].FlipPct, flips[variant].FlippedPoints, null);

    /// <summary>One value tried: the rules it gives, or why there are none.</summary>
    private sealed record Variant(decimal Value, RuleSet? Rules, string? Skipped);

    private sealed record Probe(string Parameter, string Description, decimal Value, Variant Plus, Variant Minus);
}
