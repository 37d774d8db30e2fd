using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Strategy;

namespace Tollgate.Release.Bundles;

/// <summary>
/// The dry-run and the simulation of a candidate bundle (seed 002 Phase 5: Lint → Dry-run → simulation +
/// sensitivity → Canary). Both replay a recorded capture on its own clock and are deterministic: the same capture,
/// rules and bundle give the same report, byte for byte. Each binds what it replays to the capture's instruments
/// first (<see cref="ConfigBundle.Bind"/>, <see cref="RuleSet.Parse"/>), so quantities are checked against the filters
/// the capture was recorded under, and a capture that lacks an instrument of the bundle's universe or of the active
/// rules is refused with that lint's problems.
/// </summary>
public static class BundleSimulation
{
    /// <summary>
    /// The candidate alone through the whole paper order path (strategy, router, risk, Paper, positions,
    /// reconciliation): lint passed (a <see cref="ConfigBundle"/> in hand has), does it run, how many decisions and
    /// orders, what was refused and why, how it filled.
    /// </summary>
    /// <exception cref="BundleLintException">The candidate does not lint against the capture's instruments.</exception>
    public static async Task<DryRunReport> DryRunAsync(SimulationCapture capture, ConfigBundle candidate, PaperReplayOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(candidate);
        var bound = candidate.Bind(capture.Instruments);
        var rev = bound.EffectiveRules.Rev;
        var run = await capture.PaperRunAsync(bound.EffectiveRules, options ?? PaperReplayOptions.Default, cancellationToken);
        var cohort = run.Cohorts.FirstOrDefault(c => c.ConfigRev == rev);
        var orders = run.Orders.Where(o => o.Order.ConfigRev == rev).ToList();
        var byStatus = orders.GroupBy(o => o.Status.Code(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var refusals = orders.Where(o => o.Status == OrderStatus.Rejected)
            .GroupBy(o => o.Last.Reason ?? "?", StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var fills = run.Fills.Where(f => f.ConfigRev == rev).ToList();
        return new DryRunReport(bound.Rev, rev, capture.Summary(run.Frames, run.FeatureEvents), run.Decisions, run.Closes, orders.Count,
            byStatus, refusals, fills.Count, fills.Sum(f => f.Quantity), cohort?.SlippageBpsMean, cohort?.FillRatio, run.Reconciliation.ReasonCodes);
    }

    /// <summary>
    /// The active rules and the candidate's effective rules over the capture in one pass, compared decision by decision
    /// (<see cref="SimulationReport"/> defines every figure). Pass the active bundle's <see cref="ConfigBundle.EffectiveRules"/>
    /// when the active config is a bundle.
    /// </summary>
    /// <exception cref="BundleLintException">The candidate does not lint against the capture's instruments.</exception>
    /// <exception cref="RuleSetException">The active rules do not lint against the capture's instruments.</exception>
    public static SimulationReport Simulate(SimulationCapture capture, RuleSet active, ConfigBundle candidate)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(active);
        ArgumentNullException.ThrowIfNull(candidate);
        var bound = candidate.Bind(capture.Instruments);
        var activeRules = RuleSet.Parse(active.Canonical, capture.Instruments);
        var pass = DecisionPass.Run(capture, [activeRules, bound.EffectiveRules]);
        var (activeTape, candidateTape) = (pass.Tapes[0], pass.Tapes[1]);
        var compared = pass.Compare(activeTape, candidateTape);
        var eligible = pass.EligiblePoints(candidateTape.Instruments);
        var decided = candidateTape.Points.Count;
        return new SimulationReport(activeRules.Rev, bound.Rev, bound.EffectiveRules.Rev, pass.Capture,
            compared.Points, eligible, compared.BaselineDecisions, compared.OtherDecisions, decided,
            compared.Common, compared.Union, compared.FlippedPoints, compared.OnlyBaselineActs, compared.OnlyOtherActs, compared.SidesDiffer,
            compared.Larger, compared.Smaller, compared.Jaccard, compared.FlipPct, PlainDecimal.Ratio(eligible - decided, eligible, 0m), compared.LargerSizeRatio);
    }
}
