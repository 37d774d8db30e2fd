using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Tollgate.Cli.Commands;

/// <summary>The bearer token every host command sends: <c>--token</c>, else <c>TOLLGATE_TOKEN</c>.</summary>
internal static class CliToken
{
    public static Option<string?> Option { get; } = new("--token")
    {
        Description = $"Bearer token for the host (env {CliContext.TokenVariable}; 'tollgate auth token' issues a local one).",
        Recursive = true,
    };

    public static string? Of(ParseResult parse, CliContext context) =>
        parse.GetValue(Option) is { Length: > 0 } given ? given.Trim()
        : context.TokenFromEnvironment is { Length: > 0 } fromEnvironment ? fromEnvironment.Trim()
        : null;

    /// <summary>
    /// The subject the token names (oid, else sub), read without checking the signature: only to default the actor
    /// of an entry the host then checks against the token it does verify.
    /// </summary>
    public static string? Subject(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 }) return null;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return claims.RootElement.TryGetProperty("oid", out var oid) ? oid.GetString()
                : claims.RootElement.TryGetProperty("sub", out var sub) ? sub.GetString()
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
