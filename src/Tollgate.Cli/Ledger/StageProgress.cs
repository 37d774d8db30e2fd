using Spectre.Console;

namespace Tollgate.Cli.Ledger;

/// <summary>
/// Progress of a long local operation by stage: a live Spectre progress bar per stage on a terminal,
/// otherwise a plain line when a stage starts and ends (so CI logs stay short).
/// </summary>
internal static class StageProgress
{
    public static async Task<T> RunAsync<T>(CliContext context, Func<Action<string, long, long>, Task<T>> work)
    {
        if (context.Live is not { } live)
        {
            string? current = null;
            long lastTotal = 0, lastDone = 0;
            var result = await work((stage, done, total) =>
            {
                if (stage != current)
                {
                    if (current is not null) context.Out.WriteLine($"[{current}] {lastDone}/{lastTotal} done");
                    context.Out.WriteLine($"[{stage}] started");
                    current = stage;
                }
                (lastDone, lastTotal) = (done, total);
            });
            if (current is not null) context.Out.WriteLine($"[{current}] {lastDone}/{lastTotal} done");
            return result;
        }
        T value = default!;
        await live.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                value = await work((stage, done, total) =>
                {
                    if (!tasks.TryGetValue(stage, out var task)) tasks[stage] = task = progress.AddTask(stage);
                    task.MaxValue = Math.Max(1, total);
                    task.Value = Math.Min(done, task.MaxValue);
                });
                foreach (var task in tasks.Values) task.Value = task.MaxValue;
            });
        return value;
    }
}
