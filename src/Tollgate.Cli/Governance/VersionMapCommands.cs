using System.CommandLine;
using System.Text.Json;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Governance;

/// <summary><c>tollgate vmap</c>: register version maps, show an environment's active map and history, activate, roll back.</summary>
internal static class VersionMapCommands
{
    public static Command Create(CliContext context, Option<string> endpoint)
    {
        var vmap = new Command("vmap", "The Active Version Map: register, show, history, activate, rollback.");
        vmap.Subcommands.Add(Register(context, endpoint));
        vmap.Subcommands.Add(Show(context, endpoint));
        vmap.Subcommands.Add(History(context, endpoint));
        vmap.Subcommands.Add(Switch(context, endpoint, "activate"));
        vmap.Subcommands.Add(Switch(context, endpoint, "rollback"));
        return vmap;
    }

    private static Option<string> Environment() => new("--env") { Description = "Research, Backtest, Simulation, Paper or Live.", Required = true };

    private static Command Register(CliContext context, Option<string> endpoint)
    {
        var environment = Environment();
        var versions = new[] { "docs", "policy", "model", "config", "code" }
            .Select(name => new Option<string>($"--{name}") { Description = $"The {name} version.", Required = true }).ToArray();
        var rulebook = new Option<string>("--rulebook") { Description = "The rulebook snapshot's digest, sha256:<hex> (store it first: tollgate object put).", Required = true };
        var artifacts = new Option<string[]>("--artifact") { Description = "name=ref=sha256:<hex>; repeat. A 'policy' artifact lets RISK_COMPLIANCE locate the policy." };
        var command = new Command("register", "Register a version map (the same content is the same map: registering twice returns the first).")
        {
            environment, rulebook, artifacts,
        };
        foreach (var option in versions) command.Options.Add(option);
        command.SetGovernanceAction(context, endpoint, (parse, api, cancellationToken) =>
        {
            var parsed = (parse.GetValue(artifacts) ?? []).Select(text =>
            {
                var parts = text.Split('=', 3);
                if (parts.Length != 3) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"--artifact '{text}' is not name=ref=sha256:<hex>.");
                return new { name = parts[0], @ref = parts[1], digest = parts[2] };
            }).ToList();
            var body = new Dictionary<string, object?>
            {
                ["environment"] = parse.GetValue(environment),
                ["rulebook_snapshot_ref"] = parse.GetValue(rulebook),
                ["artifacts"] = parsed,
            };
            foreach (var option in versions) body[option.Name.TrimStart('-')] = parse.GetValue(option);
            return api.PostJsonAsync("api/version-maps", body, cancellationToken);
        }, (answer, output) =>
        {
            var map = answer.GetProperty("map");
            output.WriteLine($"{(answer.GetProperty("existing").GetBoolean() ? "already registered" : "registered")} {map.Text("id")} for {map.Text("environment")}" +
                $" (code {map.Text("code")}, config {map.Text("config")}); ledger index {answer.Text("ledger_index")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliContext context, Option<string> endpoint)
    {
        var environment = Environment();
        var command = new Command("show", "The environment's Active Version Map (a missing map blocks: exit 2, VMAP_MISSING).") { environment };
        command.SetGovernanceAction(context, endpoint,
            (parse, api, cancellationToken) => api.GetJsonAsync($"api/environments/{TollgateApi.Segment(parse.GetValue(environment)!)}/version-map", cancellationToken),
            (answer, output) =>
            {
                var active = answer.GetProperty("active");
                var map = answer.GetProperty("map");
                output.WriteLine($"{active.Text("environment")}: {map.Text("id")} (switch {active.Text("sequence")}, {active.Text("action")} by {active.Text("operator")}, approved by {active.Text("approver")})");
                foreach (var name in new[] { "docs", "policy", "model", "config", "code", "rulebook_snapshot_ref" }) output.WriteLine($"  {name,-22} {map.Text(name)}");
                return ExitCodes.Success;
            });
        return command;
    }

    private static Command History(CliContext context, Option<string> endpoint)
    {
        var environment = Environment();
        var command = new Command("history", "Every switch of the environment's map, newest first (Only-Add: nothing is ever removed).") { environment };
        command.SetGovernanceAction(context, endpoint,
            (parse, api, cancellationToken) => api.GetJsonAsync($"api/environments/{TollgateApi.Segment(parse.GetValue(environment)!)}/version-map/history", cancellationToken),
            (answer, output) =>
            {
                foreach (var change in answer.GetProperty("switches").EnumerateArray())
                    output.WriteLine($"{change.Text("sequence"),4} {change.Text("at")} {change.Text("action"),-8} {change.Text("from_map")} -> {change.Text("to_map")}" +
                        $" by {change.Text("operator")}, approver {change.Text("approver")}: {change.Text("reason")} [ledger {change.Text("ledger_index")}]");
                return ExitCodes.Success;
            });
        return command;
    }

    private static Command Switch(CliContext context, Option<string> endpoint, string action)
    {
        var environment = Environment();
        var map = new Option<string?>(action == "activate" ? "--map" : "--to")
        {
            Description = action == "activate" ? "The version map id to activate." : "The earlier map to return to (default: the one the current map replaced).",
            Required = action == "activate",
        };
        var reason = new Option<string>("--reason") { Description = "Why (recorded in the change ledger).", Required = true };
        var approval = new Option<string?>("--approval") { Description = "The approved approval id (needed on Paper and Live)." };
        var expect = new Option<string?>("--expect-from") { Description = "Refuse unless this map (or 'none') is the active one now." };
        var command = new Command(action, action == "activate" ? "Make a registered map the environment's Active Version Map." : "Move the pointer back to an earlier map.")
        {
            environment, map, reason, approval, expect,
        };
        command.SetGovernanceAction(context, endpoint, (parse, api, cancellationToken) =>
        {
            var body = new Dictionary<string, object?>
            {
                [action == "activate" ? "map_id" : "to_map"] = parse.GetValue(map),
                ["reason"] = parse.GetValue(reason),
                ["approval_id"] = parse.GetValue(approval),
            };
            if (parse.GetValue(expect) is { } expected) body["expected_from"] = expected == "none" ? null : expected;
            return api.PostJsonAsync($"api/environments/{TollgateApi.Segment(parse.GetValue(environment)!)}/version-map/{action}", body, cancellationToken);
        }, (answer, output) =>
        {
            output.WriteLine($"{answer.Text("environment")} switch {answer.Text("sequence")}: {answer.Text("action")} {answer.Text("from_map")} -> {answer.Text("to_map")}" +
                $" by {answer.Text("operator")}, approver {answer.Text("approver")}; ledger index {answer.Text("ledger_index")}");
            return ExitCodes.Success;
        });
        return command;
    }
}
