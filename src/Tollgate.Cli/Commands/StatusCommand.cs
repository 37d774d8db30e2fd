using System.CommandLine;
using Tollgate.Cli.Output;

namespace Tollgate.Cli.Commands;

/// <summary><c>tollgate status &lt;id&gt; [--watch]</c>: exits 1 when the instance ended Failed or Terminated.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context, Option<string> endpoint)
    {
        var id = new Argument<string>("id") { Description = "The instance id." };
        var watch = new Option<bool>("--watch") { Description = "Follow its progress until it ends; exit 0 only if it Completed." };
        var command = new Command("status", "Show an orchestration's status, progress and output or failure.") { id, watch };
        command.SetApiAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var instanceId = parse.GetValue(id)!;
            if (parse.GetValue(watch)) return await new ProgressWatcher(api, context).WatchAsync(instanceId, cancellationToken);
            var status = await api.GetAsync(instanceId, cancellationToken);
            StatusPrinter.Print(context.Out, status);
            return StatusPrinter.ExitCodeOf(status);
        });
        return command;
    }
}
