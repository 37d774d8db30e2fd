using System.CommandLine;
using System.Text.Json;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Governance;

/// <summary>
/// <c>tollgate approval</c>: request, list, show, and the Trader's decisions. APPROVE is two commands: <c>approve</c>
/// prints a one-time challenge, <c>confirm --challenge</c> uses it (same Trader, in time).
/// </summary>
internal static class ApprovalCommands
{
    private static readonly string[] Kinds = ["ACTIVATE_VERSION_MAP", "ROLLBACK_VERSION_MAP", "RELEASE_KILL_SWITCH"];

    public static Command Create(CliContext context, Option<string> endpoint)
    {
        var approval = new Command("approval", "Two-step, four-eyes approvals.");
        approval.Subcommands.Add(Request(context, endpoint));
        approval.Subcommands.Add(List(context, endpoint));
        approval.Subcommands.Add(Show(context, endpoint));
        approval.Subcommands.Add(Approve(context, endpoint));
        approval.Subcommands.Add(Confirm(context, endpoint));
        approval.Subcommands.Add(Decide(context, endpoint, "veto", "Refuse the subject for good (reason codes required)."));
        approval.Subcommands.Add(Decide(context, endpoint, "return", "Send it back to the requester (reason codes required)."));
        approval.Subcommands.Add(Reasoned(context, endpoint, "resubmit", "Answer a RETURN (the requester)."));
        approval.Subcommands.Add(Reasoned(context, endpoint, "withdraw", "Take the request back (the requester or an Admin)."));
        return approval;
    }

    private static Command Request(CliContext context, Option<string> endpoint)
    {
        var kind = new Option<string>("--kind") { Description = string.Join(", ", Kinds), Required = true };
        kind.AcceptOnlyFromAmong(Kinds);
        var environment = new Option<string>("--env") { Description = "The environment.", Required = true };
        var reference = new Option<string>("--reference") { Description = "The map id (version map kinds) or kill-switch record (RELEASE_KILL_SWITCH).", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why.", Required = true };
        var operatorId = new Option<string?>("--operator") { Description = "Who will carry it out, if not the requester (never the approver)." };
        var release = new Option<string?>("--release") { Description = "The release id whose gate verdicts the approval must respect." };
        var instance = new Option<string?>("--instance") { Description = "The orchestration waiting on the decision (gets an 'approval' event)." };
        var command = new Command("request", "Ask for an approval.") { kind, environment, reference, reason, operatorId, release, instance };
        command.SetGovernanceAction(context, endpoint, (parse, api, cancellationToken) => api.PostJsonAsync("api/approvals", new
        {
            subject = new { kind = parse.GetValue(kind), environment = parse.GetValue(environment), reference = parse.GetValue(reference) },
            @operator = parse.GetValue(operatorId),
            release_id = parse.GetValue(release),
            instance_id = parse.GetValue(instance),
            reason = parse.GetValue(reason),
        }, cancellationToken), Print);
        return command;
    }

    private static Command List(CliContext context, Option<string> endpoint)
    {
        var command = new Command("list", "The newest approvals.");
        command.SetGovernanceAction(context, endpoint, (_, api, cancellationToken) => api.GetJsonAsync("api/approvals", cancellationToken), (answer, output) =>
        {
            foreach (var approval in answer.GetProperty("approvals").EnumerateArray())
                output.WriteLine($"{approval.Text("id")} {approval.Text("state"),-9} {approval.Text("subject_ref")} requested by {approval.Text("requester")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliContext context, Option<string> endpoint)
    {
        var id = Id();
        var command = new Command("show", "One approval and every step it recorded.") { id };
        command.SetGovernanceAction(context, endpoint, (parse, api, cancellationToken) => api.GetJsonAsync($"api/approvals/{TollgateApi.Segment(parse.GetValue(id)!)}", cancellationToken),
            (answer, output) =>
            {
                Print(answer, output);
                foreach (var step in answer.GetProperty("steps").EnumerateArray())
                    output.WriteLine($"  {step.Text("sequence"),3} {step.Text("at")} {step.Text("step"),-9} by {step.Text("actor")} {(step.Codes() == "-" ? "" : step.Codes())} [ledger {step.Text("ledger_index")}]");
                return ExitCodes.Success;
            });
        return command;
    }

    private static Command Approve(CliContext context, Option<string> endpoint)
    {
        var id = Id();
        var command = new Command("approve", "Step one of APPROVE: prints a one-time challenge for 'confirm'.") { id };
        command.SetGovernanceAction(context, endpoint, (parse, api, cancellationToken) => api.PostJsonAsync($"api/approvals/{TollgateApi.Segment(parse.GetValue(id)!)}/approve", new { }, cancellationToken),
            (answer, output) =>
            {
                var approval = answer.GetProperty("approval");
                output.WriteLine($"approving {approval.Text("id")} ({approval.Text("subject_ref")}, requested by {approval.Text("requester")}: {approval.Text("reason")})");
                output.WriteLine($"challenge {answer.Text("challenge")} (expires {answer.Text("expires_at")})");
                output.WriteLine($"confirm with: tollgate approval confirm {approval.Text("id")} --challenge {answer.Text("challenge")}");
                return ExitCodes.Success;
            });
        return command;
    }

    private static Command Confirm(CliContext context, Option<string> endpoint)
    {
        var id = Id();
        var challenge = new Option<string>("--challenge") { Description = "The challenge 'approve' printed.", Required = true };
        var command = new Command("confirm", "Step two of APPROVE.") { id, challenge };
        command.SetGovernanceAction(context, endpoint, (parse, api, cancellationToken) =>
            api.PostJsonAsync($"api/approvals/{TollgateApi.Segment(parse.GetValue(id)!)}/confirm", new { challenge = parse.GetValue(challenge) }, cancellationToken), Print);
        return command;
    }

    private static Command Decide(CliContext context, Option<string> endpoint, string decision, string description)
    {
        var id = Id();
        var codes = new Option<string[]>("--code") { Description = "A reason code; repeat for more.", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why, in words." };
        var command = new Command(decision, description) { id, codes, reason };
        command.SetGovernanceAction(context, endpoint, (parse, api, cancellationToken) =>
            api.PostJsonAsync($"api/approvals/{TollgateApi.Segment(parse.GetValue(id)!)}/{decision}", new { reason_codes = parse.GetValue(codes), reason = parse.GetValue(reason) },
                cancellationToken), Print);
        return command;
    }

    private static Command Reasoned(CliContext context, Option<string> endpoint, string act, string description)
    {
        var id = Id();
        var reason = new Option<string>("--reason") { Description = "Why.", Required = true };
        var command = new Command(act, description) { id, reason };
        command.SetGovernanceAction(context, endpoint, (parse, api, cancellationToken) =>
            api.PostJsonAsync($"api/approvals/{TollgateApi.Segment(parse.GetValue(id)!)}/{act}", new { reason = parse.GetValue(reason) }, cancellationToken), Print);
        return command;
    }

    private static Argument<string> Id() => new("id") { Description = "The approval id (ap-...)." };

    private static int Print(JsonElement approval, TextWriter output)
    {
        output.WriteLine($"{approval.Text("id")} {approval.Text("state")}: {approval.Text("subject_ref")}, requested by {approval.Text("requester")}" +
            (approval.Text("decided_by") == "-" ? "" : $", decided by {approval.Text("decided_by")}") + (approval.Codes() == "-" ? "" : $" ({approval.Codes()})"));
        return ExitCodes.Success;
    }
}
