using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Host.Functions;

namespace Tollgate.Host.Standalone;

/// <summary>
/// The standalone driver of stream triggers: for each <see cref="StreamTrigger"/> function, one reader per partition
/// of its stream in the <see cref="StreamHub"/>, each handing the function batches of up to
/// <see cref="StreamTrigger.MaxBatchSize"/> events, one batch at a time per partition, as the Event Hubs trigger does.
/// A batch that fails is logged and retried once; after that it is skipped (the Event Hubs trigger also moves on), and
/// the function's own idempotency by sequence number makes the retry safe. A durable stream's batch is retried until
/// it succeeds, with backoff, and its checkpoint moves only then: its events must not be lost.
/// </summary>
public sealed class StreamDriver(FunctionRegistry registry, StreamHub hub, IServiceProvider services, ILogger<StreamDriver> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(registry.OfTrigger<StreamTrigger>().Select(s => ConsumeAsync(s.Function, s.Trigger, stoppingToken)));

    private async Task ConsumeAsync(FunctionDefinition function, StreamTrigger trigger, CancellationToken stoppingToken)
    {
        var readers = new List<Task>();
        try
        {
            await foreach (var partition in hub.PartitionsOf(trigger.StreamName).ReadAllAsync(stoppingToken))
                readers.Add(ReadPartitionAsync(function, trigger, partition, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(readers);
    }

    private async Task ReadPartitionAsync(FunctionDefinition function, StreamTrigger trigger, StreamPartition partition, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var batch = new List<StreamEvent>(trigger.MaxBatchSize);
        try
        {
            while (await partition.Events.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < trigger.MaxBatchSize && partition.Events.TryRead(out var e)) batch.Add(e);
                await InvokeAsync(function, new StreamInput(partition.Id, [.. batch]), hub.IsDurable(trigger.StreamName), stoppingToken);
                await CheckpointAsync(trigger.StreamName, partition.Id, batch[^1].SequenceNumber, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A checkpoint that cannot be written is tried again: the reader never stops over it (a later one covers it anyway).</summary>
    private async Task CheckpointAsync(string stream, string partition, long sequence, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await hub.CheckpointAsync(stream, partition, sequence, cancellationToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Stream {Stream}: checkpoint {Sequence} of partition {Partition} not written (attempt {Attempt}): {Reason}", stream, sequence, partition, attempt, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 << Math.Min(attempt, 6))), cancellationToken);
            }
        }
    }

    private async Task InvokeAsync(FunctionDefinition function, StreamInput input, bool untilDone, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await function.Handler(new FunctionContext(function.Name, input, services, cancellationToken));
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Stream {Function}: batch of {Count} from partition {Partition} (sequence {First}-{Last}) failed, attempt {Attempt}",
                    function.Name, input.Events.Count, input.PartitionId, input.Events[0].SequenceNumber, input.Events[^1].SequenceNumber, attempt);
                if (!untilDone && attempt == 2) return;
                if (untilDone) await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 << Math.Min(attempt, 6))), cancellationToken);
            }
        }
    }
}
