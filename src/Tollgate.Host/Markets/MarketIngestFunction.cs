using Microsoft.Extensions.Logging;
using Tollgate.Host.Functions;

namespace Tollgate.Host.Markets;

/// <summary>
/// <c>market-ingest</c>: the event-hub-triggered ingest of raw exchange frames (cardinality many, batches of up to
/// <see cref="MaxBatch"/>). In Azure its binding is generated from this registration; standalone, the
/// <see cref="Standalone.StreamDriver"/> feeds it from the <see cref="Standalone.StreamHub"/>.
/// </summary>
public sealed class MarketIngestFunction(MarketPlane plane, ILogger<MarketIngestFunction> logger) : IFunctionModule
{
    public const string Name = "market-ingest";
    public const string ConsumerGroup = "$Default";
    public const int MaxBatch = 256;

    public void Register(FunctionRegistry registry)
        => registry.Add(new FunctionDefinition(Name, new StreamTrigger(MarketPlane.FramesStream, ConsumerGroup, MaxBatch), async context =>
        {
            var input = (StreamInput)context.Input;
            var result = await plane.IngestAsync(input, context.CancellationToken);
            if (result.Dropped > 0)
                logger.LogDebug("{Function}: partition {Partition}: {Dropped} of {Frames} frame(s) dropped", Name, input.PartitionId, result.Dropped, result.Frames);
        }));
}
