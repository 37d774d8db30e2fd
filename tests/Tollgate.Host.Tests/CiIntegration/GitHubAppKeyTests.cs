using System.Net;
using System.Security.Cryptography;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>
/// The app's private key and the JWT it signs: (fake) GitHub refuses a JWT signed with another key or naming another
/// app; a key that is missing or not an RSA PEM stops Tollgate before it calls GitHub.
/// </summary>
public sealed class GitHubAppKeyTests
{
    [Fact]
    public async Task A_JWT_signed_with_another_key_gets_no_installation_token_and_no_review_is_sent()
    {
        using var otherKey = RSA.Create(2048);
        await using var host = await GitHubHost.StartAsync(privateKeyPem: _ => otherKey.ExportRSAPrivateKeyPem());

        var response = await host.RequestDeploymentAsync("production", CiRelease.NewSha());

        await response.AssertRefusedAsync(HttpStatusCode.BadGateway, "GITHUB_CALLBACK_FAILED");
        var refused = Assert.Single(host.GitHub.TokenRequests);
        Assert.Equal(401, refused.Status);
        Assert.StartsWith("JWT refused", refused.Refusal);
        Assert.Empty(host.GitHub.ReviewAttempts);
    }

    [Fact]
    public async Task A_JWT_naming_another_app_id_gets_no_installation_token()
    {
        await using var host = await GitHubHost.StartAsync(configure: factory => factory.With("Tollgate:GitHub:AppId", "999"));

        var response = await host.RequestDeploymentAsync("production", CiRelease.NewSha());

        await response.AssertRefusedAsync(HttpStatusCode.BadGateway, "GITHUB_CALLBACK_FAILED");
        Assert.Equal(401, Assert.Single(host.GitHub.TokenRequests).Status);
    }

    [Fact]
    public async Task A_PKCS8_private_key_works_as_well_as_the_PKCS1_one_GitHub_hands_out()
    {
        await using var host = await GitHubHost.StartAsync(privateKeyPem: github => github.AppKey.ExportPkcs8PrivateKeyPem());

        var response = await host.RequestDeploymentAsync("production", CiRelease.NewSha());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.GitHub.Reviews);
    }

    [Fact]
    public async Task Without_a_private_key_configured_the_answer_is_502_and_GitHub_is_not_called()
    {
        await using var host = await GitHubHost.StartAsync(privateKeyPem: _ => null);

        var response = await host.RequestDeploymentAsync("production", CiRelease.NewSha());

        await response.AssertRefusedAsync(HttpStatusCode.BadGateway, "GITHUB_CALLBACK_FAILED");
        Assert.Contains("Tollgate:GitHub:PrivateKey", (await response.ReadJsonAsync()).GetProperty("message").GetString());
        Assert.Empty(host.GitHub.Calls);
    }

    [Fact]
    public async Task A_private_key_that_is_not_an_RSA_PEM_answers_502_and_GitHub_is_not_called()
    {
        await using var host = await GitHubHost.StartAsync(privateKeyPem: _ => "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n");

        var response = await host.RequestDeploymentAsync("production", CiRelease.NewSha());

        await response.AssertRefusedAsync(HttpStatusCode.BadGateway, "GITHUB_CALLBACK_FAILED");
        Assert.Contains("Tollgate:GitHub:PrivateKey is not an RSA private key", (await response.ReadJsonAsync()).GetProperty("message").GetString());
        Assert.Empty(host.GitHub.Calls);
        Assert.DoesNotContain("bm90IGEga2V5", host.Host.Logs.All);
    }
}
