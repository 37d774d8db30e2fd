using Microsoft.Extensions.Logging;
using Tollgate.Host.Functions;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;

namespace Tollgate.Host.Execution;

/// <summary>
/// <c>order-router</c>: the event-hub-triggered router (cardinality many, batches of up to <see cref="MaxBatch"/>
/// intents of one partition = one instrument, in sequence order), the same contract as <c>market-ingest</c>. Each
/// intent is routed in turn; idempotency is the router's (by intent id), so a redelivered batch routes nothing
/// twice. A body that is not an intent is counted and dropped with EXE-INTENT-SCHEMA: it has no id to record a
/// refusal under. The function waits for the execution plane's startup reconciliation before its first batch.
/// </summary>
public sealed class OrderRouterFunction(ExecutionPlane plane, ILogger<OrderRouterFunction> logger) : IFunctionModule
{
    public const string Name = "order-router";
    public const string ResultsTail = "order-results-tail";
    public const int MaxBatch = 64;
    public const int RecentResults = 200;

    private readonly Queue<RouteResultView> recent = new();
    private long malformed;

    /// <summary>Intents refused because they were not intents (EXE-INTENT-SCHEMA).</summary>
    public long Malformed => Interlocked.Read(ref malformed);

    /// <summary>The latest results read back from the order-results stream, newest last.</summary>
    public IReadOnlyList<RouteResultView> Recent
    {
        get { lock (recent) return [.. recent]; }
    }

    public void Register(FunctionRegistry registry) => registry
        .Add(new FunctionDefinition(Name, new StreamTrigger(ExecutionPlane.IntentsStream, "$Default", MaxBatch), RouteAsync))
        .Add(new FunctionDefinition(ResultsTail, new StreamTrigger(ExecutionPlane.ResultsStream, "$Default", 256), TailAsync));

    private async Task RouteAsync(FunctionContext context)
    {
        var input = (StreamInput)context.Input;
        var router = await plane.RoutingAsync(context.CancellationToken);
        foreach (var e in input.Events)
        {
            OrderIntent intent;
            try
            {
                intent = IntentJson.Parse(e.Body.Span, plane.Universe!);
            }
            catch (IntentFormatException x)
            {
                Interlocked.Increment(ref malformed);
                logger.LogWarning("{Function}: partition {Partition} sequence {Sequence} dropped: {Reason}", Name, input.PartitionId, e.SequenceNumber, x.Message);
                continue;
            }
            await router.RouteAsync(intent, context.CancellationToken);
        }
    }

    /// <summary>The results stream's consumer here: keeps the latest for <c>GET /api/execution</c> (in Azure, downstream consumers read the hub).</summary>
    private Task TailAsync(FunctionContext context)
    {
        var input = (StreamInput)context.Input;
        lock (recent)
            foreach (var e in input.Events)
            {
                recent.Enqueue(new RouteResultView(input.PartitionId, e.SequenceNumber, System.Text.Encoding.UTF8.GetString(e.Body.Span)));
                while (recent.Count > RecentResults) recent.Dequeue();
            }
        return Task.CompletedTask;
    }
}

/// <summary>One result as the order-results stream carried it.</summary>
public sealed record RouteResultView(string Partition, long Sequence, string Json);
