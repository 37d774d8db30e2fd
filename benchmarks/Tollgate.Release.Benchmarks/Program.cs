using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Tollgate.Release.Analysis;
using Tollgate.Release.Analysis.Simulation;
using Tollgate.Release.Benchmarks.Rollback;

// `rollback` as the first argument: trigger → every host acknowledged, on real host processes (RollbackBenchmark.cs);
// anything else: the canary judge's simulation below.
if (args.Length > 0 && args[0] == "rollback") return await RollbackBenchmark.RunAsync(args[1..]);

// The canary judge's error rates (issue 8): the anytime-valid sequential test (SequentialState) against Kayenta's
// Mann-Whitney rule repeated at every look and applied once at the last look, on simulated A/A and A/B streams.
// Deterministic: the same options give the same figures (SequentialSimulation seeds every stream). Markdown report on
// stdout, progress on stderr.
var streamsOption = new Option<int>("--streams") { Description = "Simulated canary analyses per scenario.", DefaultValueFactory = _ => 4000 };
var looksOption = new Option<int>("--looks") { Description = "Looks per analysis (K).", DefaultValueFactory = _ => 20 };
var perLookOption = new Option<int>("--per-look") { Description = "New samples per side before each look (m).", DefaultValueFactory = _ => 50 };
var seedOption = new Option<int>("--seed") { Description = "Seed of the simulated streams.", DefaultValueFactory = _ => 1 };
var sweepPerLookOption = new Option<int>("--sweep-per-look") { Description = "Samples per side per look in the small-sample sweep (section 4).", DefaultValueFactory = _ => 1 };
var sweepLooksOption = new Option<int>("--sweep-looks") { Description = "Looks in the small-sample sweep (section 4).", DefaultValueFactory = _ => 50 };
foreach (var option in new[] { streamsOption, looksOption, perLookOption, sweepPerLookOption, sweepLooksOption })
    option.Validators.Add(result => { if (result.GetValueOrDefault<int>() < 1) result.AddError($"{option.Name} must be at least 1."); });
var root = new RootCommand("Simulates the canary judge's sequential test against repeated Mann-Whitney; prints a Markdown report.")
{
    streamsOption, looksOption, perLookOption, seedOption, sweepPerLookOption, sweepLooksOption,
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 || args.Contains("--help") || args.Contains("-h")) return await parsed.InvokeAsync();

var settings = new SimulationSettings(parsed.GetValue(streamsOption), parsed.GetValue(looksOption), parsed.GetValue(perLookOption), parsed.GetValue(seedOption));
var sweepSettings = settings with { PerLook = parsed.GetValue(sweepPerLookOption), Looks = parsed.GetValue(sweepLooksOption) };
var config = new SequentialTestConfig("metric", ChangeDirection.Increase);
SimulatedDistribution[] distributions = [new NormalSamples(100, 50), new LogNormalSamples(3, 1), new BernoulliSamples(0.02)];
double[] effects = [0.1, 0.25, 0.5];
int[] minimumSamples = [2, 3, 5, 10, 20];
double[] sweepScales = [config.MixtureScaleRelative, 1.0];

// Every run is independent and deterministic, so they run on every core and are read back by index.
var jobs = new List<(string Label, SequentialTestConfig Config, SimulationSettings Settings, SimulationScenario Scenario)>();
int Add(string label, SequentialTestConfig c, SimulationSettings s, SimulationScenario scenario)
{
    jobs.Add((label, c, s, scenario));
    return jobs.Count - 1;
}

var same = distributions.Select(d => Add("A/A", config, settings, SimulationScenario.Same(d))).ToArray();
var worse = distributions.Select(d => effects.Select(e => Add("A/B", config, settings, SimulationScenario.Worse(d, e, config.Direction))).ToArray()).ToArray();
var atMargin = distributions.Select(d => Add("at margin", config, settings, SimulationScenario.AtMargin(d, config))).ToArray();
SequentialTestConfig Swept(double scale, int min) => config with { MixtureScaleRelative = scale, MinimumSamplePerSide = min };
var sweepSame = distributions.Select(d => sweepScales.Select(t => minimumSamples.Select(min =>
    Add($"sweep τ {t} min {min}", Swept(t, min), sweepSettings, SimulationScenario.Same(d))).ToArray()).ToArray()).ToArray();
