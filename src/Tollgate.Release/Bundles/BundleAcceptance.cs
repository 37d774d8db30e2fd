using System.Text.Json.Nodes;

namespace Tollgate.Release.Bundles;

/// <summary>
/// The release policy a candidate bundle's simulation is judged by (seed 002 D: <c>/simulate</c> rejects flip_pct over
/// the threshold, a Jaccard index too low, bounds out of range). Every comparison is strict on the failing side: a
/// figure equal to its threshold passes.
/// </summary>
/// <param name="MaxFlipPct">Largest share of decision points the candidate may change, in [0, 1].</param>
/// <param name="MinJaccard">Smallest overlap of the candidate's decisions with the active rules', in [0, 1].</param>
/// <param name="MaxLipschitz">Largest local Lipschitz estimate (flip_pct per unit relative change) any parameter may have, ≥ 0.</param>
/// <param name="MinDecisions">Fewest decisions (active ∪ candidate) the capture must hold for its figures to count, ≥ 1: on a capture where neither decides, Jaccard 1 and flip 0 say nothing.</param>
/// <param name="MinSizeMult">The size multiplier's range the policy allows a bundle to declare; it contains 1, the rules' own sizes.</param>
public sealed record AcceptanceThresholds(decimal MaxFlipPct, decimal MinJaccard, decimal MaxLipschitz, int MinDecisions, decimal MinSizeMult, decimal MaxSizeMult)
{
    /// <exception cref="ArgumentException">A threshold is out of its range.</exception>
    public void Validate()
    {
        if (MaxFlipPct is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(MaxFlipPct), MaxFlipPct, "a share in [0, 1]");
        if (MinJaccard is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(MinJaccard), MinJaccard, "a Jaccard index in [0, 1]");
        if (MaxLipschitz < 0) throw new ArgumentOutOfRangeException(nameof(MaxLipschitz), MaxLipschitz, "a Lipschitz limit is not negative");
        if (MinDecisions < 1) throw new ArgumentOutOfRangeException(nameof(MinDecisions), MinDecisions, "at least one decision");
        if (MinSizeMult <= 0 || MinSizeMult > 1 || MaxSizeMult < 1)
            throw new ArgumentException($"the size multiplier range [{MinSizeMult}, {MaxSizeMult}] must be above 0 and contain 1");
    }

    internal JsonObject ToNode() => new()
    {
        ["max_flip_pct"] = ReportJson.Decimal(MaxFlipPct),
        ["min_jaccard"] = ReportJson.Decimal(MinJaccard),
        ["max_lipschitz"] = ReportJson.Decimal(MaxLipschitz),
        ["min_decisions"] = MinDecisions,
        ["min_size_mult"] = ReportJson.Decimal(MinSizeMult),
        ["max_size_mult"] = ReportJson.Decimal(MaxSizeMult),
    };
}

/// <summary>What the policy says of a candidate.</summary>
public enum BundleVerdict
{
    /// <summary>Every check passed: the candidate may go to Canary.</summary>
    Accepted,
    /// <summary>At least one check failed; <see cref="AcceptanceReport.Reasons"/> names each.</summary>
    Rejected,
}

/// <summary>
/// The verdict on a candidate with every figure it was reached from: the bundle, the policy, the simulation and the
/// sensitivity. <see cref="ToJson"/> is the audit ledger's record of it: a recomputation on the same capture (named by
/// its SHA-256) gives the same bytes.
/// </summary>
public sealed record AcceptanceReport(
    BundleVerdict Verdict, IReadOnlyList<BundleProblem> Reasons, string BundleRev, IReadOnlyList<BundleFactor> Factors,
    AcceptanceThresholds Thresholds, SimulationReport Simulation, SensitivityReport Sensitivity)
{
    /// <summary><c>ACCEPTED</c> or <c>REJECTED</c>.</summary>
    public string VerdictCode => Verdict == BundleVerdict.Accepted ? "ACCEPTED" : "REJECTED";

    public IReadOnlyList<string> ReasonCodes => [.. Reasons.Select(r => r.Code).Distinct(StringComparer.Ordinal)];

    public string ToJson()
    {
        var factors = new JsonObject();
        foreach (var factor in Factors)
            factors[factor.Name] = new JsonObject { ["value"] = ReportJson.Decimal(factor.Value), ["min"] = ReportJson.Decimal(factor.Min), ["max"] = ReportJson.Decimal(factor.Max) };
        return ReportJson.Write(new JsonObject
        {
            ["verdict"] = VerdictCode,
            ["reasons"] = ReportJson.Problems(Reasons),
            ["bundle_rev"] = BundleRev,
            ["rules_rev"] = Simulation.CandidateRulesRev,
            ["factors"] = factors,
            ["thresholds"] = Thresholds.ToNode(),
            ["simulation"] = Simulation.ToNode(),
            ["sensitivity"] = Sensitivity.ToNode(),
        });
    }
}

