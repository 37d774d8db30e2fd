using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>Which fake GitHub endpoint a scripted fault applies to.</summary>
public enum GitHubEndpoint { AccessToken, DeploymentReview }

/// <summary>One request the fake GitHub received: what came in and what it answered.</summary>
public sealed record GitHubCall(string Method, string Path, string? Authorization, string? UserAgent, string? ApiVersion, string Body, int Status, string? Refusal)
{
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }
}

/// <summary>
/// The two GitHub REST endpoints a deployment protection rule uses, on a real Kestrel server on 127.0.0.1:
/// <c>POST /app/installations/{id}/access_tokens</c> verifies the app's JWT (RS256 with <see cref="AppKey"/>'s public
/// half, iss = <see cref="AppId"/>, exp at most ten minutes ahead) and answers 201 with a fresh installation token;
/// <c>POST /repos/{owner}/{repo}/actions/runs/{run}/deployment_protection_rule</c> takes a review authenticated with
/// one of those tokens and answers 204. Every request is recorded; faults can be scripted per endpoint.
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    public const string AppId = "424242";
    public const string TokenPrefix = "ghs_test_";

    private readonly WebApplication app;
    private readonly List<GitHubCall> calls = [];
    private readonly HashSet<string> issued = [];
    private readonly Dictionary<GitHubEndpoint, Queue<int>> faults = new() { [GitHubEndpoint.AccessToken] = new(), [GitHubEndpoint.DeploymentReview] = new() };
    private int tokenCount;

    private FakeGitHub(WebApplication app, RSA key)
    {
        this.app = app;
        AppKey = key;
    }

    /// <summary>The GitHub App's key pair; Tollgate signs with the private half (<see cref="PrivateKeyPem"/>).</summary>
    public RSA AppKey { get; }

    /// <summary>The private key as GitHub hands it out: PKCS#1 PEM ("BEGIN RSA PRIVATE KEY").</summary>
    public string PrivateKeyPem => AppKey.ExportRSAPrivateKeyPem();

    /// <summary>The API root, e.g. http://127.0.0.1:41234/ (what Tollgate:GitHub:ApiUrl names).</summary>
    public Uri ApiUrl { get; private set; } = null!;

    public IReadOnlyList<GitHubCall> Calls { get { lock (calls) return [.. calls]; } }

    /// <summary>Reviews GitHub accepted (answered 204).</summary>
    public IReadOnlyList<GitHubCall> Reviews => [.. Calls.Where(call => call.Path.EndsWith("/deployment_protection_rule", StringComparison.Ordinal) && call.Status == 204)];

    public IReadOnlyList<GitHubCall> TokenRequests => [.. Calls.Where(call => call.Path.EndsWith("/access_tokens", StringComparison.Ordinal))];

    public IReadOnlyList<GitHubCall> ReviewAttempts => [.. Calls.Where(call => call.Path.EndsWith("/deployment_protection_rule", StringComparison.Ordinal))];

    public IReadOnlySet<string> IssuedTokens { get { lock (calls) return issued.ToHashSet(); } }

    /// <summary>Where GitHub tells Tollgate to post its review for workflow run <paramref name="runId"/>.</summary>
    public string CallbackUrl(long runId = 1) => new Uri(ApiUrl, $"repos/octo/shop/actions/runs/{runId}/deployment_protection_rule").ToString();

    /// <summary>The next request to <paramref name="endpoint"/> is answered <paramref name="status"/> (queued: call twice for two faults).</summary>
    public void FailNext(GitHubEndpoint endpoint, HttpStatusCode status)
    {
        lock (calls) faults[endpoint].Enqueue((int)status);
    }

    public static async Task<FakeGitHub> StartAsync(RSA? key = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeGitHub(app, key ?? RSA.Create(2048));
        app.MapPost("/app/installations/{installation}/access_tokens", fake.AccessTokenAsync);
        app.MapPost("/repos/{owner}/{repo}/actions/runs/{run}/deployment_protection_rule", (Delegate)fake.ReviewAsync);
        app.MapFallback((Delegate)fake.NotFoundAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.ApiUrl = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    private async Task<IResult> AccessTokenAsync(HttpContext http, long installation)
    {
        var body = await ReadAsync(http);
        if (Fault(GitHubEndpoint.AccessToken) is { } fault) return Record(http, body, fault, "scripted fault");
        if (MissingUserAgent(http) is { } refused) return refused(body);
        var jwt = Bearer(http);
        var problem = jwt is null ? "no bearer JWT" : await JwtProblemAsync(jwt);
        if (problem is not null) return Record(http, body, StatusCodes.Status401Unauthorized, problem);
        string token;
        lock (calls)
        {
            token = $"{TokenPrefix}{installation}_{++tokenCount}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
            issued.Add(token);
        }
        Record(http, body, StatusCodes.Status201Created, null);
        return Results.Json(new { token, expires_at = DateTimeOffset.UtcNow.AddHours(1) }, statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> ReviewAsync(HttpContext http)
    {
        var body = await ReadAsync(http);
        if (Fault(GitHubEndpoint.DeploymentReview) is { } fault) return Record(http, body, fault, "scripted fault");
        if (MissingUserAgent(http) is { } refused) return refused(body);
        if (Bearer(http) is not { } token || !IssuedTokens.Contains(token))
            return Record(http, body, StatusCodes.Status401Unauthorized, "not an installation token this GitHub issued");
        try
        {
            using var review = JsonDocument.Parse(body);
            var root = review.RootElement;
            if (root.GetProperty("state").GetString() is not ("approved" or "rejected") || root.GetProperty("environment_name").ValueKind != JsonValueKind.String)
                return Record(http, body, StatusCodes.Status422UnprocessableEntity, "state must be approved or rejected, with an environment_name");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Record(http, body, StatusCodes.Status422UnprocessableEntity, "not a review body");
        }
        return Record(http, body, StatusCodes.Status204NoContent, null);
    }

    private async Task<IResult> NotFoundAsync(HttpContext http) => Record(http, await ReadAsync(http), StatusCodes.Status404NotFound, "no such endpoint");

    /// <summary>Null when the JWT is what GitHub accepts: RS256 by the app's key, iss = the app id, exp no more than ten minutes ahead.</summary>
    private async Task<string?> JwtProblemAsync(string jwt)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = AppId,
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            IssuerSigningKey = new RsaSecurityKey(AppKey.ExportParameters(false)),
            ClockSkew = TimeSpan.Zero,
        });
        if (!result.IsValid) return $"JWT refused: {result.Exception?.GetType().Name}";
        var token = (JsonWebToken)result.SecurityToken;
        if (token.ValidTo > DateTime.UtcNow.AddMinutes(10)) return "JWT exp is more than ten minutes ahead";
        return null;
    }

    private int? Fault(GitHubEndpoint endpoint)
    {
        lock (calls) return faults[endpoint].TryDequeue(out var status) ? status : null;
    }

    /// <summary>GitHub refuses API requests without a User-Agent.</summary>
    private Func<string, IResult>? MissingUserAgent(HttpContext http) =>
        string.IsNullOrEmpty(http.Request.Headers.UserAgent.ToString()) ? body => Record(http, body, StatusCodes.Status403Forbidden, "no User-Agent") : null;

    private static string? Bearer(HttpContext http) =>
        http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;

    private static async Task<string> ReadAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private IResult Record(HttpContext http, string body, int status, string? refusal)
    {
        var request = http.Request;
        lock (calls)
            calls.Add(new GitHubCall(request.Method, request.Path.Value ?? "", request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
                request.Headers.UserAgent.ToString(), request.Headers["X-GitHub-Api-Version"].ToString(), body, status, refusal));
        return refusal is null && status == StatusCodes.Status204NoContent
            ? Results.NoContent()
            : Results.Json(new { message = refusal ?? "ok" }, statusCode: status);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        AppKey.Dispose();
    }
}
