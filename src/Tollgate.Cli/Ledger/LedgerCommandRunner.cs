using System.CommandLine;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;
using Tollgate.Ledger;

namespace Tollgate.Cli.Ledger;

/// <summary>Turns the outcome of a command that reads a ledger (or files) into an exit code, in one place.</summary>
internal static class LedgerCommandRunner
{
    public static void SetLedgerAction(this Command command, CliContext context, Func<ParseResult, CancellationToken, Task<int>> action)
        => command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await action(parseResult, cancellationToken);
            }
            catch (RequestRefusedException refused)
            {
                context.Error.WriteLine($"error {refused.Reason}: {refused.Message}");
                return ExitCodes.Refused;
            }
            catch (LedgerException refused)
            {
                context.Error.WriteLine($"error {refused.Reason}: {refused.Message}");
                return ExitCodes.Refused;
            }
            catch (StorageUnreachableException unreachable)
            {
                context.Error.WriteLine($"error: {unreachable.Message}");
                return ExitCodes.Unreachable;
            }
            catch (HostUnreachableException unreachable)
            {
                context.Error.WriteLine($"error: {unreachable.Message}. Is the host running? Set --endpoint or {CliContext.EndpointVariable}.");
                return ExitCodes.Unreachable;
            }
        });

    /// <summary>A verifier key given as text, or as @file / a path to a file holding it.</summary>
    public static string? ReadKeyArgument(string? value)
    {
        if (value is null) return null;
        var path = value.StartsWith('@') ? value[1..] : value;
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        if (value.StartsWith('@')) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"No key file '{path}'.");
        return value.Trim();
    }
}