/// <summary>
/// Judges a candidate bundle's simulation and sensitivity against a release policy. Pure: no capture is read here,
/// only the reports, so the verdict can be recomputed from a recorded report. Reasons, all of them, in this order:
/// <list type="number">
/// <item><c>BUNDLE-BOUNDS</c>: the bundle declares a size multiplier range reaching outside the policy's.</item>
/// <item><c>BUNDLE-NO-EVIDENCE</c>: fewer than <see cref="AcceptanceThresholds.MinDecisions"/> decisions under either rule set.</item>
/// <item><c>BUNDLE-FLIP-HIGH</c>: flip_pct &gt; <see cref="AcceptanceThresholds.MaxFlipPct"/>.</item>
/// <item><c>BUNDLE-JACCARD-LOW</c>: Jaccard &lt; <see cref="AcceptanceThresholds.MinJaccard"/>.</item>
/// <item><c>BUNDLE-SENSITIVE</c>: the largest Lipschitz estimate &gt; <see cref="AcceptanceThresholds.MaxLipschitz"/> (none: nothing to be sensitive in).</item>
/// </list>
/// No reason: ACCEPTED; any: REJECTED.
/// </summary>
public static class BundleAcceptance
{
    /// <exception cref="ArgumentException">The reports are not of this candidate, or not of one capture; the thresholds are out of range.</exception>
    public static AcceptanceReport Evaluate(ConfigBundle candidate, SimulationReport simulation, SensitivityReport sensitivity, AcceptanceThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(sensitivity);
        ArgumentNullException.ThrowIfNull(thresholds);
        thresholds.Validate();
        if (simulation.CandidateBundleRev != candidate.Rev || sensitivity.BundleRev != candidate.Rev)
            throw new ArgumentException($"the reports are of {simulation.CandidateBundleRev} and {sensitivity.BundleRev}, not of the candidate {candidate.Rev}");
        if (simulation.Capture.Sha256 != sensitivity.Capture.Sha256)
            throw new ArgumentException("the simulation and the sensitivity were computed on different captures");

        var reasons = new List<BundleProblem>();
        if (candidate.Factors.FirstOrDefault(f => f.Name == BundleFactors.SizeMult) is { } sizeMult)
        {
            var path = $"$.factors.{BundleFactors.SizeMult}";
            if (sizeMult.Min < thresholds.MinSizeMult)
                reasons.Add(new(BundleReasons.Bounds, $"{path}.min", $"declared min {D(sizeMult.Min)} is below the policy's {D(thresholds.MinSizeMult)}"));
            if (sizeMult.Max > thresholds.MaxSizeMult)
                reasons.Add(new(BundleReasons.Bounds, $"{path}.max", $"declared max {D(sizeMult.Max)} is above the policy's {D(thresholds.MaxSizeMult)}"));
        }
        if (simulation.UnionDecisions < thresholds.MinDecisions)
            reasons.Add(new(BundleReasons.NoEvidence, "$", $"{simulation.UnionDecisions} decision(s) on the capture, fewer than {thresholds.MinDecisions}"));
        if (simulation.FlipPct > thresholds.MaxFlipPct)
            reasons.Add(new(BundleReasons.FlipHigh, "$", $"flip_pct {D(simulation.FlipPct)} ({simulation.FlippedPoints} of {simulation.DecisionPoints} points) is over {D(thresholds.MaxFlipPct)}"));
        if (simulation.Jaccard < thresholds.MinJaccard)
            reasons.Add(new(BundleReasons.JaccardLow, "$", $"Jaccard {D(simulation.Jaccard)} ({simulation.CommonDecisions} of {simulation.UnionDecisions} decisions) is below {D(thresholds.MinJaccard)}"));
        if (sensitivity.MaxLipschitz is { } max && max > thresholds.MaxLipschitz)
            reasons.Add(new(BundleReasons.Sensitive, sensitivity.MostSensitive ?? "$", $"local Lipschitz {D(max)} (flip_pct per unit relative change at ε {D(sensitivity.Epsilon)}) is over {D(thresholds.MaxLipschitz)}"));

        return new AcceptanceReport(reasons.Count == 0 ? BundleVerdict.Accepted : BundleVerdict.Rejected, reasons, candidate.Rev,
            candidate.Factors, thresholds, simulation, sensitivity);
    }

    private static string D(decimal value) => PlainDecimal.Canonical(value);
}
