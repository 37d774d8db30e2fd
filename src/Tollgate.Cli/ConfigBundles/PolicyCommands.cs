using System.CommandLine;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;
using Tollgate.Cli.Ledger;
using Tollgate.Release.Policy;

namespace Tollgate.Cli.ConfigBundles;

/// <summary>
/// <c>tollgate policy lint &lt;file&gt;</c>: a release policy read as the host reads it, offline; prints its rev (the policy
/// version a map names, with the file as its <c>policy</c> artifact) and its steps. Exit codes: 0 valid, 2 refused.
/// </summary>
internal static class PolicyCommands
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A release policy (JSON; samples/policies)." };
        var lint = new Command("lint", "Lint a release policy; prints its rev and its steps.") { file };
        lint.SetLedgerAction(context, async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"No file '{path}'.");
            try
            {
                var policy = ReleasePolicyReader.Parse(await File.ReadAllTextAsync(path, cancellationToken));
                context.Out.WriteLine(policy.Rev);
                context.Out.WriteLine($"{policy} · {policy.Kind} on {policy.Environment}, a look every {policy.AnalysisInterval.TotalSeconds:0} s, final watch {policy.FinalWatch.TotalSeconds:0} s, "
                    + $"max rollback {policy.MaxRollbackTime.TotalSeconds:0} s, inconclusive → {policy.OnInconclusive.ToString().ToLowerInvariant()}, {policy.Metrics.Count} metric(s)");
                return ExitCodes.Success;
            }
            catch (ReleasePolicyException bad)
            {
                foreach (var problem in bad.Problems) context.Error.WriteLine($"  {problem}");
                throw new RequestRefusedException(bad.Problems[0].Code, $"the policy in {path} is refused: {bad.Problems.Count} problem(s)");
            }
        });
        return new Command("policy", "Release policies: steps, watches, metrics and how each is judged.") { lint };
    }
}
