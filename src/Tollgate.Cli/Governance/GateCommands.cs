using System.CommandLine;
using System.Text.Json;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Governance;

/// <summary>
/// <c>tollgate gate evaluate GATE|all</c>: what CI runs before a release (docs/CI.md). Exit 0 when the verdict is
/// PASS, 1 when it is VETO or RETURN (the checks and reason codes say why), 2 when the request was refused.
/// </summary>
internal static class GateCommands
{
    private static readonly string[] Gates = ["VERSION_AUDIT", "RISK_COMPLIANCE", "EXECUTION_CONTROL", "UI_SPEC", "all"];

    public static Command Create(CliContext context, Option<string> endpoint)
    {
        var gate = new Command("gate", "Release gates: evaluate one or all for a release.");
        var name = new Argument<string>("gate") { Description = string.Join(", ", Gates) };
        name.AcceptOnlyFromAmong(Gates);
        var environment = new Option<string>("--env") { Description = "The environment the release is for.", Required = true };
        var release = new Option<string>("--release") { Description = "The release id (e.g. the commit).", Required = true };
        var map = new Option<string?>("--map") { Description = "The candidate version map id." };
        var documents = new Option<string?>("--document-index") { Description = "A JSON file: [{doc_key, version, status}] (VERSION_AUDIT VA-01)." };
        var codes = new Option<string?>("--veto-codes") { Description = "A JSON file: [{code, description}] the policy can veto with (RISK_COMPLIANCE RC-03)." };
        var evaluate = new Command("evaluate", "Evaluate a gate (or all four); every evaluation is a ledger entry.") { name, environment, release, map, documents, codes };
        evaluate.SetGovernanceAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var body = new Dictionary<string, object?>
            {
                ["environment"] = parse.GetValue(environment),
                ["release_id"] = parse.GetValue(release),
                ["version_map_id"] = parse.GetValue(map),
                ["document_index"] = await InputFiles.JsonAsync(parse.GetValue(documents), cancellationToken),
                ["veto_reason_codes"] = await InputFiles.JsonAsync(parse.GetValue(codes), cancellationToken),
            };
            var which = parse.GetValue(name)!;
            return await api.PostJsonAsync(which == "all" ? "api/gates/evaluations" : $"api/gates/{which}/evaluations", body, cancellationToken);
        }, (answer, output) =>
        {
            var evaluations = answer.TryGetProperty("gates", out var all) ? all.EnumerateArray().ToList() : [answer];
            foreach (var evaluation in evaluations)
            {
                output.WriteLine($"{evaluation.Text("gate")}: {evaluation.Text("verdict")} ({evaluation.Text("evaluation_id")}, ledger index {evaluation.Text("ledger_index")})");
                foreach (var check in evaluation.GetProperty("checks").EnumerateArray())
                    output.WriteLine($"  {check.Text("id")} {check.Text("verdict"),-13} {(check.Codes() == "-" ? "" : check.Codes() + ": ")}{check.Text("detail")}");
            }
            if (answer.TryGetProperty("gates", out _)) output.WriteLine($"verdict: {answer.Text("verdict")}");
            return answer.Text("verdict") == "PASS" ? ExitCodes.Success : ExitCodes.NotPassed;
        });
        gate.Subcommands.Add(evaluate);
        return gate;
    }
}
