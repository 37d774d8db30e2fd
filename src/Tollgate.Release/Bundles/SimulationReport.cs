using System.Text.Json.Nodes;

namespace Tollgate.Release.Bundles;

/// <summary>
/// The active rules and a candidate bundle over one capture, decision by decision (seed 002 B.5's simulation). A
/// decision is keyed by (instrument, update id, side), whichever rule made it; a decision point is (instrument,
/// update id) with a two-sided book on an instrument either trades. Ratios are rounded half to even to 6 places and
/// the acceptance compares those rounded figures, so the counts here recompute every verdict.
/// </summary>
/// <param name="DecisionPoints">Eligible points on the instruments of either rule set: <see cref="FlipPct"/>'s denominator.</param>
/// <param name="CandidateEligiblePoints">Eligible points on the candidate's instruments: <see cref="SkipRate"/>'s denominator.</param>
/// <param name="CommonDecisions">Decisions both made (same key): the Jaccard numerator and <see cref="LargerSizeRatio"/>'s denominator.</param>
/// <param name="UnionDecisions">Decisions either made: the Jaccard denominator.</param>
/// <param name="FlippedPoints">Points where one acts and the other does not, or they act on different sides.</param>
/// <param name="LargerSize">Common decisions where the candidate's quantity is larger than the active's.</param>
/// <param name="Jaccard">|active ∩ candidate| / |active ∪ candidate| of the decision keys; 1 when neither decided.</param>
/// <param name="FlipPct">FlippedPoints / DecisionPoints; 0 without points.</param>
/// <param name="SkipRate">Share of the candidate's eligible points where it decided nothing; 0 without points.</param>
/// <param name="LargerSizeRatio">LargerSize / CommonDecisions (seed 002's "size_mult &gt; 1 ratio"); 0 when they share no decision.</param>
public sealed record SimulationReport(
    string ActiveRulesRev, string CandidateBundleRev, string CandidateRulesRev, CaptureSummary Capture,
    int DecisionPoints, int CandidateEligiblePoints, int ActiveDecisions, int CandidateDecisions, int CandidateDecidedPoints,
    int CommonDecisions, int UnionDecisions, int FlippedPoints, int OnlyActiveActs, int OnlyCandidateActs, int SidesDiffer,
    int LargerSize, int SmallerSize, decimal Jaccard, decimal FlipPct, decimal SkipRate, decimal LargerSizeRatio)
{
    public string ToJson() => ReportJson.Write(ToNode());

    internal JsonObject ToNode() => new()
    {
        ["active_rules_rev"] = ActiveRulesRev,
        ["candidate_bundle_rev"] = CandidateBundleRev,
        ["candidate_rules_rev"] = CandidateRulesRev,
        ["capture"] = ReportJson.Capture(Capture),
        ["decision_points"] = DecisionPoints,
        ["candidate_eligible_points"] = CandidateEligiblePoints,
        ["active_decisions"] = ActiveDecisions,
        ["candidate_decisions"] = CandidateDecisions,
        ["candidate_decided_points"] = CandidateDecidedPoints,
        ["common_decisions"] = CommonDecisions,
        ["union_decisions"] = UnionDecisions,
        ["flipped_points"] = FlippedPoints,
        ["only_active_acts"] = OnlyActiveActs,
        ["only_candidate_acts"] = OnlyCandidateActs,
        ["sides_differ"] = SidesDiffer,
        ["larger_size"] = LargerSize,
        ["smaller_size"] = SmallerSize,
        ["jaccard"] = ReportJson.Decimal(Jaccard),
        ["flip_pct"] = ReportJson.Decimal(FlipPct),
        ["skip_rate"] = ReportJson.Decimal(SkipRate),
        ["size_mult_gt1_ratio"] = ReportJson.Decimal(LargerSizeRatio),
    };
}

/// <summary>
/// A candidate bundle alone through the whole paper order path over one capture (<c>tollgate paper run</c>'s
/// replay): does it run, how much it decides, and what the path refused. Figures are those of the candidate's cohort
/// (its rules rev: its intents and the protective closes of its positions). Latencies are left out: they are the
/// replaying machine's, not the capture's, and would make two runs differ.
/// </summary>
/// <param name="Decisions">Feature events the strategy decided on (the order path's count; max_open binds here, unlike the simulation).</param>
/// <param name="Closes">Protective (stop-loss / take-profit) closes asked for.</param>
/// <param name="OrdersByStatus">The recorded orders by final status (FILLED, EXPIRED, REJECTED, ...).</param>
/// <param name="Refusals">Rejected orders by reason code (RISK-*, EXE-*): the dry-run's errors.</param>
/// <param name="SlippageBpsMean">Mean slippage of the fills against the mid at send, basis points, positive a cost; null without fills.</param>
/// <param name="FillRatio">Executed over sent quantity of the orders that ended; null when none did.</param>
/// <param name="ReconciliationCodes">The final reconciliation's reason codes; empty when it agreed.</param>
public sealed record DryRunReport(
    string BundleRev, string RulesRev, CaptureSummary Capture, long Decisions, long Closes, int Orders,
    IReadOnlyDictionary<string, int> OrdersByStatus, IReadOnlyDictionary<string, long> Refusals, int Fills, decimal FilledQuantity,
    decimal? SlippageBpsMean, decimal? FillRatio, IReadOnlyList<string> ReconciliationCodes)
{
    public string ToJson() => ReportJson.Write(new JsonObject
    {
        ["bundle_rev"] = BundleRev,
        ["rules_rev"] = RulesRev,
        ["capture"] = ReportJson.Capture(Capture),
        ["decisions"] = Decisions,
        ["closes"] = Closes,
        ["orders"] = Orders,
        ["orders_by_status"] = ReportJson.Counts(OrdersByStatus),
        ["refusals"] = ReportJson.Counts(Refusals),
        ["fills"] = Fills,
        ["filled_quantity"] = ReportJson.Decimal(FilledQuantity),
        ["slippage_bps_mean"] = ReportJson.Decimal(SlippageBpsMean),
        ["fill_ratio"] = ReportJson.Decimal(FillRatio),
        ["reconciliation_codes"] = new JsonArray([.. ReconciliationCodes.Select(c => (JsonNode)c)]),
    });
}
