using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Governance.Secrets;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Security;

/// <summary>
/// Reads every secret the host is configured to use before it serves a request, so the redactor knows each value
/// from the start: a secret first read on demand would be unknown to it until then, and could reach a log or the
/// ledger in the meantime (an input carrying it would not be recognised).
/// </summary>
public sealed class SecretPreload(HostSettings settings, ISecretStore secrets, ILogger<SecretPreload> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.GitHub is not { } github) return;
        foreach (var (name, purpose) in new[] { (github.WebhookSecretName, "verify GitHub webhooks"), (github.PrivateKeyName, "sign the GitHub App's JWT") })
        {
            try
            {
                await secrets.GetAsync(name, purpose, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Key Vault unreachable at start: the webhook reads it again when it is needed.
                logger.LogWarning("Secret {Name} could not be read at start ({Error}); it will be read when first needed", name, e.GetType().Name);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
