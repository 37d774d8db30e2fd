using System.CommandLine;
using System.Text.Json;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Governance;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Release;

/// <summary>
/// <c>tollgate release start|status|list|pause|resume|promote|promote-full|abort|rollback</c>: the release manager's and
/// CI's side of <c>/api/releases</c> (docs/RELEASES.md). Exit codes: <c>start</c> 0 when accepted; <c>status</c> 0 while
/// it runs or when it ended SUCCESS, 1 when it ended FAIL or ROLLED_BACK (with <c>--watch</c> it waits for the end);
/// 2 refused; 3 unreachable.
/// </summary>
internal static class ReleaseCommands
{
    public static Command Create(CliContext context, Option<string> endpoint)
    {
        var release = new Command("release", "Governed releases: the nine-stage pipeline, its canary, its rollback.")
        {
            Start(context, endpoint),
            Status(context, endpoint),
            List(context, endpoint),
            Control(context, endpoint, "pause", "Hold the canary at its step (the watch clock stops; analysis goes on)."),
            Control(context, endpoint, "resume", "Resume a paused canary (also what a human answers an INCONCLUSIVE pause with)."),
            Control(context, endpoint, "promote", "Skip the rest of this step's watch: go to the next step."),
            Control(context, endpoint, "promote-full", "Go to 100% now (the final watch still runs)."),
            Control(context, endpoint, "abort", "Abort the canary: traffic returns to the stable map, verified by every host."),
        };
        release.Subcommands.Add(Rollback(context, endpoint));
        return release;
    }

