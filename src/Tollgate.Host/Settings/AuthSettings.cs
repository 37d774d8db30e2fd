using Microsoft.Extensions.Configuration;

namespace Tollgate.Host.Settings;

public enum AuthMode { Local, EntraId }

/// <summary>
/// How callers prove who they are. <see cref="AuthMode.EntraId"/> in Azure: an Entra ID access token for Tollgate's
/// app registration, its roles in the <c>roles</c> claim (app roles). <see cref="AuthMode.Local"/> on a developer
/// machine: the same claims in a token signed with <c>Tollgate:Auth:LocalSigningKey</c> from local.settings.json,
/// issued by <c>tollgate auth token</c>. There is no mode without tokens.
/// </summary>
public sealed record AuthSettings
{
    public const string LocalIssuer = "tollgate-local";
    public const string DefaultAudience = "api://tollgate";
    public const string LocalKeySetting = "Tollgate:Auth:LocalSigningKey";
    public const int MinimumLocalKeyBytes = 32;

    public AuthMode Mode { get; init; } = AuthMode.Local;

    /// <summary><c>Tollgate:Auth:Audience</c>: the token audience (the app's Application ID URI or client id).</summary>
    public string Audience { get; init; } = DefaultAudience;

    /// <summary><c>Tollgate:Auth:Authority</c> (Entra ID): e.g. <c>https://login.microsoftonline.com/&lt;tenant&gt;/v2.0</c>; its metadata gives the signing keys.</summary>
    public Uri? Authority { get; init; }

    /// <summary><c>Tollgate:Auth:Issuer</c>: the issuer tokens must name; defaults to the authority (Entra ID) or <see cref="LocalIssuer"/>.</summary>
    public required string Issuer { get; init; }

    /// <summary>The local signing key (HMAC-SHA256), at least 32 bytes; a secret, never printed.</summary>
    public byte[]? LocalSigningKey { get; init; }

    /// <summary><c>Tollgate:Auth:SharedAccounts</c>: subjects (comma-separated) that are shared logins, barred from live-grade environments.</summary>
    public IReadOnlySet<string> SharedAccounts { get; init; } = new HashSet<string>();

    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it but never shows a key.</exception>
    public static AuthSettings Load(IConfiguration configuration)
    {
        var modeText = Setting(configuration, "Tollgate:Auth:Mode") ?? nameof(AuthMode.Local);
        if (!Enum.TryParse<AuthMode>(modeText, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
            throw new InvalidOperationException($"Tollgate:Auth:Mode '{modeText}' is not Local or EntraId.");
        var audience = Setting(configuration, "Tollgate:Auth:Audience") ?? DefaultAudience;
        var shared = (Setting(configuration, "Tollgate:Auth:SharedAccounts") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (mode == AuthMode.EntraId)
        {
            var authorityText = Setting(configuration, "Tollgate:Auth:Authority")
                ?? throw new InvalidOperationException("Tollgate:Auth:Authority is required with Tollgate:Auth:Mode EntraId (https://login.microsoftonline.com/<tenant>/v2.0).");
            if (!Uri.TryCreate(authorityText, UriKind.Absolute, out var authority) || !(authority.Scheme == Uri.UriSchemeHttps || authority.IsLoopback))
                throw new InvalidOperationException($"Tollgate:Auth:Authority '{authorityText}' is not an https URL.");
            return new AuthSettings
            {
                Mode = mode, Audience = audience, Authority = authority, SharedAccounts = shared,
                Issuer = Setting(configuration, "Tollgate:Auth:Issuer") ?? authority.ToString().TrimEnd('/'),
            };
        }
        var keyText = Setting(configuration, LocalKeySetting)
            ?? throw new InvalidOperationException($"{LocalKeySetting} is not set: put a random base64 key of at least {MinimumLocalKeyBytes} bytes in local.settings.json (scripts/run-local.sh makes one), or use Tollgate:Auth:Mode EntraId.");
        byte[] key;
        try { key = Convert.FromBase64String(keyText); }
        catch (FormatException) { throw new InvalidOperationException($"{LocalKeySetting} is not base64."); }
        if (key.Length < MinimumLocalKeyBytes)
            throw new InvalidOperationException($"{LocalKeySetting} is {key.Length} bytes; it must be at least {MinimumLocalKeyBytes}.");
        return new AuthSettings
        {
            Mode = mode, Audience = audience, LocalSigningKey = key, SharedAccounts = shared,
            Issuer = Setting(configuration, "Tollgate:Auth:Issuer") ?? LocalIssuer,
        };
    }

    private static string? Setting(IConfiguration configuration, string key)
        => configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
