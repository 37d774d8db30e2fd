using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>GitHub webhook deliveries as GitHub sends them: the payload, its event header and its HMAC-SHA256 signature.</summary>
public static class GitHubWebhook
{
    public const long InstallationId = 5150;
    public const string Route = "/api/github/deployment-protection";

    /// <summary>A <c>deployment_protection_rule</c> payload, with the members GitHub sends besides the ones Tollgate reads.</summary>
    public static string ProtectionRule(string environment, string sha, string callbackUrl, string action = "requested") => JsonSerializer.Serialize(new
    {
        action,
        environment,
        @event = "push",
        deployment_callback_url = callbackUrl,
        deployment = new
        {
            id = 1_000_001,
            sha,
            @ref = "main",
            task = "deploy",
            environment,
            creator = new { login = "octo-ci" },
        },
        pull_requests = Array.Empty<object>(),
        repository = new { id = 77, full_name = "octo/shop" },
        organization = new { login = "octo" },
        installation = new { id = InstallationId, node_id = "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNTE1MA==" },
        sender = new { login = "octo-ci" },
    });

    public static string Ping() => JsonSerializer.Serialize(new { zen = "Keep it logically awesome.", hook_id = 9, hook = new { type = "App", events = new[] { "deployment_protection_rule" } } });

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of the body's bytes with the webhook secret.</summary>
    public static string Signature(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>A delivery; <paramref name="signature"/> null sends none.</summary>
    public static HttpRequestMessage Delivery(string eventName, string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-GitHub-Hook-Installation-Target-Type", "integration");
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/1a2b3c4");
        if (signature is not null) request.Headers.Add("X-Hub-Signature-256", signature);
        return request;
    }
}
