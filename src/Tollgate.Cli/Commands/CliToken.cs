using System.CommandLine;
using Microsoft.IdentityModel.JsonWebTokens;

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
        var handler = new JsonWebTokenHandler();
        if (token is null || !handler.CanReadToken(token)) return null;
        var jwt = handler.ReadJsonWebToken(token);
        return jwt.TryGetPayloadValue<string>("oid", out var oid) ? oid
            : jwt.TryGetPayloadValue<string>("sub", out var sub) ? sub
            : null;
    }
}
