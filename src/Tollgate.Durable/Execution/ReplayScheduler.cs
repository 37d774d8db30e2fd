using System.Collections.Concurrent;

namespace Tollgate.Durable.Execution;

/// <summary>
/// Runs orchestrator continuations one at a time, only when the executor drains it, on the
/// executor's thread. That makes the interleaving of orchestrator code a function of the history
/// alone. Inlining is refused so that completing a task never runs orchestrator code re-entrantly.
/// </summary>
internal sealed class ReplayScheduler : TaskScheduler
{
    private readonly ConcurrentQueue<Task> _ready = new();

    public override int MaximumConcurrencyLevel => 1;

    public void RunUntilIdle()
    {
        while (_ready.TryDequeue(out var task)) TryExecuteTask(task);
    }

    protected override void QueueTask(Task task) => _ready.Enqueue(task);
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;
    protected override IEnumerable<Task> GetScheduledTasks() => _ready.ToArray();
}
