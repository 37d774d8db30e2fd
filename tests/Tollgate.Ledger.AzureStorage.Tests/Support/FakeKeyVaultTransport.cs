using Azure.Core;
using Azure.Core.Pipeline;

namespace Tollgate.Ledger.AzureStorage.Tests.Support;

/// <summary>
/// Key Vault as the Secrets client sees it, without a vault: a request without a bearer token gets the 401
/// challenge Key Vault sends (so the client's challenge-based authentication runs for real), one with a token gets
/// <see cref="Answer"/>'s status and JSON body.
/// </summary>
internal sealed class FakeKeyVaultTransport(Func<string, (int Status, string Body)> answer) : HttpPipelineTransport
{
    public const string AccessToken = "fake-access-token-0123456789";

    private readonly List<string> requests = [];

    /// <summary>Answers an authorized request for the given path (e.g. "/secrets/name/").</summary>
    public Func<string, (int Status, string Body)> Answer { get; } = answer;

    /// <summary>"METHOD /path authorized|anonymous", in the order they came.</summary>
    public IReadOnlyList<string> Requests { get { lock (requests) return [.. requests]; } }

    public override Request CreateRequest() => HttpClientTransport.Shared.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message)
    {
        var request = message.Request;
        var path = request.Uri.ToUri().AbsolutePath;
        var authorized = request.Headers.TryGetValue("Authorization", out var authorization) && authorization == $"Bearer {AccessToken}";
        lock (requests) requests.Add($"{request.Method} {path} {(authorized ? "authorized" : "anonymous")}");
        message.Response = authorized
            ? FakeResponse.Json(Answer(path))
            : FakeResponse.Json((401, """{"error":{"code":"Unauthorized","message":"AKV10000: Request is missing a Bearer or PoP token."}}"""),
                ("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\""));
        return ValueTask.CompletedTask;
    }
}
