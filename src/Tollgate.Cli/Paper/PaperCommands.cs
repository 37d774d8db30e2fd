using System.CommandLine;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;
using Tollgate.Cli.Ledger;
using Tollgate.Cli.Output;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Capture;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Features;
using Tollgate.Markets.Strategy;

namespace Tollgate.Cli.Paper;

/// <summary>
/// <c>tollgate paper run &lt;capture&gt; --rules &lt;file&gt;</c>: a recorded market drives the rule strategy, the
/// router (idempotency, kill switch, risk), the Paper channel, positions and a final reconciliation, all in this
/// process, and prints the orders, fills, PnL and per-cohort metrics. Exit codes: 0 done and reconciled, 1 the
/// reconciliation failed, 2 refused (bad rules, an unreadable capture, a bad argument).
/// </summary>
internal static class PaperCommands
{
    public static Command Create(CliContext context) => new("paper", "Trade a recorded market on paper through the whole order path.") { Run(context) };

    private static Command Run(CliContext context)
    {
        var file = new Argument<string>("capture") { Description = "A capture file (as the host writes under Tollgate:Markets:CaptureFolder, or a slice of one)." };
        var rules = new Option<string>("--rules") { Description = "The strategy's rule set (JSON, the config bundle's rules).", Required = true };
        var barSeconds = new Option<int>("--bar-seconds") { Description = "Bar length for ATR and realized volatility.", DefaultValueFactory = _ => FeatureConfig.Default.BarSeconds };
        var show = new Option<int>("--show") { Description = "Orders and fills to print (the most recent).", DefaultValueFactory = _ => 15 };
        var command = new Command("run", "Replay a capture through strategy → router → Paper → positions → reconciliation.") { file, rules, barSeconds, show };
        command.SetLedgerAction(context, async (parse, cancellationToken) =>
        {
            FeatureConfig features;
            try { features = new FeatureConfig(barSeconds: parse.GetValue(barSeconds)); }
            catch (ArgumentOutOfRangeException bad) { throw new RequestRefusedException(ApiCommand.InvalidArguments, $"--bar-seconds: {bad.Message.Split(" (Parameter")[0]}"); }
            var shown = parse.GetValue(show);
            if (shown is < 0 or > 1000) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"--show {shown} is not 0-1000.");
            var rulesPath = parse.GetValue(rules)!;
            if (!File.Exists(rulesPath)) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"--rules {rulesPath}: no such file.");
            try
            {
                using var reader = CaptureReader.Open(parse.GetValue(file)!);
                var table = reader.Header.Instruments;
                RuleSet ruleSet;
                try { ruleSet = RuleSet.Parse(await File.ReadAllTextAsync(rulesPath, cancellationToken), table); }
                catch (RuleSetException bad)
                {
                    foreach (var problem in bad.Problems) context.Error.WriteLine($"  {problem}");
                    throw new RequestRefusedException(bad.Problems[0].Code, $"the rules in {rulesPath} are refused: {bad.Problems.Count} problem(s)");
                }
                context.Out.WriteLine($"paper run of {parse.GetValue(file)}: {table.All.Count} instrument(s) [{string.Join(", ", table.All.Select(i => i.Key))}], rules {ruleSet.Rev} ({ruleSet.Name}, {ruleSet.Rules.Count} rule(s))");
                var replay = new PaperReplay(table, () => new BinanceFrameDecoder(table), features, ruleSet, PaperReplayOptions.Default);
                var report = await StageProgress.RunAsync(context, progress =>
                    replay.RunAsync(reader.Frames(), new SyncProgress<long>(_ => progress("trading", reader.BytesRead, reader.Length ?? reader.BytesRead)), cancellationToken));
                PaperReport.Print(context, report, shown);
                return report.Reconciliation.Failed ? ExitCodes.NotVerified : ExitCodes.Success;
            }
            catch (CaptureFormatException bad)
            {
                throw new RequestRefusedException(bad.Code, bad.Message);
            }
        });
        return command;
    }
}
