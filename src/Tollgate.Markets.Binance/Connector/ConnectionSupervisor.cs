using Microsoft.Extensions.Logging;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Binance.Streams;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Quality;

namespace Tollgate.Markets.Binance.Connector;

/// <summary>
/// Keeps one planned connection alive: opens it (paced by the market's connection-attempt limit), reconnects after a
/// drop with exponential backoff and full jitter, and replaces it before Binance's 24 h cut by opening the new
/// connection first, waiting for its first message, then closing the old one gracefully (its in-flight frames are still
/// delivered), so the rotation itself loses nothing. Frames of both arrive during the overlap; ingest dedupes them by
/// update id.
/// </summary>
internal sealed class ConnectionSupervisor(
    ConnectionPlan plan, BinanceEndpoints endpoints, StreamOptions options, TimeProvider clock, ILogger logger,
    IConnectorObserver observer, ConnectionAttemptLimiter limiter, ReconnectBackoff backoff,
    StreamMessageHandler onMessage, Action<ConnectionPlan> onOpenedAfterDrop)
{
    private int generation;
    private volatile BinanceStreamConnection? current;

    public ConnectionPlan Plan => plan;

    public BinanceStreamConnection? Current => current;

    private MarketKind Market => plan.Market;

    /// <summary>Runs until <paramref name="stop"/>; then closes gracefully, and <paramref name="hard"/> cuts what is left.</summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken hard)
    {
        var tries = 0;   // attempts since the start or the last drop, as OnConnected reports them
        var backoffAttempt = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (backoffAttempt > 0)
                {
                    var delay = backoff.Next(backoffAttempt);
                    logger.LogInformation("Binance {Market} slot {Slot}: reconnect attempt {Attempt} in {Delay}.", Market, plan.Slot, tries + 1, delay);
                    await Task.Delay(delay, clock, stop).ConfigureAwait(false);
                }
                tries++;
                var connection = await OpenAsync(stop, hard).ConfigureAwait(false);
                if (connection is null)
                {
                    backoffAttempt++;
                    continue;
                }
                observer.OnConnected(Market, connection.Id, tries);
                tries = 0;
                backoffAttempt = 0;
                onOpenedAfterDrop(plan);
                if (await RunWithRotationAsync(connection, stop, hard).ConfigureAwait(false)) backoffAttempt = 1;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task<BinanceStreamConnection?> OpenAsync(CancellationToken stop, CancellationToken hard)
    {
        await limiter.WaitAsync(stop).ConfigureAwait(false);
        var id = $"{Market.Code()}-{plan.Slot}-{Interlocked.Increment(ref generation)}";
        var connection = new BinanceStreamConnection(Market, id, plan.Streams, endpoints, options, clock, logger);
        try
        {
            await connection.ConnectAsync(stop).ConfigureAwait(false);
            return connection;
        }
        catch (BinanceException e)
        {
            logger.LogWarning("Binance {Market} slot {Slot}: {Reason}", Market, plan.Slot, e.Message);
            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="connection"/> and its successors; true when it ended by a drop, false on stop.</summary>
    private async Task<bool> RunWithRotationAsync(BinanceStreamConnection connection, CancellationToken stop, CancellationToken hard)
    {
        current = connection;
        var run = connection.RunAsync(onMessage, hard);
        var rotateIn = options.EffectiveRotateAfter;
        while (true)
        {
            using var rotateCancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var rotate = Task.Delay(rotateIn, clock, rotateCancel.Token);
            var done = await Task.WhenAny(run, rotate).ConfigureAwait(false);
            if (done == run)
            {
                await rotateCancel.CancelAsync().ConfigureAwait(false);
                var reason = await Ended(run).ConfigureAwait(false);
                logger.LogWarning("Binance {Market} stream connection {Id} dropped: {Reason}.", Market, connection.Id, reason);
                observer.OnDisconnected(Market, connection.Id, reason, planned: false);
                await connection.DisposeAsync().ConfigureAwait(false);
                current = null;
                return true;
            }
            if (stop.IsCancellationRequested)
            {
                await CloseAndDrainAsync(connection, run, "stopping").ConfigureAwait(false);
                observer.OnDisconnected(Market, connection.Id, "stopping", planned: true);
                current = null;
                return false;
            }

            // Rotation: the new connection first, then the old one closed once the new one is delivering.
            var next = await OpenAsync(stop, hard).ConfigureAwait(false);
            if (next is null)
            {
                rotateIn = TimeSpan.FromSeconds(30);
                logger.LogWarning("Binance {Market} stream connection {Id}: the replacement did not open; trying again in {Delay}.", Market, connection.Id, rotateIn);
                continue;
            }
            observer.OnConnected(Market, next.Id, 1);
            var nextRun = next.RunAsync(onMessage, hard);
            using (var overlap = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                await Task.WhenAny(next.FirstMessage, nextRun, Task.Delay(options.EffectiveRotationOverlap, clock, overlap.Token)).ConfigureAwait(false);
                await overlap.CancelAsync().ConfigureAwait(false);
            }
            if (nextRun.IsCompleted)
            {
                var why = await Ended(nextRun).ConfigureAwait(false);
                observer.OnDisconnected(Market, next.Id, why, planned: false);
                await next.DisposeAsync().ConfigureAwait(false);
                rotateIn = TimeSpan.FromSeconds(30);
                continue;
            }
            await CloseAndDrainAsync(connection, run, "rotation before the 24 h cut").ConfigureAwait(false);
            logger.LogInformation("Binance {Market}: rotated {Old} to {New}.", Market, connection.Id, next.Id);
            observer.OnDisconnected(Market, connection.Id, "rotation before the 24 h cut", planned: true);
            connection = next;
            run = nextRun;
            current = next;
            rotateIn = options.EffectiveRotateAfter;
        }
    }

    private async Task CloseAndDrainAsync(BinanceStreamConnection connection, Task<string> run, string reason)
    {
        await connection.CloseAsync(reason).ConfigureAwait(false);
        try
        {
            await run.WaitAsync(options.EffectiveCloseTimeout, clock, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            connection.Abort(reason);
        }
        catch (OperationCanceledException)
        {
        }
        await Ended(run).ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<string> Ended(Task<string> run)
    {
        try
        {
            return await run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return "cancelled";
        }
        catch (Exception e)
        {
            return $"failed: {e.GetType().Name}";
        }
    }
}
