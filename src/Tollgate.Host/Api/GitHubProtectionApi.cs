using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tollgate.Governance;
using Tollgate.Governance.Gates;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Secrets;
using Tollgate.Host.Functions;
using Tollgate.Host.GitHub;
using Tollgate.Host.Hosting;
using Tollgate.Host.Security;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Api;

/// <summary>
/// A GitHub custom deployment protection rule (docs/CI.md): GitHub sends <c>deployment_protection_rule</c> when a
/// job targets a guarded environment; Tollgate checks the webhook's signature, evaluates all four gates for the
/// commit (with the version map CI registered for it), and approves or rejects the deployment on its callback URL.
/// </summary>
public sealed class GitHubProtectionApi(HostSettings settings, GovernanceHost governance, ISecretStore secrets, AccessGuard guard,
    GitHubAppClient? github, ILogger<GitHubProtectionApi> logger) : IFunctionModule
{
    public const int MaxPayloadBytes = 1024 * 1024;

    public void Register(FunctionRegistry registry) => registry
        .Add(FunctionDefinition.Http("github-deployment-protection", "github/deployment-protection", ["POST"],
            FunctionAccess.Open("GitHub authenticates its webhook by an HMAC-SHA256 signature with the shared webhook secret, checked before anything else"),
            HandleAsync));

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        if (settings.GitHub is not { } config || github is null)
            return ApiErrors.Result(GovernanceReasons.InvalidRequest, "No GitHub App is configured (Tollgate:GitHub:AppId).", StatusCodes.Status404NotFound);
        var body = await RequestBody.ReadBytesAsync(http.Request, MaxPayloadBytes, http.RequestAborted);
        if (body.Refusal is { } tooLarge) return tooLarge;
        var secret = await secrets.GetAsync(config.WebhookSecretName, "verify a GitHub webhook signature", http.RequestAborted);
        if (secret is null || !SignatureMatches(http.Request.Headers["X-Hub-Signature-256"].ToString(), secret, body.Bytes.Span))
            return await guard.DenyAsync(http, "GitHubDeploymentProtection", GovernanceReasons.WebhookSignature, StatusCodes.Status401Unauthorized,
                "The X-Hub-Signature-256 header is missing or is not the HMAC-SHA256 of this body with the webhook secret.", null);

        var eventName = http.Request.Headers["X-GitHub-Event"].ToString();
        if (eventName == "ping") return GovernanceJson.Ok(new { Pong = true });
        if (eventName != "deployment_protection_rule")
            return ApiErrors.Result(GovernanceReasons.InvalidRequest, $"This endpoint takes deployment_protection_rule events, not '{Governance.Requests.RequestObject.Printable(eventName)}'.");
        var hook = Parse(body.Bytes.Span);

        var caller = new Principal($"github-app:{config.AppId}", "GitHub deployment protection rule", new HashSet<Role> { Role.Pipeline }, false);
        string comment;
        bool approved;
        IReadOnlyList<GateEvaluation> evaluations = [];
        if (!config.Environments.TryGetValue(hook.Environment, out var environment))
        {
            approved = false;
            comment = $"Tollgate does not govern the GitHub environment '{hook.Environment}'; map it in Tollgate:GitHub:Environments.";
        }
        else
        {
            var map = await governance.VersionMaps.FindByCodeAsync(environment, hook.Sha, http.RequestAborted);
            var request = new GateRequest(environment, hook.Sha, map?.Map.Id, null, null);
            evaluations = await GateApi.EvaluateAllAsync(governance.Gates, caller, request, http.RequestAborted);
            var verdict = GateApi.Combine(evaluations);
            approved = verdict == GateVerdict.Pass;
            comment = $"Tollgate {GateNames.Of(verdict)} for {hook.Sha[..Math.Min(12, hook.Sha.Length)]} on {environment}: " + string.Join("; ", evaluations.Select(evaluation =>
                $"{GateNames.Of(evaluation.Gate)} {GateNames.Of(evaluation.Verdict)}" +
                (evaluation.Verdict == GateVerdict.Pass ? "" : $" ({string.Join(", ", evaluation.Checks.SelectMany(check => check.ReasonCodes).Distinct())})") +
                $" [{evaluation.EvaluationId}]"));
        }
        try
        {
            await github.ReviewAsync(hook.InstallationId, hook.CallbackUrl, hook.Environment, approved, comment, http.RequestAborted);
        }
        catch (GitHubCallException e)
        {
            logger.LogWarning("GitHub deployment review for {Sha} on {Environment} failed: {Error}", hook.Sha, hook.Environment, e.Message);
            return ApiErrors.Result("GITHUB_CALLBACK_FAILED", e.Message, StatusCodes.Status502BadGateway);
        }
        return GovernanceJson.Ok(new { State = approved ? "approved" : "rejected", Comment = comment, Evaluations = evaluations.Select(GateApi.View) });
    }

    private static bool SignatureMatches(string header, string secret, ReadOnlySpan<byte> body)
    {
        const string prefix = "sha256=";
        if (!header.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var expected = Encoding.ASCII.GetBytes(prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(header));
    }

    private sealed record Hook(string Environment, string Sha, long InstallationId, Uri CallbackUrl);

    private static Hook Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.GetProperty("action").GetString() != "requested")
                throw Governance.Requests.RequestObject.Invalid("Only the 'requested' action of deployment_protection_rule is handled.");
            var sha = root.GetProperty("deployment").GetProperty("sha").GetString() ?? "";
            if (sha.Length is < 7 or > 64 || !sha.All(char.IsAsciiHexDigit))
                throw Governance.Requests.RequestObject.Invalid("deployment.sha is not a commit hash.");
            return new Hook(root.GetProperty("environment").GetString() ?? "", sha.ToLowerInvariant(),
                root.GetProperty("installation").GetProperty("id").GetInt64(),
                Uri.TryCreate(root.GetProperty("deployment_callback_url").GetString(), UriKind.Absolute, out var callback)
                    ? callback
                    : throw Governance.Requests.RequestObject.Invalid("deployment_callback_url is not a URL."));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Governance.Requests.RequestObject.Invalid($"The body is not a deployment_protection_rule payload ({e.GetType().Name}).");
        }
    }
}
