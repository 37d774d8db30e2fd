using System.CommandLine;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Ledger;

namespace Tollgate.Cli;

/// <summary><c>tollgate</c>: the operators' and CI's client of a Tollgate host's HTTP API.</summary>
public static class TollgateCli
{
    public static RootCommand Build(CliContext context)
    {
        var endpoint = new Option<string>("--endpoint")
        {
            Description = $"The Tollgate host (env {CliContext.EndpointVariable}; default {CliContext.DefaultEndpoint}).",
            Recursive = true,
            DefaultValueFactory = _ => context.EndpointFromEnvironment is { Length: > 0 } fromEnvironment ? fromEnvironment : CliContext.DefaultEndpoint,
        };
        var root = new RootCommand("tollgate: govern releases (version maps, gates, approvals, the kill switch), run orchestrations, verify and prove the audit ledger.")
        {
            StartCommand.Create(context, endpoint),
            StatusCommand.Create(context, endpoint),
            ControlCommands.Raise(context, endpoint),
            ControlCommands.Control(context, endpoint, "terminate", "Terminate a running orchestration."),
            ControlCommands.Control(context, endpoint, "suspend", "Suspend a running orchestration."),
            ControlCommands.Control(context, endpoint, "resume", "Resume a suspended orchestration."),
            ControlCommands.Purge(context, endpoint),
            ListCommand.Create(context, endpoint),
            LedgerCommands.Create(context),
            BundleCommands.Create(context, endpoint),
            Evidence.EvidenceCommands.Create(context, endpoint),
            Governance.AuthCommands.Create(context, endpoint),
            Governance.VersionMapCommands.Create(context, endpoint),
            Governance.GateCommands.Create(context, endpoint),
            Governance.ApprovalCommands.Create(context, endpoint),
            Governance.KillSwitchCommands.Create(context, endpoint),
            Governance.ObjectCommands.Create(context, endpoint),
            Markets.MarketCommands.Create(context, endpoint),
            Paper.PaperCommands.Create(context),
            Execution.ExecutionCommands.Create(context, endpoint),
            Execution.ExecutionCommands.Rules(context, endpoint),
            ConfigBundles.ConfigBundleCommands.Create(context, endpoint),
            ConfigBundles.PolicyCommands.Create(context),
            Release.ReleaseCommands.Create(context, endpoint),
        };
        root.Options.Add(endpoint);
        root.Options.Add(CliToken.Option);
        root.Options.Add(Governance.GovernanceCommand.Json);
        return root;
    }

    /// <summary>Parses and runs; usage errors exit 2 (a refused request), like every other refusal.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parseResult = Build(context).Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors) context.Error.WriteLine($"error {ApiCommand.InvalidArguments}: {error.Message}");
            context.Error.WriteLine("Run 'tollgate --help' for usage.");
            return ExitCodes.Refused;
        }
        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error }, cancellationToken);
    }
}
