using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Governance;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Execution;

/// <summary>
/// <c>tollgate execution status|order|reconcile</c> and <c>tollgate rules lint</c>: the running host's order path.
/// Exit codes: 0 done, 1 a reconciliation that failed, 2 refused, 3 unreachable.
/// </summary>
internal static class ExecutionCommands
{
    public static Command Create(CliContext context, Option<string> endpoint) => new("execution", "The host's order path: orders, positions, per-cohort metrics, reconciliation.")
    {
        Status(context, endpoint), Order(context, endpoint), Reconcile(context, endpoint),
    };

    public static Command Rules(CliContext context, Option<string> endpoint)
    {
        var file = new Argument<string>("file") { Description = "A rule set (JSON)." };
        var lint = new Command("lint", "Lint a rule set against the instruments the host routes; prints its rev (the config version a version map names).") { file };
        lint.SetGovernanceAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new RequestRefusedException(ApiCommand.InvalidArguments, $"No file '{path}'.");
            return await api.PostBytesAsync("api/execution/rules/lint", await File.ReadAllBytesAsync(path, cancellationToken), cancellationToken);
        }, (answer, output) =>
        {
            output.WriteLine(answer.Text("rev"));
            output.WriteLine($"rule set '{answer.Text("name")}': {answer.Text("rules")} rule(s), valid");
            return ExitCodes.Success;
        });
        return new Command("rules", "Strategy rule sets (the config a version map governs).") { lint };
    }

    private static Command Status(CliContext context, Option<string> endpoint)
    {
        var command = new Command("status", "State, rules in force, positions, open orders, per-cohort metrics and the last reconciliation (GET /api/execution).");
        command.SetGovernanceAction(context, endpoint, (_, api, cancellationToken) => api.GetJsonAsync("api/execution", cancellationToken), (answer, output) =>
        {
            output.WriteLine($"{answer.Text("environment")} order path: {answer.Text("state")} on {answer.Text("channel")}, rules {Or(answer, "rulesRev", "none")}"
                + (answer.TryGetProperty("rulesProblem", out var p) && p.ValueKind == JsonValueKind.String ? $" ({p.GetString()})" : "")
                + $"; {answer.Text("decisions")} decision(s), {answer.Text("closes")} protective close(s), {answer.GetProperty("openOrders").GetArrayLength()} open order(s)");
            foreach (var position in answer.GetProperty("positions").EnumerateArray())
                output.WriteLine($"  position {position.Text("instrumentKey"),-13} {Or(position, "quantity", "0"),12} @ {Or(position, "averagePrice", "–")}  mark {Or(position, "mark", "–")}  realized {Or(position, "realizedPnl", "0")}  unrealized {Or(position, "unrealizedPnl", "–")}");
            foreach (var c in answer.GetProperty("cohorts").EnumerateArray())
                output.WriteLine($"  cohort {c.Text("environment")}/{c.Text("configRev")}: {c.Text("intents")} intent(s), {c.Text("submitted")} submitted, {c.Text("rejected")} rejected, {c.Text("filled")} filled, "
                    + $"{c.Text("expired")} expired, {c.Text("fills")} fill(s), fill ratio {Or(c, "fillRatio", "–")}, slippage {Or(c, "slippageBpsMean", "–")} bps, routing p95 {Or(c, "routingLatencyP95Ms", "–")} ms, "
                    + $"channel p95 {Or(c, "channelLatencyP95Ms", "–")} ms, {c.Text("idempotencyHits")} idempotency hit(s)"
                    + (c.GetProperty("rejectReasons").EnumerateObject().Any() ? $"; rejections: {string.Join(", ", c.GetProperty("rejectReasons").EnumerateObject().Select(r => $"{r.Value} {r.Name}"))}" : ""));
            if (answer.TryGetProperty("lastReconciliation", out var r) && r.ValueKind == JsonValueKind.Object) output.WriteLine($"  last reconciliation: {Reconciliation(r)}");
            foreach (var result in answer.GetProperty("recentResults").EnumerateArray().TakeLast(8))
                output.WriteLine($"  result {result.Text("instrument"),-13} {result.Text("status"),-16} {Or(result, "reason", "")} executed {result.Text("executed")}/{result.Text("quantity")} ({result.Text("intent_id")})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Order(CliContext context, Option<string> endpoint)
    {
        var intent = new Argument<string>("intent-id") { Description = "The intent whose order to show." };
        var command = new Command("order", "One order's events and fills (GET /api/execution/orders/{intentId}).") { intent };
        command.SetGovernanceAction(context, endpoint, (parse, api, cancellationToken) =>
            api.GetJsonAsync($"api/execution/orders/{TollgateApi.Segment(parse.GetValue(intent)!)}", cancellationToken), (answer, output) =>
        {
            var order = answer.GetProperty("order");
            output.WriteLine($"{order.Text("clientOrderId")} {order.Text("instrumentKey")} {order.Text("side")} {order.Text("type")} {order.Text("quantity")}: {answer.Text("status")} (config {order.Text("configRev")}, {order.Text("channel")})");
            foreach (var e in answer.GetProperty("events").EnumerateArray())
                output.WriteLine($"  {e.Text("sequence"),3} {e.Text("at")} {e.Text("status"),-16} {Or(e, "reason", "")} {e.Text("detail")}");
            foreach (var f in answer.GetProperty("fills").EnumerateArray())
                output.WriteLine($"  fill {f.Text("tradeId")} {f.Text("quantity")} @ {f.Text("price")} fee {f.Text("fee")} {f.Text("feeAsset")}, mid at send {Or(f, "midAtSend", "–")}, slippage {Or(f, "slippageBps", "–")} bps, book {f.Text("bookTop3")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Reconcile(CliContext context, Option<string> endpoint)
    {
        var command = new Command("reconcile", "Reconcile the exchange's open orders, fills and positions against Tollgate's now (POST /api/reconcile); a failure engages the kill switch.");
        command.SetGovernanceAction(context, endpoint, (_, api, cancellationToken) => api.PostJsonAsync("api/reconcile", new { }, cancellationToken), (answer, output) =>
        {
            output.WriteLine(Reconciliation(answer));
            foreach (var d in answer.GetProperty("differences").EnumerateArray().Take(20))
                output.WriteLine($"  {d.Text("kind")} {d.Text("instrumentKey")} {d.Text("id")}: {d.Text("detail")}");
            return answer.GetProperty("failed").GetBoolean() ? ExitCodes.NotVerified : ExitCodes.Success;
        });
        return command;
    }

    private static string Reconciliation(JsonElement r) =>
        $"{r.Text("id")} {r.Text("result")}: open orders agree {r.Text("ordersAgreement")} ({r.Text("localOpenOrders")} here, {r.Text("exchangeOpenOrders")} on the channel), "
        + $"fills agree {r.Text("fillsAgreement")} ({r.Text("localFills")} here, {r.Text("exchangeFills")} on the channel), {r.Text("positionsCompared")} position(s) compared, "
        + $"{r.Text("repaired")} repaired, {r.GetProperty("differences").GetArrayLength()} difference(s)";

    private static string Or(JsonElement e, string name, string fallback) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? Plain(v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()) : fallback;

    /// <summary>A number without the trailing zeros its arithmetic left (65000.300000000 → 65000.3); anything else as it is.</summary>
    private static string Plain(string text) =>
        text.Contains('.') && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d.ToString("0.############################", CultureInfo.InvariantCulture) : text;
}
