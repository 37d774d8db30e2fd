using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Polly;
using Polly.Retry;
using Tollgate.Governance.Secrets;
using Tollgate.Host.Settings;

namespace Tollgate.Host.GitHub;

/// <summary>
/// The little of GitHub's REST API a deployment protection rule needs: an installation access token (from a JWT
/// signed with the app's private key) and the review of a deployment on its callback URL.
/// </summary>
public sealed class GitHubAppClient(HttpClient http, GitHubSettings settings, ISecretStore secrets, TimeProvider clock)
{
    private const string ApiVersion = "2022-11-28";

    /// <summary>Approves or rejects the deployment waiting on <paramref name="callbackUrl"/>.</summary>
    /// <exception cref="GitHubCallException">GitHub refused or did not answer; the message says which, without any token.</exception>
    public async Task ReviewAsync(long installationId, Uri callbackUrl, string environmentName, bool approved, string comment, CancellationToken cancellationToken)
    {
        if (!string.Equals(callbackUrl.Host, settings.ApiUrl.Host, StringComparison.OrdinalIgnoreCase) || callbackUrl.Port != settings.ApiUrl.Port
            || callbackUrl.Scheme != settings.ApiUrl.Scheme)
            throw new GitHubCallException($"The callback URL's host {callbackUrl.Host} is not the GitHub API's ({settings.ApiUrl.Host}); not calling it.");
        var token = await InstallationTokenAsync(installationId, cancellationToken);
        var review = new { environment_name = environmentName, state = approved ? "approved" : "rejected", comment };
        await SendAsync(() => Request(HttpMethod.Post, callbackUrl, token, JsonContent.Create(review)), "review the deployment", cancellationToken);
    }

    private async Task<string> InstallationTokenAsync(long installationId, CancellationToken cancellationToken)
    {
        var jwt = await AppJwtAsync(cancellationToken);
        var uri = new Uri(settings.ApiUrl, $"app/installations/{installationId}/access_tokens");
        using var answer = JsonDocument.Parse(await SendAsync(() => Request(HttpMethod.Post, uri, jwt, null), "get an installation token", cancellationToken));
        return answer.RootElement.TryGetProperty("token", out var token) && token.GetString() is { Length: > 0 } value
            ? value
            : throw new GitHubCallException("GitHub answered the installation token request without a token.");
    }

    /// <summary>The app's JWT: RS256, issued by the app id, valid ten minutes at most (GitHub's limit), backdated a minute for clock drift.</summary>
    private async Task<string> AppJwtAsync(CancellationToken cancellationToken)
    {
        var pem = await secrets.GetAsync(settings.PrivateKeyName, "sign the GitHub App's JWT", cancellationToken)
            ?? throw new GitHubCallException($"The secret {settings.PrivateKeyName} (the GitHub App's private key) is not set.");
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new GitHubCallException($"The secret {settings.PrivateKeyName} is not an RSA private key in PEM form ({e.GetType().Name}).");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.AppId,
            IssuedAt = now.AddSeconds(-60),
            NotBefore = now.AddSeconds(-60),
            Expires = now.AddMinutes(9),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa.ExportParameters(true)), SecurityAlgorithms.RsaSha256),
        });
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri uri, string bearer, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.Add("X-GitHub-Api-Version", ApiVersion);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Tollgate", "1.0"));
        return request;
    }

    /// <summary>Two more tries on a 5xx or no answer (GitHub does not redeliver a protection-rule webhook by itself); never on a 4xx.</summary>
    private static readonly ResiliencePipeline<HttpResponseMessage> Retry = new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .Handle<TaskCanceledException>()
                .HandleResult(response => (int)response.StatusCode >= 500),
            // A retried answer is thrown away: release its connection.
            OnRetry = arguments =>
            {
                arguments.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>Sends a request <paramref name="request"/> builds afresh for each try; the answer's body on success.</summary>
    private async Task<string> SendAsync(Func<HttpRequestMessage> request, string what, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await Retry.ExecuteAsync(async token =>
            {
                using var attempt = request();
                return await http.SendAsync(attempt, token);
            }, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new GitHubCallException($"GitHub did not answer when asked to {what} ({e.GetType().Name}).");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new GitHubCallException($"GitHub refused to {what}: {(int)response.StatusCode} {response.ReasonPhrase}.");
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
    }
}

/// <summary>A GitHub API call that did not succeed.</summary>
public sealed class GitHubCallException(string message) : Exception(message);
