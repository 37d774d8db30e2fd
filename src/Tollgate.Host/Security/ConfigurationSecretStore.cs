using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Tollgate.Governance.Secrets;

namespace Tollgate.Host.Security;

/// <summary>
/// Secrets from configuration: local.settings.json <c>Values</c> or the environment, for local development (never in
/// the repository: local.settings.json is git-ignored). Each value read is registered with the redactor first.
/// </summary>
public sealed class ConfigurationSecretStore(IConfiguration configuration, SecretRedactor redactor, ILogger<ConfigurationSecretStore> logger) : ISecretStore
{
    public Task<string?> GetAsync(string name, string purpose, CancellationToken cancellationToken)
    {
        var value = configuration[name];
        if (string.IsNullOrEmpty(value))
        {
            logger.LogWarning("Secret {Name} is not set (wanted to {Purpose})", name, purpose);
            return Task.FromResult<string?>(null);
        }
        redactor.Register(value);
        logger.LogInformation("Secret {Name} read from local settings to {Purpose}", name, purpose);
        return Task.FromResult<string?>(value);
    }
}
