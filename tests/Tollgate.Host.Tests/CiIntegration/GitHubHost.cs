using System.Security.Cryptography;
using System.Text.Json;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>
/// The real host (in process, in memory) configured as a GitHub App's deployment protection rule against a
/// <see cref="FakeGitHub"/>: GitHub's "production" environment is Tollgate's Live and "paper" is Paper. The
/// webhook secret and the app's private key come from configuration, as locally they do.
/// </summary>
public sealed class GitHubHost : IAsyncDisposable
{
    private GitHubHost(FakeGitHub github, HostFactory host, string webhookSecret)
    {
        GitHub = github;
        Host = host;
        WebhookSecret = webhookSecret;
        Ci = host.As("ci", Role.Pipeline);
        GitHubSide = host.Anonymous();
    }

    public FakeGitHub GitHub { get; }
    public HostFactory Host { get; }
    public string WebhookSecret { get; }

    /// <summary>CI's client: the Pipeline role only.</summary>
    public HttpClient Ci { get; }

    /// <summary>What GitHub is to Tollgate: a caller with no bearer token.</summary>
    public HttpClient GitHubSide { get; }

    /// <param name="privateKeyPem">The key Tollgate signs its app JWT with (default: the fake GitHub's, as PKCS#1 PEM).</param>
    /// <param name="configure">More settings, applied last.</param>
    public static async Task<GitHubHost> StartAsync(Func<FakeGitHub, string?>? privateKeyPem = null, Action<HostFactory>? configure = null)
    {
        var github = await FakeGitHub.StartAsync();
        var secret = "whsec-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var host = new HostFactory()
            .With("Tollgate:GitHub:AppId", FakeGitHub.AppId)
            .With("Tollgate:GitHub:ApiUrl", github.ApiUrl.ToString())
            .With("Tollgate:GitHub:Environments", "production=Live,paper=Paper")
            .With("Tollgate:GitHub:WebhookSecret", secret)
            .With("Tollgate:GitHub:PrivateKey", privateKeyPem is null ? github.PrivateKeyPem : privateKeyPem(github));
        configure?.Invoke(host);
        var started = new GitHubHost(github, host, secret);
        await LedgerApiTests.WaitForLedgerAsync(started.Ci);
        return started;
    }

    /// <summary>Delivers a webhook signed with the configured secret.</summary>
    public Task<HttpResponseMessage> DeliverAsync(string eventName, string body) =>
        DeliverAsync(eventName, body, GitHubWebhook.Signature(body, WebhookSecret));

    public Task<HttpResponseMessage> DeliverAsync(string eventName, string body, string? signature) =>
        GitHubSide.SendAsync(GitHubWebhook.Delivery(eventName, body, signature));

    /// <summary>The deployment_protection_rule GitHub sends when a job targets <paramref name="environment"/> for <paramref name="sha"/>.</summary>
    public Task<HttpResponseMessage> RequestDeploymentAsync(string environment, string sha) =>
        DeliverAsync("deployment_protection_rule", GitHubWebhook.ProtectionRule(environment, sha, GitHub.CallbackUrl()));

    public Task<List<JsonElement>> LedgerAsync() => CiRelease.LedgerEntriesAsync(Ci);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await GitHub.DisposeAsync();
    }
}
