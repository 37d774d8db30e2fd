using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Tollgate.Governance.Secrets;

namespace Tollgate.Governance.AzureStorage;

/// <summary>
/// Secrets from Azure Key Vault, read with the host's identity (a managed identity in Azure). Each value is
/// registered with the redactor before it is returned; each read is logged by name, version and purpose only.
/// </summary>
public sealed class KeyVaultSecretStore(SecretClient client, SecretRedactor redactor, ILogger<KeyVaultSecretStore> logger) : ISecretStore
{
    public async Task<string?> GetAsync(string name, string purpose, CancellationToken cancellationToken)
    {
        KeyVaultSecret secret;
        try
        {
            secret = (await client.GetSecretAsync(name, cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            logger.LogWarning("Secret {Name} is not in Key Vault {Vault} (wanted for {Purpose})", name, client.VaultUri, purpose);
            return null;
        }
        redactor.Register(secret.Value);
        logger.LogInformation("Secret {Name} version {Version} read from Key Vault {Vault} for {Purpose}", name, secret.Properties.Version, client.VaultUri, purpose);
        return secret.Value;
    }
}
