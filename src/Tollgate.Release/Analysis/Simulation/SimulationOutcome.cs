namespace Tollgate.Release.Analysis.Simulation;

/// <summary>
/// How often one decision rule decided, and when, over a scenario's streams. A stream counts once, at the first
/// look where the rule decided; <see cref="RateByLook"/> is therefore cumulative and non-decreasing.
/// </summary>
/// <param name="Streams">Streams simulated.</param>
/// <param name="FirstDecisionsAtLook">Element k−1: streams whose first decision came at look k.</param>
/// <param name="PerLook">Samples per side added before each look (to turn looks into samples).</param>
public sealed record DecisionTally(int Streams, IReadOnlyList<int> FirstDecisionsAtLook, int PerLook)
{
    /// <summary>Streams that decided by the last look.</summary>
    public int Decided => FirstDecisionsAtLook.Sum();

    /// <summary>Share of streams that decided by the last look.</summary>
    public double Rate => (double)Decided / Streams;

    /// <summary>The binomial standard error of <see cref="Rate"/>: √(r(1 − r)/N).</summary>
    public double StandardError => Math.Sqrt(Rate * (1 - Rate) / Streams);

    /// <summary>Element k−1: share of streams that decided at look k or earlier.</summary>
    public IReadOnlyList<double> RateByLook
    {
        get
        {
            var rates = new double[FirstDecisionsAtLook.Count];
            var decided = 0;
            for (var k = 0; k < rates.Length; k++)
            {
                decided += FirstDecisionsAtLook[k];
                rates[k] = (double)decided / Streams;
            }

            return rates;
        }
    }

    /// <summary>Mean look of the first decision over the streams that decided; NaN when none did.</summary>
    public double MeanLooksToDecision
    {
        get
        {
            double weighted = 0;
            for (var k = 0; k < FirstDecisionsAtLook.Count; k++) weighted += (k + 1.0) * FirstDecisionsAtLook[k];
            return Decided == 0 ? double.NaN : weighted / Decided;
        }
    }

    /// <summary>Mean samples per side at the first decision (<see cref="MeanLooksToDecision"/> × samples per look).</summary>
    public double MeanSamplesToDecision => MeanLooksToDecision * PerLook;
}

/// <summary>A scenario's figures for every decision rule, from the same simulated samples.</summary>
/// <param name="Scenario">What was compared.</param>
/// <param name="Settings">Streams, looks, samples per look, seed.</param>
/// <param name="Config">The sequential test's configuration.</param>
/// <param name="SequentialRollback">The sequential test's HARM verdicts (roll back).</param>
/// <param name="SequentialPromotion">The sequential test's SAFE verdicts (promote).</param>
/// <param name="RepeatedMannWhitney">Mann-Whitney at every look, Kayenta's rule: roll back at the first look with
/// two-sided p &lt; <see cref="MetricConfig.Alpha"/> and the shift in the bad direction.</param>
/// <param name="FinalMannWhitney">The same Mann-Whitney rule applied once, at the last look (the fixed-horizon test).</param>
public sealed record SimulationOutcome(
    SimulationScenario Scenario,
    SimulationSettings Settings,
    SequentialTestConfig Config,
    DecisionTally SequentialRollback,
    DecisionTally SequentialPromotion,
    DecisionTally RepeatedMannWhitney,
    DecisionTally FinalMannWhitney);
