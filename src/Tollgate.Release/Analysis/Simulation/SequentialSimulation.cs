namespace Tollgate.Release.Analysis.Simulation;

/// <summary>
/// Monte-Carlo measurement of the sequential test's error rates and speed against the repeated and the fixed-horizon
/// Mann-Whitney test. Pure and deterministic: stream i draws from <c>new Random(StreamSeed(seed, i))</c> only, so the
/// same settings give the same figures, any one stream can be re-run alone, and scenarios run with the same seed share
/// their random numbers (effect sizes are compared on the same noise).
/// <para>Each stream: for look k = 1..K, draw m canary then m baseline samples, give them to the sequential test
/// (<see cref="SequentialState.Look"/>) and to the Mann-Whitney test on all samples so far. Once the sequential test
/// stops, its verdict is final and it is not looked at again.</para>
/// </summary>
public static class SequentialSimulation
{
    /// <summary>Runs <paramref name="settings"/>.Streams streams of <paramref name="scenario"/>.</summary>
    public static SimulationOutcome Run(SequentialTestConfig config, SimulationSettings settings, SimulationScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(scenario);
        config.Validate();
        settings.Validate();

        var rollbacks = new int[settings.Looks];
        var promotions = new int[settings.Looks];
        var repeated = new int[settings.Looks];
        var final = new int[settings.Looks];
        var canary = new double[settings.PerLook];
        var baseline = new double[settings.PerLook];
        for (var stream = 0; stream < settings.Streams; stream++)
        {
            var random = new Random(StreamSeed(settings.Seed, stream));
            var state = SequentialState.Start(config);
            var rankTest = new IncrementalMannWhitney();
            var repeatedAlarmed = false;
            for (var look = 1; look <= settings.Looks; look++)
            {
                for (var i = 0; i < canary.Length; i++) canary[i] = scenario.Canary.Sample(random);
                for (var i = 0; i < baseline.Length; i++) baseline[i] = scenario.Baseline.Sample(random);

                if (!state.Stopped)
                {
                    state = state.Look(canary, baseline).After;
                    if (state.Verdict == SequentialVerdict.Harm) rollbacks[look - 1]++;
                    if (state.Verdict == SequentialVerdict.Safe) promotions[look - 1]++;
                }

                rankTest.Add(canary, baseline);
                var (z, p) = rankTest.Test();
                var alarm = p < MetricConfig.Alpha && config.Direction switch
                {
                    ChangeDirection.Increase => z > 0,
                    ChangeDirection.Decrease => z < 0,
                    _ => true,
                };
                if (alarm && !repeatedAlarmed)
                {
                    repeatedAlarmed = true;
                    repeated[look - 1]++;
                }

                if (alarm && look == settings.Looks) final[look - 1]++;
            }
        }

        DecisionTally Tally(int[] counts) => new(settings.Streams, counts, settings.PerLook);
        return new SimulationOutcome(scenario, settings, config, Tally(rollbacks), Tally(promotions), Tally(repeated), Tally(final));
    }

    /// <summary>A stream's generator seed: SplitMix64's finalizer over (seed, stream), so neighbouring streams are unrelated.</summary>
    internal static int StreamSeed(int seed, int stream)
    {
        var z = ((ulong)(uint)seed << 32 | (uint)stream) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }
}
