using System.CommandLine;
using System.Text.Json;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Governance;

/// <summary>What the governance commands share: <c>--json</c> (print the host's answer as it is) and output helpers.</summary>
internal static class GovernanceCommand
{
    public static Option<bool> Json { get; } = new("--json") { Description = "Print the host's JSON answer instead of a summary.", Recursive = true };

    /// <summary>Runs <paramref name="act"/> against the host; prints the answer as JSON with --json, else as <paramref name="summary"/> says.</summary>
    public static void SetGovernanceAction(this Command command, CliContext context, Option<string> endpoint,
        Func<ParseResult, TollgateApi, CancellationToken, Task<JsonElement>> act, Func<JsonElement, TextWriter, int> summary)
        => command.SetApiAction(context, endpoint, async (parse, api, cancellationToken) =>
        {
            var answer = await act(parse, api, cancellationToken);
            if (parse.GetValue(Json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(answer, Indented));
                return answer.ValueKind == JsonValueKind.Undefined ? ExitCodes.Success : summary(answer, TextWriter.Null);
            }
            return summary(answer, context.Out);
        });

    public static string Text(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "-",
            _ => value.ToString(),
        } : "-";

    public static string Codes(this JsonElement element, string name = "reason_codes") =>
        element.TryGetProperty(name, out var codes) && codes.ValueKind == JsonValueKind.Array && codes.GetArrayLength() > 0
            ? string.Join(", ", codes.EnumerateArray().Select(code => code.GetString()))
            : "-";

    public static string Environment(string value) => value;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
