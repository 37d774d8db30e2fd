using System.CommandLine;
using Tollgate.Benchmarks;

// Throughput of the durable engine: see Scenario (what runs), Runner (how it is timed) and Report
// (what is printed). Exit codes: 0 measured (a MISS is reported, not an error), 1 a run failed or
// produced a wrong output, 2 a usage error or a backend asked for without its connection string.
const string StorageVariable = "TOLLGATE_BENCH_STORAGE";

var backendOption = new Option<string>("--backend")
{
    Description = $"Backend to measure; azurite reads its connection string from {StorageVariable}.",
    DefaultValueFactory = _ => "all",
};
backendOption.AcceptOnlyFromAmong(BenchBackend.InMemoryName, BenchBackend.AzuriteName, "all");

var scenarioOption = new Option<string>("--scenario")
{
    Description = "Scenario to run.",
    DefaultValueFactory = _ => "all",
};
scenarioOption.AcceptOnlyFromAmong([.. Scenario.All.Select(s => s.Name), "all"]);

var repeatOption = new Option<int>("--repeat")
{
    Description = "Measured runs per scenario and backend, each on a fresh task hub (after one warm-up run).",
    DefaultValueFactory = _ => 5,
};
repeatOption.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--repeat must be at least 1."); });

var nOption = new Option<int?>("--n")
{
    Description = "Activities per orchestration, for every selected scenario (default: per backend and scenario, see the report).",
};
nOption.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--n must be at least 1."); });

var root = new RootCommand("Measures activities per second of Tollgate's durable engine and prints a Markdown report.")
{
    backendOption, scenarioOption, repeatOption, nOption,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var backendName = parse.GetValue(backendOption)!;
    var scenarioName = parse.GetValue(scenarioOption)!;
    var repetitions = parse.GetValue(repeatOption);
    var n = parse.GetValue(nOption);

    var notes = new List<string>();
    var backends = new List<BenchBackend>();
    if (backendName is BenchBackend.InMemoryName or "all") backends.Add(BenchBackend.InMemory);
    if (backendName is BenchBackend.AzuriteName or "all")
    {
        var connectionString = Environment.GetEnvironmentVariable(StorageVariable);
        if (!string.IsNullOrWhiteSpace(connectionString)) backends.Add(BenchBackend.Azurite(connectionString));
        else if (backendName == "all") notes.Add($"The Azure Storage backend was not measured: {StorageVariable} is not set (`scripts/bench.sh` sets it to a fresh Azurite).");
        else
        {
            Console.Error.WriteLine($"--backend {BenchBackend.AzuriteName} needs the storage connection string in {StorageVariable} (scripts/bench.sh starts Azurite and sets it).");
            return 2;
        }
    }
    var scenarios = Scenario.All.Where(s => scenarioName == "all" || s.Name == scenarioName).ToArray();

    var runner = new Runner(Console.Error);
    var results = new List<ScenarioResult>();
    try
    {
        foreach (var backend in backends)
            foreach (var scenario in scenarios)
                results.Add(await runner.RunAsync(backend, scenario, n ?? backend.For(scenario).DefaultN, repetitions, cancellationToken));
    }
    catch (BenchmarkFailedException failure)
    {
        Console.Error.WriteLine($"FAILED: {failure.Message}");
        return 1;
    }
    catch (Exception failure) when (failure is not OperationCanceledException)
    {
        Console.Error.WriteLine($"FAILED: {failure}");
        return 1;
    }

    foreach (var note in notes) Console.Error.WriteLine(note);
    Report.Write(Console.Out, results, repetitions, notes);
    return 0;
});

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Usage: see --help.");
    return 2;
}
return await parsed.InvokeAsync();
