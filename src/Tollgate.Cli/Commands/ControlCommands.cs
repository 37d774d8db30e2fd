using System.CommandLine;

namespace Tollgate.Cli.Commands;

/// <summary><c>raise</c>, <c>terminate</c>, <c>suspend</c>, <c>resume</c> and <c>purge</c>: one request each.</summary>
internal static class ControlCommands
{
    public static Command Raise(CliContext context, Option<string> endpoint)
    {
        var id = new Argument<string>("id") { Description = "The instance id." };
        var eventName = new Argument<string>("event") { Description = "The event name the orchestration waits for." };
        var data = new Option<string?>("--data") { Description = "The event payload as JSON." };
        var command = new Command("raise", "Raise an external event on a running orchestration.") { id, eventName, data };
        command.SetApiAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            await api.RaiseEventAsync(parse.GetValue(id)!, parse.GetValue(eventName)!, ApiCommand.ValidJson(parse.GetValue(data), "--data"), cancellationToken);
            context.Out.WriteLine($"raised {parse.GetValue(eventName)} on {parse.GetValue(id)}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Control(CliContext context, Option<string> endpoint, string operation, string description)
    {
        var id = new Argument<string>("id") { Description = "The instance id." };
        var reason = new Option<string?>("--reason") { Description = "Why; recorded with the instance." };
        var command = new Command(operation, description) { id, reason };
        command.SetApiAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            await api.ControlAsync(parse.GetValue(id)!, operation, parse.GetValue(reason), cancellationToken);
            context.Out.WriteLine($"{operation} requested for {parse.GetValue(id)}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Purge(CliContext context, Option<string> endpoint)
    {
        var id = new Argument<string>("id") { Description = "The instance id." };
        var command = new Command("purge", "Remove an ended orchestration and its history.") { id };
        command.SetApiAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var purged = await api.PurgeAsync(parse.GetValue(id)!, cancellationToken);
            context.Out.WriteLine($"purged {purged} instance(s)");
            return ExitCodes.Success;
        });
        return command;
    }
}
