using System.CommandLine;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Governance;

/// <summary><c>tollgate object put FILE</c>: store a policy or rulebook snapshot once, by its SHA-256, for gates and replay bundles.</summary>
internal static class ObjectCommands
{
    public static Command Create(CliContext context, Option<string> endpoint)
    {
        var objects = new Command("object", "Content-addressed, write-once objects (policies, rulebook snapshots).");
        var file = new Argument<string>("file") { Description = "The file to store." };
        var put = new Command("put", "Store a file; prints its digest (sha256:<hex>).") { file };
        put.SetGovernanceAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"No file '{path}'.");
            return await api.PutBytesAsync("api/objects", await File.ReadAllBytesAsync(path, cancellationToken), cancellationToken);
        }, (answer, output) =>
        {
            output.WriteLine(answer.Text("digest"));
            return ExitCodes.Success;
        });
        objects.Subcommands.Add(put);
        return objects;
    }
}
