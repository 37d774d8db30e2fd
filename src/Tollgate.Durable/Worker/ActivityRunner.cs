using Microsoft.Extensions.Logging;
using Tollgate.Durable.History;

namespace Tollgate.Durable.Worker;

/// <summary>
/// Runs activities in this process, at most N at a time, and posts each outcome back to the
/// session that scheduled it. Activities are at-least-once: if the process dies before the outcome
/// is recorded, the new owner of the instance runs the activity again.
/// </summary>
internal sealed class ActivityRunner(DurableTaskRegistry registry, DurableWorkerOptions options, TimeProvider time, ILogger logger)
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentActivities);
    private long _executed;

    public long Executed => Interlocked.Read(ref _executed);

    public void Run(InstanceSession session, string executionId, TaskScheduled task, CancellationToken stopping)
        => _ = Task.Run(() => RunAsync(session, executionId, task, stopping), CancellationToken.None);

    private async Task RunAsync(InstanceSession session, string executionId, TaskScheduled task, CancellationToken stopping)
    {
        try
        {
            await _slots.WaitAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return; // the host is stopping; the next owner runs it
        }

        try
        {
            var outcome = await ExecuteAsync(session.InstanceId, executionId, task, stopping);
            if (outcome is null) return;
            await Inject(FaultPoints.AfterActivityBeforeRecord);
            session.Post(new Inbound(outcome, ExecutionId: executionId));
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<HistoryEvent?> ExecuteAsync(string instanceId, string executionId, TaskScheduled task, CancellationToken stopping)
    {
        if (!registry.TryGetActivity(task.Name, out var activity))
            return new TaskFailed(time.GetUtcNow().UtcDateTime, task.TaskId,
                new TaskFailureDetails("ActivityNotFound", $"No activity named '{task.Name}' is registered on host."));

        var context = new TaskActivityContext(task.Name, instanceId, task.TaskId, executionId);
        try
        {
            await Inject(FaultPoints.DuringActivity);
            var result = await activity(context, task.Input, stopping);
            Interlocked.Increment(ref _executed);
            return new TaskCompleted(time.GetUtcNow().UtcDateTime, task.TaskId, result);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null; // abandoned by a stopping host, not failed: the next owner runs it again
        }
        catch (Exception failure)
        {
            Interlocked.Increment(ref _executed);
            logger.LogDebug(failure, "Activity {Activity} #{TaskId} of {InstanceId} failed", task.Name, task.TaskId, instanceId);
            return new TaskFailed(time.GetUtcNow().UtcDateTime, task.TaskId, TaskFailureDetails.FromException(failure));
        }
    }

    private Task Inject(string point) => options.FaultInjection?.Invoke(point) ?? Task.CompletedTask;
}
