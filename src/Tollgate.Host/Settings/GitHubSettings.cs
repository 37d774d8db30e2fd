using Microsoft.Extensions.Configuration;
using Tollgate.Governance.Environments;

namespace Tollgate.Host.Settings;

/// <summary>
/// The GitHub custom deployment protection rule (docs/CI.md): a GitHub App whose webhook Tollgate answers. Present
/// only when <c>Tollgate:GitHub:AppId</c> is set. The webhook secret and the app's private key are secrets, read
/// from the secret store by name (<see cref="WebhookSecretName"/>, <see cref="PrivateKeyName"/>), never from here.
/// </summary>
public sealed record GitHubSettings
{
    public required string AppId { get; init; }

    /// <summary><c>Tollgate:GitHub:ApiUrl</c>: the REST API root; default https://api.github.com (GitHub Enterprise Server differs).</summary>
    public Uri ApiUrl { get; init; } = new("https://api.github.com/");

    /// <summary><c>Tollgate:GitHub:Environments</c>: which GitHub environment is which Tollgate one, e.g. <c>production=Live,paper=Paper</c>.</summary>
    public required IReadOnlyDictionary<string, DeploymentEnvironment> Environments { get; init; }

    public string WebhookSecretName { get; init; } = "Tollgate:GitHub:WebhookSecret";
    public string PrivateKeyName { get; init; } = "Tollgate:GitHub:PrivateKey";

    public static GitHubSettings? Load(IConfiguration configuration)
    {
        if (configuration["Tollgate:GitHub:AppId"] is not { Length: > 0 } appId) return null;
        var api = configuration["Tollgate:GitHub:ApiUrl"] is { Length: > 0 } apiText ? apiText.TrimEnd('/') + "/" : "https://api.github.com/";
        if (!Uri.TryCreate(api, UriKind.Absolute, out var apiUrl) || !(apiUrl.Scheme == Uri.UriSchemeHttps || apiUrl.IsLoopback))
            throw new InvalidOperationException($"Tollgate:GitHub:ApiUrl '{api}' is not an https URL.");
        var environments = new Dictionary<string, DeploymentEnvironment>(StringComparer.Ordinal);
        foreach (var pair in (configuration["Tollgate:GitHub:Environments"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
                throw new InvalidOperationException($"Tollgate:GitHub:Environments: '{pair}' is not github-environment=TollgateEnvironment.");
            try { environments[parts[0]] = EnvironmentCatalog.Parse(parts[1]); }
            catch (Governance.GovernanceException e) { throw new InvalidOperationException($"Tollgate:GitHub:Environments: {e.Message}"); }
        }
        if (environments.Count == 0)
            throw new InvalidOperationException("Tollgate:GitHub:Environments is empty: name the GitHub environments Tollgate guards, e.g. production=Live.");
        return new GitHubSettings
        {
            AppId = appId.Trim(), ApiUrl = apiUrl, Environments = environments,
            WebhookSecretName = configuration["Tollgate:GitHub:WebhookSecretName"] ?? "Tollgate:GitHub:WebhookSecret",
            PrivateKeyName = configuration["Tollgate:GitHub:PrivateKeyName"] ?? "Tollgate:GitHub:PrivateKey",
        };
    }
}
