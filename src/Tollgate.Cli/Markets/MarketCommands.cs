using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using System.Text.Json;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Governance;
using Tollgate.Cli.Http;
using Tollgate.Cli.Output;
using Tollgate.Cli.Ledger;
using Tollgate.Markets.Binance.Frames;
using Tollgate.Markets.Capture;
using Tollgate.Markets.Features;
using Tollgate.Markets.Ingest;

namespace Tollgate.Cli.Markets;

/// <summary>
/// <c>tollgate market replay|slice|status</c>. Replay and slice read a capture file directly and run the same ingest
/// handler the host runs; status asks a running host. Exit codes: 0 done, 2 refused (a bad argument or an unreadable
/// capture), 3 unreachable.
/// </summary>
internal static class MarketCommands
{
    public static Command Create(CliContext context, Option<string> endpoint) => new("market", "Replay and slice market captures; see the host's books and data quality.")
    {
        Replay(context), Slice(context), Status(context, endpoint),
    };

    private static Command Replay(CliContext context)
    {
        var file = new Argument<string>("capture") { Description = "A capture file (gzip JSON lines, as the host writes under Tollgate:Markets:CaptureFolder)." };
        var speed = new Option<string>("--speed") { Description = "1x (as received), 10x, any Nx, or max.", DefaultValueFactory = _ => "max" };
        var featuresOut = new Option<string?>("--features-out") { Description = "Also write every FeatureEvent as a JSON line to this file." };
        var depth = new Option<int>("--depth") { Description = "Book levels to print per side (1-50).", DefaultValueFactory = _ => 5 };
        var defaults = FeatureConfig.Default;
        var imbalance = new Option<int>("--imbalance-levels") { Description = "Levels per side in the top-N imbalance.", DefaultValueFactory = _ => defaults.ImbalanceLevels };
        var barSeconds = new Option<int>("--bar-seconds") { Description = "Bar length for ATR and realized volatility (dividing a day).", DefaultValueFactory = _ => defaults.BarSeconds };
        var atrPeriod = new Option<int>("--atr-period") { Description = "Bars in Wilder's ATR.", DefaultValueFactory = _ => defaults.AtrPeriod };
        var volatilityBars = new Option<int>("--vol-bars") { Description = "Bar returns in the realized volatility.", DefaultValueFactory = _ => defaults.VolatilityBars };
        var command = new Command("replay", "Drive a capture through the ingest handler and print the final books and features.")
        {
            file, speed, featuresOut, depth, imbalance, barSeconds, atrPeriod, volatilityBars,
        };
        command.SetLedgerAction(context, async (parse, cancellationToken) =>
        {
            if (!ReplaySpeed.TryParse(parse.GetValue(speed), out var pace))
                throw new RequestRefusedException(ApiCommand.InvalidArguments, $"--speed '{parse.GetValue(speed)}' is not 1x, 10x, Nx or max.");
            var levels = parse.GetValue(depth);
            if (levels is < 1 or > 50) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"--depth {levels} is not 1-50.");
            FeatureConfig config;
            try
            {
                config = new FeatureConfig(parse.GetValue(imbalance), parse.GetValue(barSeconds), parse.GetValue(atrPeriod), parse.GetValue(volatilityBars));
            }
            catch (ArgumentOutOfRangeException bad)
            {
                throw new RequestRefusedException(ApiCommand.InvalidArguments, $"feature settings: {bad.ParamName} {bad.Message.Split(" (Parameter")[0]}");
            }
            try
            {
                using var reader = CaptureReader.Open(parse.GetValue(file)!);
                await using var output = parse.GetValue(featuresOut) is { } path ? File.Create(path) : null;
                using var log = new FeatureEventLog(output);
                var table = reader.Header.Instruments;
                var handler = new MarketIngestHandler(table, () => new BinanceFrameDecoder(table), config, log);
                context.Out.WriteLine($"replaying {parse.GetValue(file)} at {pace}: {table.All.Count} instrument(s) [{string.Join(", ", table.All.Select(i => i.Key))}], captured by {reader.Header.Source} from {reader.Header.StartedAt:O}");
                var result = await StageProgress.RunAsync(context, report =>
                    new CaptureReplay(handler, TimeProvider.System).RunAsync(reader.Frames(), pace,
                        new SyncProgress<ReplayProgress>(_ => report("replaying", reader.BytesRead, reader.Length ?? reader.BytesRead)), cancellationToken));
                ReplayReport.Print(context, handler, result, log, levels);
                return ExitCodes.Success;
            }
            catch (CaptureFormatException bad)
            {
                throw new RequestRefusedException(bad.Code, bad.Message);
            }
        });
        return command;
    }

