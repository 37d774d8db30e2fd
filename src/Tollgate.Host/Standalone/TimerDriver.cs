using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Host.Functions;

namespace Tollgate.Host.Standalone;

/// <summary>
/// The standalone driver of timer triggers. For each <see cref="TimerTrigger"/> in the registry it
/// waits for the next CRON occurrence in the trigger's time zone, claims it through the
/// <see cref="ITimerSingleton"/> (so among several hosts exactly one fires it), and runs the function.
/// Occurrences missed while a run overran are folded into one late (past-due) run, as Azure
/// Functions does. An occurrence is recorded before the function runs: a host that dies mid-run
/// does not make another host repeat it (at most once per occurrence).
/// </summary>
public sealed class TimerDriver(FunctionRegistry registry, ITimerSingleton singleton, IServiceProvider services, TimeProvider time, ILogger<TimerDriver> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(registry.OfTrigger<TimerTrigger>()
            .Select(timer => RunAsync(timer.Function, TimerSchedule.Parse(timer.Function.Name, timer.Trigger), stoppingToken)));

    private async Task RunAsync(FunctionDefinition function, TimerSchedule schedule, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var last = time.GetUtcNow();
        logger.LogInformation("Timer {Function}: next occurrence {Next:O}", function.Name, schedule.NextAfter(last));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (schedule.NextAfter(last) is not { } next)
                {
                    logger.LogWarning("Timer {Function} has no further occurrence", function.Name);
                    return;
                }
                // Timers may wake a little early: never act before the occurrence is due.
                for (var wait = next - time.GetUtcNow(); wait > TimeSpan.Zero; wait = next - time.GetUtcNow())
                    await Task.Delay(wait, time, stoppingToken);

                var due = schedule.LatestAtOrBefore(time.GetUtcNow()) is { } latest && latest > next ? latest : next;
                if (due > next)
                    logger.LogWarning("Timer {Function}: occurrences from {Next:O} to {Due:O} were missed; firing {Due:O} once as past due", function.Name, next, due, due);
                await FireAsync(function, due, isPastDue: due > next, stoppingToken);
                last = due;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Claims and runs one occurrence; false when another host had it or the claim failed.</summary>
    public async Task<bool> FireAsync(FunctionDefinition function, DateTimeOffset occurrence, bool isPastDue, CancellationToken cancellationToken)
    {
        IAsyncDisposable? claim;
        try
        {
            claim = await singleton.TryClaimAsync(function.Name, occurrence, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Timer {Function}: could not claim {Occurrence:O} ({Error}: {Message}); not fired here",
                function.Name, occurrence, e.GetType().Name, e.Message.Split('\n', 2)[0]);
            return false;
        }
        if (claim is null)
        {
            logger.LogDebug("Timer {Function}: {Occurrence:O} fired elsewhere", function.Name, occurrence);
            return false;
        }

        await using (claim)
        {
            await using var scope = services.CreateAsyncScope();
            try
            {
                await function.Handler(new FunctionContext(function.Name, new TimerInput(occurrence, isPastDue), scope.ServiceProvider, cancellationToken));
                logger.LogInformation("Timer {Function}: ran {Occurrence:O}", function.Name, occurrence);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Timer {Function}: run for {Occurrence:O} failed", function.Name, occurrence);
            }
        }
        return true;
    }
}
