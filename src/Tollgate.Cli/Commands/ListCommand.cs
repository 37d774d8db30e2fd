using System.CommandLine;
using Spectre.Console;
using Tollgate.Cli.Output;

namespace Tollgate.Cli.Commands;

/// <summary><c>tollgate list [--status ...] [--prefix] [--page-size] [--continuation-token]</c>: one page, as a table.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext context, Option<string> endpoint)
    {
        var status = new Option<string[]>("--status") { Description = "Only these statuses (Pending, Running, Suspended, Completed, Failed, Terminated); repeat or comma-separate.", AllowMultipleArgumentsPerToken = true };
        var prefix = new Option<string?>("--prefix") { Description = "Only instance ids starting with this." };
        var pageSize = new Option<int?>("--page-size") { Description = "Instances per page (1-1000, default 100)." };
        var token = new Option<string?>("--continuation-token") { Description = "Where the previous page ended." };
        var command = new Command("list", "List orchestration instances.") { status, prefix, pageSize, token };
        command.SetApiAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var statuses = parse.GetValue(status) is { Length: > 0 } values ? string.Join(',', values) : null;
            var page = await api.ListAsync(statuses, parse.GetValue(prefix), parse.GetValue(pageSize), parse.GetValue(token), cancellationToken);
            if (page.Instances.Count == 0)
            {
                context.Out.WriteLine("no instances");
            }
            else
            {
                var table = new Table().AddColumns(new TableColumn("Instance").NoWrap(), new TableColumn("Name"), new TableColumn("Status"), new TableColumn("Created").NoWrap(), new TableColumn("Progress"));
                foreach (var instance in page.Instances)
                    table.AddRow(new Text(instance.InstanceId), new Text(instance.Name), new Text(instance.RuntimeStatus),
                        new Text(StatusPrinter.Time(instance.CreatedAt)), new Text(instance.Progress?.ToString() ?? ""));
                context.TableConsole().Write(table);
            }
            if (page.ContinuationToken is { } next) context.Out.WriteLine($"more: --continuation-token {next}");
            return ExitCodes.Success;
        });
        return command;
    }
}