var sweepMargin = distributions.Select(d => sweepScales.Select(t => minimumSamples.Select(min =>
    Add($"sweep τ {t} min {min}", Swept(t, min), sweepSettings, SimulationScenario.AtMargin(d, config))).ToArray()).ToArray()).ToArray();

var outcomes = new SimulationOutcome[jobs.Count];
var clock = Stopwatch.StartNew();
var finished = 0;
Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
{
    var (label, c, s, scenario) = jobs[i];
    outcomes[i] = SequentialSimulation.Run(c, s, scenario);
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"[{Interlocked.Increment(ref finished)}/{jobs.Count}] {clock.Elapsed.TotalSeconds:0.0} s  {label}: {scenario.Name}"));
});

var inv = CultureInfo.InvariantCulture;
string Rate(double r) => r.ToString("0.0000", inv);
string Samples(double s) => double.IsNaN(s) ? "–" : s.ToString("0", inv);
string Tol(double rate, int streams) => (3 * Math.Sqrt(rate * (1 - rate) / streams)).ToString("0.0000", inv);
void Line(FormattableString text) => Console.WriteLine(text.ToString(inv));

Line($"# Canary judge: sequential test against repeated Mann-Whitney — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} logical processors, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}");
Console.WriteLine();
Line($"Streams per scenario {settings.Streams}, {settings.Looks} looks of {settings.PerLook} samples per side ({settings.Looks * settings.PerLook} per side at the last look), seed {settings.Seed}; {jobs.Count} scenarios in {clock.Elapsed.TotalSeconds:0.0} s.");
Console.WriteLine();
Line($"- **Sequential** (`SequentialState`): mSPRT on the difference of means, plug-in variance, half-normal mixture toward the bad sign (an increase is bad). HARM (roll back) at e ≥ 1/α, α = {config.Alpha}; SAFE (promote) at e ≥ 1/β, β = {config.Beta}, margin {config.Margin:P0} of the baseline mean; τ = {config.MixtureScaleRelative} × pooled SD, fixed at the first eligible look; minimum {config.MinimumSamplePerSide} per side (section 4 varies it).");
Line($"- **Repeated MW**: Kayenta's rule (`MannWhitney`: two-sided p < {MetricConfig.Alpha} with the shift in the bad direction, i.e. a one-sided 1% test per look) at every look; roll back at the first significant look. Kayenta's effect-size gates (tolerance band, allowed ratio) are left out: they are policy, not the test's error rate.");
Line($"- **Final MW**: the same rule once, at look {settings.Looks} (the fixed-horizon test it is designed as).");
Line($"- Monte-Carlo tolerance: 3 binomial standard errors; at rate {config.Alpha} and {settings.Streams} streams that is ±{Tol(config.Alpha, settings.Streams)}, at {config.Beta} ±{Tol(config.Beta, settings.Streams)}.");
Console.WriteLine();

Console.WriteLine("## 1. A/A: cumulative false-rollback rate by look");
Console.WriteLine();
Console.WriteLine("Canary and baseline from one distribution: every rollback is a false alarm. The sequential columns must stay ≤ α = " + config.Alpha.ToString(inv) + " (+ tolerance) at every look. The normal and lognormal Mann-Whitney columns are equal by construction: both distributions are increasing functions of the same seeded standard normal draws, and ranks do not change under an increasing function.");
Console.WriteLine();
Console.WriteLine("| look | samples/side | " + string.Join(" | ", distributions.Select(d => $"{d.Name} sequential | {d.Name} repeated MW")) + " |");
Console.WriteLine("|--:|--:|" + string.Concat(distributions.Select(_ => "--:|--:|")));
for (var k = 0; k < settings.Looks; k++)
    Console.WriteLine($"| {k + 1} | {(k + 1) * settings.PerLook} | " + string.Join(" | ", same.Select(i => $"{Rate(outcomes[i].SequentialRollback.RateByLook[k])} | {Rate(outcomes[i].RepeatedMannWhitney.RateByLook[k])}")) + " |");
Console.WriteLine($"| final MW only | {settings.Looks * settings.PerLook} | " + string.Join(" | ", same.Select(i => $"– | {Rate(outcomes[i].FinalMannWhitney.Rate)}")) + " |");
Console.WriteLine();

