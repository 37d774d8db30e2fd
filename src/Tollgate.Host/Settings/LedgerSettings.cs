using Microsoft.Extensions.Configuration;

namespace Tollgate.Host.Settings;

/// <summary>
/// Where the audit ledger's signing key comes from and what its checkpoints are called. In Azure the key is a
/// Key Vault secret (a PKCS#8 PEM, read with the host's managed identity); locally it is a dev key file under
/// the ignored data folder, created on first run.
/// </summary>
public sealed record LedgerSettings
{
    public const string DefaultOrigin = "tollgate.local/ledger";
    public const string DefaultSecretName = "tollgate-ledger-signing-key";

    /// <summary><c>Tollgate:Ledger:Origin</c>: the checkpoint origin and signing key name.</summary>
    public string Origin { get; init; } = DefaultOrigin;

    /// <summary><c>Tollgate:Ledger:KeyVaultUri</c>: when set, the signing key is read from this vault.</summary>
    public Uri? KeyVaultUri { get; init; }

    /// <summary><c>Tollgate:Ledger:SigningKeySecret</c>: the secret holding the key in that vault.</summary>
    public string SigningKeySecret { get; init; } = DefaultSecretName;

    /// <summary><c>Tollgate:Ledger:DevKeyPath</c>: the local key file; default <c>&lt;data folder&gt;/ledger-signing-key.pem</c>.</summary>
    public required string DevKeyPath { get; init; }

    public static LedgerSettings Load(IConfiguration configuration, string dataFolder)
    {
        var origin = Setting(configuration, "Tollgate:Ledger:Origin") ?? DefaultOrigin;
        if (origin.Any(c => char.IsWhiteSpace(c) || c == '+'))
            throw new InvalidOperationException($"Tollgate:Ledger:Origin '{origin}' is invalid: no spaces or '+' (it is a signed-note key name).");
        Uri? vault = null;
        if (Setting(configuration, "Tollgate:Ledger:KeyVaultUri") is { } vaultText
            && (!Uri.TryCreate(vaultText, UriKind.Absolute, out vault) || vault.Scheme != Uri.UriSchemeHttps))
            throw new InvalidOperationException($"Tollgate:Ledger:KeyVaultUri '{vaultText}' is not an https URI (e.g. https://my-vault.vault.azure.net/).");
        return new LedgerSettings
        {
            Origin = origin,
            KeyVaultUri = vault,
            SigningKeySecret = Setting(configuration, "Tollgate:Ledger:SigningKeySecret") ?? DefaultSecretName,
            DevKeyPath = Setting(configuration, "Tollgate:Ledger:DevKeyPath") ?? Path.Combine(dataFolder, "ledger-signing-key.pem"),
        };
    }

    private static string? Setting(IConfiguration configuration, string key)
        => configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
