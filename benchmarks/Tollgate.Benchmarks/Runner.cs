using System.Diagnostics;
using Tollgate.Durable;
using Tollgate.Durable.AzureStorage;
using Tollgate.Durable.Worker;

namespace Tollgate.Benchmarks;

/// <summary>A run that did not produce the expected result; the benchmark exits with code 1.</summary>
public sealed class BenchmarkFailedException(string message) : Exception(message);

/// <summary>One timed run: wall time from scheduling the instance to seeing it Completed, and the storage transactions in between.</summary>
/// <param name="InstanceElapsed">The instance's own CreatedAt → LastUpdatedAt, which does not wait for the client's next completion poll.</param>
public sealed record RunResult(int N, TimeSpan Elapsed, TimeSpan InstanceElapsed, StorageTransactionCounts? Transactions)
{
    public double ActivitiesPerSecond => N / Elapsed.TotalSeconds;
}

/// <summary>
/// Runs a scenario on a backend: one warm-up run with a smaller N, then the measured repetitions,
/// each on a fresh task hub with one new worker. Progress goes to <paramref name="progress"/>
/// (stderr), so stdout carries only the report.
/// </summary>
public sealed class Runner(TextWriter progress)
{
    public const int PartitionCount = 4;

    /// <summary>A run that takes longer than this fails instead of hanging the benchmark.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    private readonly DurableTaskRegistry _registry = Scenario.CreateRegistry();

    public async Task<ScenarioResult> RunAsync(BenchBackend backend, Scenario scenario, int n, int repetitions, CancellationToken cancellationToken)
    {
        var warmUpN = Math.Max(1, n / 10);
        var warmUp = await RunOnceAsync(backend, scenario, warmUpN, cancellationToken);
        Log(backend, scenario, "warm-up", warmUp);

        var runs = new List<RunResult>();
        for (var i = 1; i <= repetitions; i++)
        {
            var run = await RunOnceAsync(backend, scenario, n, cancellationToken);
            Log(backend, scenario, $"run {i}/{repetitions}", run);
            runs.Add(run);
        }
        return new ScenarioResult(backend, scenario, n, runs);
    }

    private async Task<RunResult> RunOnceAsync(BenchBackend backend, Scenario scenario, int n, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RunTimeout);
        var token = timeout.Token;

        await using var hub = await backend.CreateHubAsync(NewTaskHub(), PartitionCount, token);
        var worker = new DurableWorker(hub.Backend, _registry, scenario.WorkerOptions);
        await worker.StartAsync(token);
        try
        {
            var client = worker.CreateClient();
            var before = hub.ReadTransactions();
            var clock = Stopwatch.StartNew();
            var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(scenario.Orchestrator, n, cancellationToken: token);
            var done = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, token);
            clock.Stop();
            var after = hub.ReadTransactions();

            Verify(backend, scenario, n, done);
            return new RunResult(n, clock.Elapsed, done.LastUpdatedAt - done.CreatedAt, after - before);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new BenchmarkFailedException($"{backend.Name} {scenario.Name} N={n}: not completed within {RunTimeout.TotalMinutes:0} min.");
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    private static void Verify(BenchBackend backend, Scenario scenario, int n, OrchestrationMetadata done)
    {
        var what = $"{backend.Name} {scenario.Name} N={n} (instance {done.InstanceId})";
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            throw new BenchmarkFailedException($"{what} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage ?? done.SerializedOutput}");
        var expected = scenario.ExpectedOutput(n);
        long? actual;
        try { actual = done.ReadOutputAs<long?>(); }
        catch (Exception e) { throw new BenchmarkFailedException($"{what} output '{done.SerializedOutput}' is not a number: {e.Message}"); }
        if (actual != expected)
            throw new BenchmarkFailedException($"{what} output is {done.SerializedOutput ?? "null"}, expected {expected}.");
    }

    /// <summary>Letters and digits only, lower case, starting with a letter: valid as a table, queue and container prefix.</summary>
    private static string NewTaskHub() => "bench" + Guid.NewGuid().ToString("N")[..10];

    private void Log(BenchBackend backend, Scenario scenario, string label, RunResult run)
    {
        var transactions = run.Transactions is { } t ? $", {(double)t.Total / run.N:0.00} storage transactions/activity" : "";
        progress.WriteLine($"{backend.Name} {scenario.Name} {label}: N={run.N} in {run.Elapsed.TotalSeconds:0.000} s = {run.ActivitiesPerSecond:#,0} activities/s{transactions} (instance created → completed: {run.InstanceElapsed.TotalSeconds:0.000} s)");
    }
}
