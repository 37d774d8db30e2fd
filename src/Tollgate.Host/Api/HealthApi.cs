using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Tollgate.Durable.Backend;
using Tollgate.Durable.Worker;
using Tollgate.Host.Functions;
using Tollgate.Host.Hosting;
using Tollgate.Host.Markets;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Api;

/// <summary>One dependency check: OK, DEGRADED or FAIL, with what was seen.</summary>
public sealed record HealthCheck(string Name, string Status, string Detail, long DurationMs);

public sealed record HealthReport(string Status, string HostId, string Backend, string TaskHub, IReadOnlyCollection<int> OwnedPartitions, IReadOnlyList<HealthCheck> Checks);

/// <summary>
/// <c>GET /api/health</c> (seed 002 B.0): FAIL (503) when storage does not answer within
/// <see cref="StorageTimeout"/>; DEGRADED when it answers but this host owns no partitions or
/// parked (poison) messages exist; OK otherwise. Details never carry secrets.
/// </summary>
public sealed class HealthApi(DurableBackend backend, DurableWorker worker, HostSettings settings, LedgerHost ledger, MarketPlane market,
    Execution.ExecutionPlane execution, TimeProvider time) : IFunctionModule
{
    public const string Ok = "OK", Degraded = "DEGRADED", Fail = "FAIL";
    public static readonly TimeSpan StorageTimeout = TimeSpan.FromSeconds(2);

    public void Register(FunctionRegistry registry)
        => registry.Add(FunctionDefinition.Http("health", "health", ["GET"], FunctionAccess.Open("a liveness probe for load balancers and monitors; it carries no secrets and changes nothing"), HealthAsync));

    private async Task<IResult> HealthAsync(HttpContext http)
    {
        var report = await CheckAsync(http.RequestAborted);
        return Results.Json(report, ApiJson.Options, statusCode: report.Status == Fail ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<HealthCheck>();
        var storage = await StorageAsync(cancellationToken);
        checks.Add(storage.Check);

        var owned = worker.OwnedPartitions;
        if (storage.Check.Status == Ok)
        {
            checks.Add(new HealthCheck("partitions", owned.Count > 0 ? Ok : Degraded,
                owned.Count > 0 ? $"owns {owned.Count} of {backend.PartitionCount}: [{string.Join(", ", owned)}]" : $"owns none of {backend.PartitionCount} partitions", 0));
            checks.Add(new HealthCheck("parked-messages", storage.Parked == 0 ? Ok : Degraded,
                storage.Parked == 0 ? "no parked (poison) messages" : $"{storage.Parked} parked (poison) message(s); last: {storage.LastParkedReason}", 0));
        }

        checks.Add(LedgerCheck());
        checks.AddRange(MarketHealth.Checks(market, time.GetUtcNow()));
        if (OrderPathCheck() is { } orderPath) checks.Add(orderPath);

        var status = checks.Any(c => c.Status == Fail) ? Fail : checks.Any(c => c.Status == Degraded) ? Degraded : Ok;
        return new HealthReport(status, worker.HostId, backend.Name, backend.TaskHub, owned, checks);
    }

    /// <summary>The order path, when this host runs one: FAIL if it did not start, DEGRADED while it starts or after a failed reconciliation.</summary>
    private HealthCheck? OrderPathCheck() => execution.State switch
    {
        Execution.ExecutionState.Off => null,
        Execution.ExecutionState.Failed => new HealthCheck("order-path", Fail, $"{execution.Environment}: not started: {execution.Failure}", 0),
        Execution.ExecutionState.Starting or Execution.ExecutionState.Reconciling => new HealthCheck("order-path", Degraded, $"{execution.Environment}: {execution.State.ToString().ToLowerInvariant()}, not routing yet", 0),
        _ when execution.LastReconciliation is { Failed: true } r => new HealthCheck("order-path", Degraded,
            $"{execution.Environment}: EXE-RECON-FAIL: reconciliation {r.Id} failed (orders agree {r.OrdersAgreement}, fills {r.FillsAgreement}, {r.Differences.Count} difference(s))", 0),
        _ => new HealthCheck("order-path", Ok, $"{execution.Environment}: routing on {execution.Router?.Channel.Name}, {execution.Router?.OpenOrders} open order(s), rules {execution.RulesRev ?? "none"}", 0),
    };

    private async Task<(HealthCheck Check, int Parked, string? LastParkedReason)> StorageAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StorageTimeout);
        try
        {
            // WaitAsync as well as the token: a storage client stuck in its own retry loop must not hold the answer.
            var (ok, detail) = await backend.ProbeAsync(timeout.Token).WaitAsync(StorageTimeout, cancellationToken);
            if (!ok) return (new HealthCheck("storage", Fail, Brief(settings.Storage.Redact(detail)), clock.ElapsedMilliseconds), 0, null);
            var parked = await backend.Queues.ListParkedAsync(timeout.Token).WaitAsync(StorageTimeout, cancellationToken);
            return (new HealthCheck("storage", Ok, Brief(settings.Storage.Redact(detail)), clock.ElapsedMilliseconds),
                parked.Count, parked.Count > 0 ? parked[^1].Reason : null);
        }
        catch (Exception e) when (e is TimeoutException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (new HealthCheck("storage", Fail, $"{settings.Storage.Describe()} did not answer within {StorageTimeout.TotalSeconds:0} s", clock.ElapsedMilliseconds), 0, null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return (new HealthCheck("storage", Fail, $"{settings.Storage.Describe()} failed: {e.GetType().Name}: {Brief(settings.Storage.Redact(e.Message))}", clock.ElapsedMilliseconds), 0, null);
        }
    }

    /// <summary>
    /// An unwritable audit ledger is stop-the-line (seed 000 §11.2, SYS-AUDIT), so it fails health; a lookup
    /// index far behind only degrades it (appends and proofs do not depend on it).
    /// </summary>
    private HealthCheck LedgerCheck()
    {
        if (ledger.Writer is not { } writer)
            return new HealthCheck("ledger", Fail, $"SYS-AUDIT: the audit ledger is not open{(ledger.LastError is { } error ? $": {Brief(error)}" : "")}", 0);
        var lag = writer.IndexLag;
        return new HealthCheck("ledger", lag > MaxIndexLag ? Degraded : Ok,
            $"{writer.Latest.Size} entries, latest checkpoint signed; lookup index {lag} behind", 0);
    }

    public const long MaxIndexLag = 100_000;

    /// <summary>The first line of a storage error, at most 300 characters.</summary>
    private static string Brief(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..300] + "...";
    }
}
