using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Durable.Backend;
using Tollgate.Durable.Worker;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Hosting;

/// <summary>
/// Runs the engine worker for as long as the host runs. Joining the task hub is retried in the
/// background while storage is unreachable, so the host stays up and says so on /api/health
/// instead of exiting; stopping releases the partition leases.
/// </summary>
public sealed class DurableWorkerService(DurableWorker worker, DurableBackend backend, HostSettings settings, ILogger<DurableWorkerService> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _joining = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Engine: host {HostId}, backend {Backend}, task hub {TaskHub}, {Partitions} partitions",
            worker.HostId, settings.Storage.Describe(), backend.TaskHub, backend.PartitionCount);
        _joining = Task.Run(JoinAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task JoinAsync()
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await BackendFactory.PrepareAsync(backend, _stopping.Token);
                await worker.StartAsync(_stopping.Token);
                logger.LogInformation("Engine worker {HostId} joined task hub {TaskHub}; owns partitions [{Partitions}]",
                    worker.HostId, backend.TaskHub, string.Join(", ", worker.OwnedPartitions));
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Engine worker {HostId} could not join task hub {TaskHub} ({Error}: {Message}); retrying in {Delay}",
                    worker.HostId, backend.TaskHub, e.GetType().Name, settings.Storage.Redact(e.Message.Split('\n', 2)[0]), delay);
            }
            try { await Task.Delay(delay, _stopping.Token); }
            catch (OperationCanceledException) { return; }
            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        await _joining;
        await worker.StopAsync(cancellationToken);
        logger.LogInformation("Engine worker {HostId} stopped", worker.HostId);
    }
}
