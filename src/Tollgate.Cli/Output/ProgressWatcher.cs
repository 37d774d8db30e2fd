using Spectre.Console;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Output;

/// <summary>
/// Follows an instance until it ends, driven by the API's <c>progress</c> field: a live Spectre
/// progress bar on a terminal, or a plain <c>[stage] done/total detail</c> line each time the
/// progress changes when stdout is not one (CI, redirected). Then prints the output or failure.
/// </summary>
public sealed class ProgressWatcher(TollgateApi api, CliContext context)
{
    public async Task<int> WatchAsync(string instanceId, CancellationToken cancellationToken)
    {
        var final = context.Live is { } live
            ? await WatchLiveAsync(live, instanceId, cancellationToken)
            : await WatchPlainAsync(instanceId, cancellationToken);
        context.Out.WriteLine($"{final.InstanceId} {final.RuntimeStatus}");
        StatusPrinter.PrintOutcome(context.Out, final);
        return final.RuntimeStatus == "Completed" ? ExitCodes.Success : ExitCodes.OrchestrationFailed;
    }

    private async Task<OrchestrationStatus> WatchPlainAsync(string instanceId, CancellationToken cancellationToken)
    {
        string? lastLine = null, lastStatus = null;
        while (true)
        {
            var status = await api.GetAsync(instanceId, cancellationToken);
            if (status.RuntimeStatus != lastStatus && !status.IsTerminal)
                context.Out.WriteLine($"{status.InstanceId} {status.RuntimeStatus}");
            lastStatus = status.RuntimeStatus;
            if (status.Progress is { } progress && progress.ToString() != lastLine)
            {
                lastLine = progress.ToString();
                context.Out.WriteLine(lastLine);
            }
            if (status.IsTerminal) return status;
            await Task.Delay(context.PollInterval, cancellationToken);
        }
    }

    private async Task<OrchestrationStatus> WatchLiveAsync(IAnsiConsole console, string instanceId, CancellationToken cancellationToken)
    {
        OrchestrationStatus? final = null;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(instanceId), maxValue: 1);
                while (true)
                {
                    var status = await api.GetAsync(instanceId, cancellationToken);
                    task.Description = Markup.Escape(status.Progress is { } p
                        ? $"{p.Stage}{(p.Detail is { Length: > 0 } ? $" - {p.Detail}" : "")}"
                        : $"{status.Name} {status.RuntimeStatus}");
                    if (status.Progress is { } current)
                    {
                        task.MaxValue = Math.Max(1, current.Total);
                        task.Value = Math.Min(current.Done, task.MaxValue);
                    }
                    if (status.IsTerminal)
                    {
                        if (status.RuntimeStatus == "Completed") task.Value = task.MaxValue;
                        task.StopTask();
                        final = status;
                        return;
                    }
                    await Task.Delay(context.PollInterval, cancellationToken);
                }
            });
        return final!;
    }
}
