using System.Globalization;
using System.Runtime.InteropServices;
using Tollgate.Durable.AzureStorage;
using Tollgate.Durable.Worker;

namespace Tollgate.Benchmarks;

/// <summary>The measured runs of one scenario on one backend, and their summary figures.</summary>
public sealed record ScenarioResult(BenchBackend Backend, Scenario Scenario, int N, IReadOnlyList<RunResult> Runs)
{
    public double Target => Backend.For(Scenario).TargetPerSecond;
    public double MedianRate => Median(Runs.Select(r => r.ActivitiesPerSecond));
    public double MinRate => Runs.Min(r => r.ActivitiesPerSecond);
    public double MaxRate => Runs.Max(r => r.ActivitiesPerSecond);
    public bool Passed => MedianRate >= Target;

    /// <summary>Median storage transactions per activity: in total, and per service (each column its own median).</summary>
    public (double Total, double Table, double Queue, double Blob)? TransactionsPerActivity
    {
        get
        {
            if (Runs.Any(r => r.Transactions is null)) return null;
            double PerActivity(Func<StorageTransactionCounts, long> pick) => Median(Runs.Select(r => (double)pick(r.Transactions!.Value) / r.N));
            return (PerActivity(t => t.Total), PerActivity(t => t.Table), PerActivity(t => t.Queue), PerActivity(t => t.Blob));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

/// <summary>The Markdown the benchmark prints: machine, method, one table row per scenario and backend, notes.</summary>
public static class Report
{
    public static void Write(TextWriter output, IReadOnlyList<ScenarioResult> results, int repetitions, IEnumerable<string> notes)
    {
        var defaults = new DurableWorkerOptions();
        output.WriteLine("## Durable engine throughput");
        output.WriteLine();
        output.WriteLine($"- Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}");
        output.WriteLine($"- Machine: {Environment.ProcessorCount} logical processors{CpuModel()}, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        output.WriteLine($"- Runtime: {RuntimeInformation.FrameworkDescription}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        output.WriteLine($"- Method: per scenario and backend, one warm-up run (N/10), then {repetitions} measured run(s), each on a fresh task hub " +
                         $"with one worker and {Runner.PartitionCount} partitions; wall time from `ScheduleNewOrchestrationInstanceAsync` " +
                         "to `WaitForInstanceCompletionAsync` returning Completed with the expected output.");
        output.WriteLine("- Worker options: defaults, except `MaxConcurrentActivities`: " +
                         string.Join(", ", Scenario.All.Select(s => $"{s.Name} {s.MaxConcurrentActivities ?? defaults.MaxConcurrentActivities}{(s.MaxConcurrentActivities is null ? " (default)" : "")}")) + ".");
        output.WriteLine("- Scenarios: " + string.Join("; ", Scenario.All.Select(s => $"`{s.Name}`: {s.Description}")) + ".");
        output.WriteLine();
        output.WriteLine("| Backend | Scenario | N | Runs | Median activities/s | Min | Max | Target | Result | Storage tx/activity | Table | Queue | Blob |");
        output.WriteLine("|---|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|");
        foreach (var r in results)
        {
            var tx = r.TransactionsPerActivity;
            string Tx(Func<(double Total, double Table, double Queue, double Blob), double> pick) => tx is { } t ? pick(t).ToString("0.00", CultureInfo.InvariantCulture) : "–";
            var margin = (r.MedianRate / r.Target - 1) * 100;
            output.WriteLine($"| {r.Backend.Name} | {r.Scenario.Name} | {Number(r.N)} | {r.Runs.Count} | {Number(r.MedianRate)} | {Number(r.MinRate)} | {Number(r.MaxRate)} " +
                             $"| ≥ {Number(r.Target)} | {(r.Passed ? "PASS" : "MISS")} ({margin:+0;-0}%) | {Tx(t => t.Total)} | {Tx(t => t.Table)} | {Tx(t => t.Queue)} | {Tx(t => t.Blob)} |");
        }
        output.WriteLine();
        output.WriteLine("Result compares the median with the target; the percentage is how far above (+) or below (−) it lies. " +
                         "Storage transactions are HTTP requests to the storage account counted over the timed interval of a run, " +
                         "divided by N (median of the runs): they include the client's completion polls and the worker's idle " +
                         "partition polls and lease renewals, not only the work of the activities. The client runs in the worker's process, " +
                         "so it hears the completion when the worker writes the instance row; its status polls (5 ms, doubling to 250 ms) are the fallback.");
        foreach (var note in notes)
        {
            output.WriteLine();
            output.WriteLine(note);
        }
    }

    private static string Number(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>", model name" from /proc/cpuinfo on Linux; empty elsewhere.</summary>
    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "" : $" ({line[(line.IndexOf(':') + 1)..].Trim()})";
        }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}