    private static Command Start(CliContext context, Option<string> endpoint)
    {
        var environment = new Option<string>("--env") { Description = "Paper or Live.", Required = true };
        var kind = new Option<string>("--kind") { Description = "code or config_bundle.", Required = true };
        kind.AcceptOnlyFromAmong("code", "config_bundle");
        var map = new Option<string>("--map") { Description = "The candidate version map (registered with 'vmap register').", Required = true };
        var commit = new Option<string>("--commit") { Description = "The commit CI built.", Required = true };
        var ciRun = new Option<string>("--ci-run") { Description = "CI's run id (with the map and environment it names the release).", Required = true };
        var ciRunUrl = new Option<string?>("--ci-run-url") { Description = "A link to CI's run." };
        var testReport = new Option<string?>("--test-report") { Description = "CI's JUnit XML or TRX report (code releases), uploaded to the object store." };
        var bundle = new Option<string?>("--bundle") { Description = "The config bundle (config releases), uploaded to the object store." };
        var capture = new Option<string?>("--capture") { Description = "The market capture the Test stage simulates (config releases), uploaded." };
        var documents = new Option<string?>("--document-index") { Description = "A JSON file: [{doc_key, version, status}] for VERSION_AUDIT." };
        var codes = new Option<string?>("--veto-codes") { Description = "A JSON file: [{code, description}] for RISK_COMPLIANCE." };
        var command = new Command("start", "Start a release (what CI's POST /api/releases does); prints its id on the first line.")
            { environment, kind, map, commit, ciRun, ciRunUrl, testReport, bundle, capture, documents, codes };
        command.SetGovernanceAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var body = new Dictionary<string, object?>
            {
                ["environment"] = parse.GetValue(environment),
                ["kind"] = parse.GetValue(kind),
                ["candidate_map"] = parse.GetValue(map),
                ["evidence"] = new Dictionary<string, object?>
                {
                    ["commit"] = parse.GetValue(commit),
                    ["ci_run_id"] = parse.GetValue(ciRun),
                    ["ci_run_url"] = parse.GetValue(ciRunUrl),
                    ["test_report"] = await InputFiles.UploadAsync(api, parse.GetValue(testReport), cancellationToken),
                },
                ["bundle"] = await InputFiles.UploadAsync(api, parse.GetValue(bundle), cancellationToken),
                ["capture"] = await InputFiles.UploadAsync(api, parse.GetValue(capture), cancellationToken),
                ["gate_inputs"] = new Dictionary<string, object?>
                {
                    ["document_index"] = await InputFiles.JsonAsync(parse.GetValue(documents), cancellationToken),
                    ["veto_reason_codes"] = await InputFiles.JsonAsync(parse.GetValue(codes), cancellationToken),
                },
            };
            return await api.PostJsonAsync("api/releases", body, cancellationToken);
        }, (answer, output) =>
        {
            output.WriteLine(answer.Text("release_id"));
            output.WriteLine(answer.TryGetProperty("existing", out var existing) && existing.GetBoolean()
                ? "already started: the same environment, map and CI run name the same release"
                : $"started; follow it with 'tollgate release status {answer.Text("release_id")} --watch'");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Status(CliContext context, Option<string> endpoint)
    {
        var id = new Argument<string>("id") { Description = "The release id (rel-…)." };
        var watch = new Option<bool>("--watch") { Description = "Follow it until it ends, printing each change of stage, step, weight or analysis." };
        var command = new Command("status", "A release's stages, canary step and weight, approvals, every analysis, its rollback and deploy event.") { id, watch };
        command.SetApiAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var path = $"api/releases/{Uri.EscapeDataString(parse.GetValue(id)!)}";
            var json = parse.GetValue(GovernanceCommand.Json);
            if (parse.GetValue(watch))
            {
                string? last = null;
                while (true)
                {
                    var current = await api.GetJsonAsync(path, cancellationToken);
                    if (!json && ReleaseView.ProgressLine(current) is var line && line != last) context.Out.WriteLine(last = line);
                    if (ReleaseView.IsTerminal(current)) return Print(current, json, context.Out);
                    await Task.Delay(context.PollInterval, cancellationToken);
                }
            }
            return Print(await api.GetJsonAsync(path, cancellationToken), json, context.Out);
        });
        return command;
    }

    private static int Print(JsonElement view, bool json, TextWriter output)
    {
        if (json) output.WriteLine(JsonSerializer.Serialize(view, Indented));
        else ReleaseView.Print(view, output);
        return !ReleaseView.IsTerminal(view) || ReleaseView.Result(view) == "SUCCESS" ? ExitCodes.Success : ExitCodes.NotPassed;
    }

    private static Command List(CliContext context, Option<string> endpoint)
    {
        var command = new Command("list", "The newest releases and where each stands.");
        command.SetGovernanceAction(context, endpoint, (_, api, cancellationToken) => api.GetJsonAsync("api/releases", cancellationToken), (answer, output) =>
        {
            foreach (var item in answer.GetProperty("releases").EnumerateArray())
                output.WriteLine($"{item.Text("release_id")} {item.Text("status")} {(item.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object ? ReleaseView.Describe(p) : "")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Control(CliContext context, Option<string> endpoint, string action, string description)
    {
        var id = new Argument<string>("id") { Description = "The release id." };
        var reason = new Option<string>("--reason") { Description = "Why (recorded with the actor in the ledger).", Required = true };
        var command = new Command(action, description) { id, reason };
        command.SetGovernanceAction(context, endpoint,
            (parse, api, cancellationToken) => api.PostJsonAsync($"api/releases/{Uri.EscapeDataString(parse.GetValue(id)!)}/{action}", new { reason = parse.GetValue(reason) }, cancellationToken),
            (answer, output) =>
            {
                output.WriteLine($"{answer.Text("release_id")}: {answer.Text("action")} accepted from {answer.Text("actor")}; the canary acts on it at its next turn");
                return ExitCodes.Success;
            });
        return command;
    }

    /// <summary>
    /// <c>rollback</c> is the release manager's word for an abort that must finish: it aborts the canary, then waits
    /// for the rollback's verified end (every host acknowledged the stable map) and exits 0 only if it was verified.
    /// </summary>
    private static Command Rollback(CliContext context, Option<string> endpoint)
    {
        var id = new Argument<string>("id") { Description = "The release id." };
        var reason = new Option<string>("--reason") { Description = "Why (recorded with the actor in the ledger).", Required = true };
        var command = new Command("rollback", "Abort the canary and wait until every data-plane host serves the stable map again.") { id, reason };
        command.SetApiAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var path = $"api/releases/{Uri.EscapeDataString(parse.GetValue(id)!)}";
            await api.PostJsonAsync($"{path}/abort", new { reason = parse.GetValue(reason) }, cancellationToken);
            context.Out.WriteLine("abort accepted; waiting for the rollback to be acknowledged by every host");
            while (true)
            {
                var view = await api.GetJsonAsync(path, cancellationToken);
                if (ReleaseView.IsTerminal(view))
                {
                    ReleaseView.Print(view, context.Out);
                    return view.TryGetProperty("rollback", out var rollback) && rollback.ValueKind == JsonValueKind.Object && rollback.Text("result") == "ROLLED_BACK"
                        ? ExitCodes.Success : ExitCodes.NotVerified;
                }
                await Task.Delay(context.PollInterval, cancellationToken);
            }
        });
        return command;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
