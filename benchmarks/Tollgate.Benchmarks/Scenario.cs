using Tollgate.Durable;
using Tollgate.Durable.Worker;

namespace Tollgate.Benchmarks;

/// <summary>
/// One measured workload: an orchestration that calls N trivial activities, the output it must
/// produce, and the one worker option the benchmark changes from the defaults.
/// </summary>
/// <param name="MaxConcurrentActivities">Null keeps the worker's default.</param>
public sealed record Scenario(string Name, string Orchestrator, string Description, int? MaxConcurrentActivities, Func<int, long> ExpectedOutput)
{
    /// <summary>N activities one after another, each returning its input + 1; the output is N.</summary>
    public static readonly Scenario Chain = new("chain", "BenchChain",
        "one orchestration calls N activities one after another (x = x + 1)", null, n => n);

    /// <summary>N activities at once with Task.WhenAll, activity i returning i + 1; the output is their sum.</summary>
    public static readonly Scenario FanOut = new("fanout", "BenchFanOut",
        "one orchestration calls N activities with Task.WhenAll and sums the results", 200, n => (long)n * (n + 1) / 2);

    public static IReadOnlyList<Scenario> All { get; } = [Chain, FanOut];

    private const string Increment = "Increment";

    /// <summary>Default options, except <see cref="MaxConcurrentActivities"/> when the scenario sets it.</summary>
    public DurableWorkerOptions WorkerOptions => MaxConcurrentActivities is int max
        ? new DurableWorkerOptions { MaxConcurrentActivities = max }
        : new DurableWorkerOptions();

    /// <summary>The orchestrators and the activity of every scenario.</summary>
    public static DurableTaskRegistry CreateRegistry() => new DurableTaskRegistry()
        .AddActivity<int, int>(Increment, (_, x) => Task.FromResult(x + 1))
        .AddOrchestrator<int, long>(Chain.Orchestrator, async (context, n) =>
        {
            var x = 0;
            for (var i = 0; i < n; i++) x = await context.CallActivityAsync<int>(Increment, x);
            return x;
        })
        .AddOrchestrator<int, long>(FanOut.Orchestrator, async (context, n) =>
        {
            var calls = new Task<int>[n];
            for (var i = 0; i < n; i++) calls[i] = context.CallActivityAsync<int>(Increment, i);
            var results = await Task.WhenAll(calls);
            return results.Sum(r => (long)r);
        });
}
