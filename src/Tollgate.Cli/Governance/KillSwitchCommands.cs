using System.CommandLine;
using System.Text.Json;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Governance;

/// <summary>
/// <c>tollgate kill on|off|status|preflight --env E</c>. <c>off</c> on Paper or Live without <c>--approval</c> asks for
/// the approval the release needs and exits 1 (not released yet), printing what a Trader runs next.
/// </summary>
internal static class KillSwitchCommands
{
    public static Command Create(CliContext context, Option<string> endpoint)
    {
        var kill = new Command("kill", "The kill switch: on (block every new order), off, status, preflight.");
        kill.Subcommands.Add(On(context, endpoint));
        kill.Subcommands.Add(Off(context, endpoint));
        kill.Subcommands.Add(Status(context, endpoint));
        kill.Subcommands.Add(Preflight(context, endpoint));
        return kill;
    }

    private static Option<string> Environment(bool required = true) => new("--env") { Description = "Research, Backtest, Simulation, Paper or Live.", Required = required };

    private static Command On(CliContext context, Option<string> endpoint)
    {
        var environment = Environment();
        var reason = new Option<string>("--reason") { Description = "Why (recorded).", Required = true };
        var codes = new Option<string[]>("--code") { Description = "A reason code (e.g. EXE-RECON-FAIL); repeat for more." };
        var command = new Command("on", "Engage: block every new order in the environment, now.") { environment, reason, codes };
        command.SetGovernanceAction(context, endpoint, (parse, api, cancellationToken) =>
            api.PostJsonAsync($"api/kill-switch/{TollgateApi.Segment(parse.GetValue(environment)!)}/engage",
                new { reason = parse.GetValue(reason), reason_codes = parse.GetValue(codes) ?? [] }, cancellationToken), Print);
        return command;
    }

    private static Command Off(CliContext context, Option<string> endpoint)
    {
        var environment = Environment();
        var reason = new Option<string>("--reason") { Description = "Why (recorded).", Required = true };
        var approval = new Option<string?>("--approval") { Description = "The approved approval of this release (Paper and Live)." };
        var command = new Command("off", "Release: let orders flow again (Paper and Live: with a Trader's approval).") { environment, reason, approval };
        command.SetApiAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var env = TollgateApi.Segment(parse.GetValue(environment)!);
            JsonElement answer;
            try
            {
                answer = await api.PostJsonAsync($"api/kill-switch/{env}/release", new { reason = parse.GetValue(reason), approval_id = parse.GetValue(approval) }, cancellationToken);
            }
            catch (RequestRefusedException refused) when (refused.Reason == "APPROVAL_REQUIRED" && parse.GetValue(approval) is null)
            {
                var requested = await api.PostJsonAsync($"api/kill-switch/{env}/release-requests", new { reason = parse.GetValue(reason) }, cancellationToken);
                if (parse.GetValue(GovernanceCommand.Json)) context.Out.WriteLine(requested.ToString());
                var id = requested.Text("id");
                context.Out.WriteLine($"not released: {parse.GetValue(environment)} needs a Trader's approval; requested {id} ({requested.Text("subject_ref")})");
                context.Out.WriteLine($"a Trader runs: tollgate approval approve {id}   then   tollgate approval confirm {id} --challenge <challenge>");
                context.Out.WriteLine($"then: tollgate kill off --env {parse.GetValue(environment)} --reason \"...\" --approval {id}");
                return ExitCodes.NotPassed;
            }
            if (parse.GetValue(GovernanceCommand.Json)) context.Out.WriteLine(answer.ToString());
            else Print(answer, context.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Status(CliContext context, Option<string> endpoint)
    {
        var environment = Environment(required: false);
        var command = new Command("status", "The kill switch of one environment, or of all.") { environment };
        command.SetGovernanceAction(context, endpoint, (parse, api, cancellationToken) => parse.GetValue(environment) is { } env
            ? api.GetJsonAsync($"api/kill-switch/{TollgateApi.Segment(env)}", cancellationToken)
            : api.GetJsonAsync("api/kill-switch", cancellationToken), (answer, output) =>
        {
            foreach (var state in answer.TryGetProperty("kill_switches", out var all) ? all.EnumerateArray().ToList() : [answer]) Print(state, output);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Preflight(CliContext context, Option<string> endpoint)
    {
        var environment = Environment();
        var command = new Command("preflight", "Can the switch be triggered, reported and audited? (seed 000 §5.3)") { environment };
        command.SetGovernanceAction(context, endpoint, (parse, api, cancellationToken) =>
            api.PostJsonAsync($"api/kill-switch/{TollgateApi.Segment(parse.GetValue(environment)!)}/preflight", new { }, cancellationToken), (answer, output) =>
        {
            var ok = answer.GetProperty("ok").GetBoolean();
            output.WriteLine($"{answer.Text("environment")} preflight {(ok ? "OK" : "FAILED (EXE-KILL-01)")}: can trigger {answer.Text("can_trigger")}, can report {answer.Text("can_report")}, audited {answer.Text("audited")}");
            foreach (var problem in answer.GetProperty("problems").EnumerateArray()) output.WriteLine($"  {problem.GetString()}");
            return ok ? ExitCodes.Success : ExitCodes.NotPassed;
        });
        return command;
    }

    private static int Print(JsonElement state, TextWriter output)
    {
        output.WriteLine($"{state.Text("environment"),-10} {state.Text("state"),-8} since {state.Text("at")} by {state.Text("actor")}: {state.Text("reason")}" +
            (state.Codes() == "-" ? "" : $" ({state.Codes()})") + (state.GetProperty("audited").GetBoolean() ? "" : " [NOT YET AUDITED: the ledger was down]"));
        return ExitCodes.Success;
    }
}
