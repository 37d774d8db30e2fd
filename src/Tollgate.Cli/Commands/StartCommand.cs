using System.CommandLine;
using Tollgate.Cli.Http;
using Tollgate.Cli.Output;

namespace Tollgate.Cli.Commands;

/// <summary><c>tollgate start &lt;orchestrator&gt; [--input json | --input-file path] [--id] [--start-at] [--wait]</c></summary>
internal static class StartCommand
{
    public static Command Create(CliContext context, Option<string> endpoint)
    {
        var orchestrator = new Argument<string>("orchestrator") { Description = "The orchestrator to start, e.g. EngineTour." };
        var input = new Option<string?>("--input") { Description = "The input as JSON." };
        var inputFile = new Option<FileInfo?>("--input-file") { Description = "A file holding the input as JSON." };
        var id = new Option<string?>("--id") { Description = "The instance id (a new GUID when omitted)." };
        var startAt = new Option<string?>("--start-at") { Description = "Start no earlier than this ISO 8601 time." };
        var wait = new Option<bool>("--wait") { Description = "Follow its progress until it ends; exit 0 only if it Completed." };
        var command = new Command("start", "Start an orchestration and print its instance id.") { orchestrator, input, inputFile, id, startAt, wait };
        command.SetApiAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var json = await InputAsync(parse.GetValue(input), parse.GetValue(inputFile), cancellationToken);
            var started = await api.StartAsync(parse.GetValue(orchestrator)!, json, parse.GetValue(id), parse.GetValue(startAt), cancellationToken);
            context.Out.WriteLine(started.Id);
            return parse.GetValue(wait)
                ? await new ProgressWatcher(api, context).WatchAsync(started.Id, cancellationToken)
                : ExitCodes.Success;
        });
        return command;
    }

    private static async Task<string?> InputAsync(string? input, FileInfo? inputFile, CancellationToken cancellationToken)
    {
        if (input is not null && inputFile is not null)
            throw new RequestRefusedException(ApiCommand.InvalidArguments, "Give --input or --input-file, not both.");
        if (inputFile is null) return ApiCommand.ValidJson(input, "--input");
        if (!inputFile.Exists)
            throw new RequestRefusedException("INPUT_FILE_NOT_FOUND", $"--input-file '{inputFile.FullName}' does not exist.");
        return ApiCommand.ValidJson(await File.ReadAllTextAsync(inputFile.FullName, cancellationToken), $"--input-file '{inputFile.Name}'");
    }
}