    private static Command Slice(CliContext context)
    {
        var file = new Argument<string>("capture") { Description = "The capture to cut from." };
        var from = new Option<string>("--from") { Description = "Start of the window (ISO 8601, UTC).", Required = true };
        var to = new Option<string>("--to") { Description = "End of the window, exclusive (ISO 8601, UTC).", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the slice (a capture file).", Required = true };
        var command = new Command("slice", "Cut the market-data slice of a time window (with the snapshots it needs to replay) for a replay bundle.") { file, from, to, output };
        command.SetLedgerAction(context, async (parse, cancellationToken) =>
        {
            var start = Time(parse.GetValue(from)!, "--from");
            var end = Time(parse.GetValue(to)!, "--to");
            try
            {
                var written = await CaptureSlice.WriteAsync(parse.GetValue(file)!, start, end, File.Create(parse.GetValue(output)!), cancellationToken);
                context.Out.WriteLine($"wrote {written} frame(s) to {parse.GetValue(output)}: {start:O} to {end:O}, from each instrument's last snapshot before the window");
                return ExitCodes.Success;
            }
            catch (CaptureFormatException bad)
            {
                throw new RequestRefusedException(bad.Code, bad.Message);
            }
        });
        return command;
    }

    private static Command Status(CliContext context, Option<string> endpoint)
    {
        var command = new Command("status", "The running host's market plane: books, features, data quality and connections (GET /api/market).");
        command.SetGovernanceAction(context, endpoint, (_, api, cancellationToken) => api.GetJsonAsync("api/market", cancellationToken), (answer, output) =>
        {
            output.WriteLine($"{answer.Text("frames")} frames ingested, {answer.Text("duplicates")} duplicate(s), {answer.Text("featureEvents")} FeatureEvents (config {answer.Text("configRev")})");
            foreach (var i in answer.GetProperty("instruments").EnumerateArray())
            {
                var features = i.TryGetProperty("features", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
                var quality = i.TryGetProperty("quality", out var q) ? q : default;
                output.WriteLine($"  {i.Text("instrument"),-13} {i.Text("state"),-17} update {i.Text("lastUpdateId"),-9} bid {i.Text("bestBid")} ask {i.Text("bestAsk")}"
                    + (features.ValueKind == JsonValueKind.Object ? $" mid {features.Text("mid")} spread {features.Text("spreadBps")} bps imbalance {features.Text("imbalance")}" : "")
                    + (quality.ValueKind == JsonValueKind.Object ? $"; {quality.Text("gaps")} gap(s), {quality.Text("resyncs")} resync(s), latency p95 ≤{quality.Text("latencyP95Ms")} ms" : ""));
            }
            foreach (var c in answer.GetProperty("connections").EnumerateArray())
                output.WriteLine($"  {c.Text("market"),-4} connections {c.Text("openConnections")}, heartbeat RTT p95 ≤{c.Text("heartbeatRttP95Ms")} ms, clock skew {c.Text("clockSkewMs")} ms, weight {c.Text("weight")}");
            foreach (var e in answer.GetProperty("recentDataQuality").EnumerateArray())
                output.WriteLine($"  {e.Text("code")} {e.Text("instrument")}: {e.Text("detail")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static DateTimeOffset Time(string text, string option)
        => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new RequestRefusedException(ApiCommand.InvalidArguments, $"{option} '{text}' is not an ISO 8601 time.");
}
