using System.CommandLine;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tollgate.Cli.Commands;
using Tollgate.Cli.Http;

namespace Tollgate.Cli.Governance;

/// <summary>
/// <c>tollgate auth token</c> issues a local token (the same claims an Entra ID token carries, signed with the
/// local key from local.settings.json), for development only; <c>tollgate auth whoami</c> asks the host who a token is.
/// </summary>
internal static class AuthCommands
{
    private static readonly string[] Roles = ["Operator", "Trader", "Admin", "Auditor", "Pipeline"];

    public static Command Create(CliContext context, Option<string> endpoint)
    {
        var auth = new Command("auth", "Tokens: issue a local development token, or ask the host who a token is.");
        auth.Subcommands.Add(Token(context));
        auth.Subcommands.Add(WhoAmI(context, endpoint));
        return auth;
    }

    private static Command Token(CliContext context)
    {
        var roles = new Option<string[]>("--role") { Description = $"A role the token carries: {string.Join(", ", Roles)}; repeat for more.", Required = true, AllowMultipleArgumentsPerToken = false };
        roles.AcceptOnlyFromAmong(Roles);
        var subject = new Option<string>("--subject") { Description = "Who the token is (its sub claim), e.g. alice.", Required = true };
        var name = new Option<string?>("--name") { Description = "A display name." };
        var shared = new Option<bool>("--shared") { Description = "Mark it a shared account (barred from Paper and Live)." };
        var ttl = new Option<int>("--ttl-minutes") { Description = "Minutes until it expires (1-1440).", DefaultValueFactory = _ => 480 };
        var settings = new Option<string>("--settings") { Description = "The local.settings.json holding Tollgate:Auth:LocalSigningKey.", DefaultValueFactory = _ => "local.settings.json" };
        var command = new Command("token", "Issue a local token signed with Tollgate:Auth:LocalSigningKey (development only; Azure uses Entra ID tokens).")
        {
            roles, subject, name, shared, ttl, settings,
        };
        command.SetAction(parse =>
        {
            try
            {
                var minutes = parse.GetValue(ttl);
                if (minutes is < 1 or > 1440) throw new RequestRefusedException(ApiCommand.InvalidArguments, "--ttl-minutes must be from 1 to 1440.");
                var who = parse.GetValue(subject)!;
                if (who.Length is 0 or > 256 || who.Any(c => char.IsControl(c) || c == ' '))
                    throw new RequestRefusedException(ApiCommand.InvalidArguments, "--subject is 1-256 characters without spaces.");
                var values = ReadValues(parse.GetValue(settings)!);
                var key = Value(values, "Tollgate:Auth:LocalSigningKey")
                    ?? throw new RequestRefusedException("AUTH_NO_LOCAL_KEY", $"{parse.GetValue(settings)} has no Values.Tollgate:Auth:LocalSigningKey (scripts/run-local.sh writes one).");
                var claims = new Dictionary<string, object>
                {
                    ["sub"] = who,
                    ["roles"] = parse.GetValue(roles)!.Distinct().ToArray(),
                };
                if (parse.GetValue(name) is { } display) claims["name"] = display;
                if (parse.GetValue(shared)) claims["tollgate_shared"] = "true";
                var now = DateTime.UtcNow;
                var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
                {
                    Issuer = Value(values, "Tollgate:Auth:Issuer") ?? "tollgate-local",
                    Audience = Value(values, "Tollgate:Auth:Audience") ?? "api://tollgate",
                    IssuedAt = now,
                    NotBefore = now,
                    Expires = now.AddMinutes(minutes),
                    Claims = claims,
                    SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key)), SecurityAlgorithms.HmacSha256),
                });
                context.Out.WriteLine(token);
                return ExitCodes.Success;
            }
            catch (RequestRefusedException refused)
            {
                context.Error.WriteLine($"error {refused.Reason}: {refused.Message}");
                return ExitCodes.Refused;
            }
            catch (FormatException)
            {
                context.Error.WriteLine("error AUTH_NO_LOCAL_KEY: Tollgate:Auth:LocalSigningKey is not base64.");
                return ExitCodes.Refused;
            }
        });
        return command;
    }

    private static Command WhoAmI(CliContext context, Option<string> endpoint)
    {
        var command = new Command("whoami", "Ask the host who the token is, its roles and what it may do.");
        command.SetGovernanceAction(context, endpoint, (_, api, cancellationToken) => api.GetJsonAsync("api/auth/whoami", cancellationToken), (answer, output) =>
        {
            output.WriteLine($"{answer.Text("subject")} ({answer.Text("name")}): roles {string.Join(", ", answer.GetProperty("roles").EnumerateArray().Select(role => role.GetString()))}" +
                (answer.GetProperty("is_shared").GetBoolean() ? "; a shared account" : ""));
            output.WriteLine($"may: {string.Join(", ", answer.GetProperty("allowed").EnumerateArray().Select(action => action.GetString()))}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The Values of a local.settings.json, then the environment (Tollgate__Auth__LocalSigningKey), as the host reads them.</summary>
    private static Dictionary<string, string> ReadValues(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(path))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(path));
                if (document.RootElement.TryGetProperty("Values", out var found) && found.ValueKind == JsonValueKind.Object)
                    foreach (var value in found.EnumerateObject().Where(value => value.Value.ValueKind == JsonValueKind.String))
                        values[value.Name] = value.Value.GetString()!;
            }
            catch (JsonException e)
            {
                throw new RequestRefusedException(ApiCommand.InvalidArguments, $"{path} is not JSON: {e.Message}");
            }
        }
        foreach (var name in new[] { "Tollgate:Auth:LocalSigningKey", "Tollgate:Auth:Issuer", "Tollgate:Auth:Audience" })
        {
            if (System.Environment.GetEnvironmentVariable(name.Replace(":", "__")) is { Length: > 0 } fromEnvironment) values[name] = fromEnvironment;
        }
        return values;
    }

    private static string? Value(Dictionary<string, string> values, string name) => values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
