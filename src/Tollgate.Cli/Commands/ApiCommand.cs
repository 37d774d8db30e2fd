using System.CommandLine;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Commands;

/// <summary>
/// Runs a command against the host's API and turns the outcome into an exit code in one place:
/// a refusal prints <c>error REASON: message</c> to stderr and exits 2; an unreachable host exits 3.
/// </summary>
internal static class ApiCommand
{
    public const string InvalidArguments = "INVALID_ARGUMENTS";

    public static void SetApiAction(this Command command, CliContext context, Option<string> endpoint,
        Func<ParseResult, TollgateApi, CancellationToken, Task<int>> action)
        => command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var uri = EndpointUri(parseResult.GetValue(endpoint));
                using var http = context.CreateHttpClient(uri);
                if (CliToken.Of(parseResult, context) is { } token)
                    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                return await action(parseResult, new TollgateApi(http, uri), cancellationToken);
            }
            catch (RequestRefusedException refused)
            {
                context.Error.WriteLine($"error {refused.Reason}: {refused.Message}");
                return ExitCodes.Refused;
            }
            catch (HostUnreachableException unreachable)
            {
                context.Error.WriteLine($"error: {unreachable.Message}. Is the host running? Set --endpoint or {CliContext.EndpointVariable}.");
                return ExitCodes.Unreachable;
            }
        });

    /// <summary>The endpoint as a base URI (with a trailing slash, so a path prefix is kept).</summary>
    private static Uri EndpointUri(string? text)
    {
        text = string.IsNullOrWhiteSpace(text) ? CliContext.DefaultEndpoint : text.Trim();
        if (!text.EndsWith('/')) text += "/";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new RequestRefusedException("INVALID_ENDPOINT", $"--endpoint '{text.TrimEnd('/')}' is not an http:// or https:// URL.");
        return uri;
    }

    /// <summary>Checks JSON given on the command line before sending it.</summary>
    public static string? ValidJson(string? json, string what)
    {
        if (json is null) return null;
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(json);
            return json;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new RequestRefusedException("MALFORMED_JSON", $"{what} is not valid JSON: {e.Message}");
        }
    }
}
