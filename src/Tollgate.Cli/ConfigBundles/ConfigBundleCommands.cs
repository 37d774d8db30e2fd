using System.CommandLine;
using System.Text.Json;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Governance;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.ConfigBundles;

/// <summary>
/// <c>tollgate config-bundle lint|dry-run|simulate &lt;bundle.json&gt; [--capture file]</c>: a config bundle checked by the
/// host (POST /api/config-bundles), the Test stage of a config release run by hand. Exit codes: 0 valid (simulate:
/// ACCEPTED), 1 simulate REJECTED, 2 refused (lint problems, bad arguments), 3 unreachable.
/// </summary>
internal static class ConfigBundleCommands
{
    public static Command Create(CliContext context, Option<string> endpoint) => new("config-bundle", "Config bundles (rules, factors, universe): lint, dry-run and simulate before a release.")
    {
        Check(context, endpoint, "lint", "Lint a bundle against the host's instruments; prints its effective rules' rev (the config a map names) and writes them with --rules-out."),
        Check(context, endpoint, "dry-run", "Run the bundle alone through the paper order path on a recorded capture."),
        Check(context, endpoint, "simulate", "Compare the bundle with the active rules on a recorded capture: Jaccard, flip_pct, skip rate, size_mult > 1, sensitivity, and the seed 002 D verdict."),
    };

    private static Command Check(CliContext context, Option<string> endpoint, string mode, string description)
    {
        var file = new Argument<string>("bundle") { Description = "A config bundle (JSON)." };
        var capture = new Option<string?>("--capture") { Description = "A recorded market capture (capture.jsonl.gz), uploaded to the object store first." };
        var rulesOut = new Option<string?>("--rules-out") { Description = "Write the bundle's effective rules (canonical JSON) to this file." };
        var environment = new Option<string>("--env") { Description = "Whose active rules simulate compares with.", DefaultValueFactory = _ => "Paper" };
        var command = new Command(mode, description) { file, capture, rulesOut, environment };
        command.SetGovernanceAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"No file '{path}'.");
            using var bundle = JsonDocument.Parse(await File.ReadAllBytesAsync(path, cancellationToken));
            var captureDigest = await InputFiles.UploadAsync(api, parse.GetValue(capture), cancellationToken);
            if (captureDigest is null && mode != "lint") throw new RequestRefusedException(ApiCommand.InvalidArguments, $"{mode} replays a recorded capture: give --capture.");
            var answer = await api.PostJsonAsync("api/config-bundles", new { bundle = bundle.RootElement, mode, capture = captureDigest, environment = parse.GetValue(environment) }, cancellationToken);
            if (parse.GetValue(rulesOut) is { } outPath) await File.WriteAllTextAsync(outPath, answer.GetProperty("lint").Text("rules"), cancellationToken);
            return answer;
        }, (answer, output) =>
        {
            var lint = answer.GetProperty("lint");
            output.WriteLine(lint.Text("rules_rev"));
            output.WriteLine($"bundle {lint.Text("bundle_rev")}: valid; effective rules {lint.Text("rules_rev")}, universe {string.Join(", ", lint.GetProperty("universe").EnumerateArray().Select(u => u.GetString()))}");
            if (answer.TryGetProperty("dry_run", out var dry))
                output.WriteLine($"dry-run: {dry.GetRawText()}");
            if (!answer.TryGetProperty("verdict", out var verdict)) return ExitCodes.Success;
            var simulation = answer.GetProperty("simulation");
            output.WriteLine($"simulate against the active rules: {simulation.GetRawText()}");
            output.WriteLine($"sensitivity: {answer.GetProperty("sensitivity").GetRawText()}");
            var codes = string.Join(", ", answer.GetProperty("reason_codes").EnumerateArray().Select(c => c.GetString()));
            output.WriteLine($"verdict {verdict.GetString()}{(codes.Length == 0 ? "" : $": {codes}")}");
            return verdict.GetString() == "ACCEPTED" ? ExitCodes.Success : ExitCodes.NotPassed;
        });
        return command;
    }
}