Console.WriteLine("## 2. A/B: detection of a bad shift");
Console.WriteLine();
Console.WriteLine("The canary's mean is worse by the shift (in baseline standard deviations; the whole distribution moves, a Bernoulli's probability rises). Mean samples per side to detection are over the streams that detected.");
Console.WriteLine();
Console.WriteLine("| distribution | shift | sequential rate | sequential mean samples | repeated MW rate | repeated MW mean samples | final MW rate (at " + (settings.Looks * settings.PerLook).ToString(inv) + ") |");
Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|");
for (var d = 0; d < distributions.Length; d++)
    for (var e = 0; e < effects.Length; e++)
    {
        var o = outcomes[worse[d][e]];
        Line($"| {distributions[d].Name} | {effects[e]}σ | {Rate(o.SequentialRollback.Rate)} | {Samples(o.SequentialRollback.MeanSamplesToDecision)} | {Rate(o.RepeatedMannWhitney.Rate)} | {Samples(o.RepeatedMannWhitney.MeanSamplesToDecision)} | {Rate(o.FinalMannWhitney.Rate)} |");
    }

Console.WriteLine();
Console.WriteLine("## 3. Promotion (SAFE)");
Console.WriteLine();
Line($"False promotion: the canary is worse by exactly the margin ({config.Margin:P0} of the baseline mean), so every SAFE is wrong; the rate must stay ≤ β = {config.Beta} (+ tolerance). A/A: the canary is as good as the baseline, so SAFE is right (its power within {settings.Looks * settings.PerLook} samples per side).");
Console.WriteLine();
Console.WriteLine("| distribution | margin / σ | false promotion (at margin) | A/A promotion | A/A mean samples to SAFE | A/A false rollback |");
Console.WriteLine("|---|--:|--:|--:|--:|--:|");
for (var d = 0; d < distributions.Length; d++)
{
    var margin = outcomes[atMargin[d]];
    var aa = outcomes[same[d]];
    Line($"| {distributions[d].Name} | {config.Margin * distributions[d].Mean / distributions[d].StandardDeviation:0.000} | {Rate(margin.SequentialPromotion.Rate)} | {Rate(aa.SequentialPromotion.Rate)} | {Samples(aa.SequentialPromotion.MeanSamplesToDecision)} | {Rate(aa.SequentialRollback.Rate)} |");
}

Console.WriteLine();
Console.WriteLine("## 4. Small samples: the asymptotic test's error rates by minimum sample per side");
Console.WriteLine();
Line($"The guarantees rest on the normal approximation with plug-in variances, which is worst when a decision may come from a handful of samples. Here the test looks after every {sweepSettings.PerLook} sample(s) per side, {sweepSettings.Looks} looks ({sweepSettings.Looks * sweepSettings.PerLook} per side at the end), {sweepSettings.Streams} streams, from the first look with the minimum per side; with the default τ and with a wide τ = 1 × pooled SD, which weighs early evidence more. Each cell: A/A false-rollback rate / false-promotion rate at the margin. **Bold**: above α = {config.Alpha} + {Tol(config.Alpha, sweepSettings.Streams)} or β = {config.Beta} + {Tol(config.Beta, sweepSettings.Streams)}.");
Console.WriteLine();
Console.WriteLine("| distribution | τ / pooled SD | " + string.Join(" | ", minimumSamples.Select(m => $"min {m}")) + " |");
Console.WriteLine("|---|--:|" + string.Concat(minimumSamples.Select(_ => "--:|")));
string Marked(double rate, double level) => rate > level + 3 * Math.Sqrt(level * (1 - level) / sweepSettings.Streams) ? $"**{Rate(rate)}**" : Rate(rate);
for (var d = 0; d < distributions.Length; d++)
    for (var t = 0; t < sweepScales.Length; t++)
        Console.WriteLine($"| {distributions[d].Name} | {sweepScales[t].ToString(inv)} | " + string.Join(" | ", minimumSamples.Select((_, m) =>
            $"{Marked(outcomes[sweepSame[d][t][m]].SequentialRollback.Rate, config.Alpha)} / {Marked(outcomes[sweepMargin[d][t][m]].SequentialPromotion.Rate, config.Beta)}")) + " |");

return 0;
