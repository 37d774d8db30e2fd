using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Governance.Identity;
using Tollgate.Host.Functions;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;
using Xunit.Abstractions;

namespace Tollgate.Host.Tests.Security;

/// <summary>
/// Every HTTP function the host registers, called with every kind of token: the access check answers exactly as
/// <see cref="RoleMatrix"/> says, with the precise reason code, and records each refusal in the ledger. The
/// functions come from the registry, so an endpoint added later is covered without touching this test.
/// </summary>
public sealed class AuthorizationMatrixTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] OpenFunctions = ["github-deployment-protection", "health", "kill-switch-notify"];

    private readonly HostFactory host = new();
    private HttpClient auditor = null!;
    private LedgerTrail ledger = null!;

    public async Task InitializeAsync()
    {
        auditor = host.As("matrix-reader", Role.Auditor);
        ledger = new LedgerTrail(auditor);
        await LedgerApiTests.WaitForLedgerAsync(auditor);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private IReadOnlyList<(FunctionDefinition Function, HttpTrigger Trigger)> HttpFunctions() =>
        [.. host.Services.GetRequiredService<FunctionRegistry>().OfTrigger<HttpTrigger>().OrderBy(f => f.Function.Name, StringComparer.Ordinal)];

    [Fact]
    public async Task Every_guarded_function_answers_each_token_as_the_role_matrix_says_and_records_every_refusal()
    {
        var variants = TokenVariant.All(host.Tokens);
        var clients = variants.ToDictionary(v => v.Name, v => host.Http(v.Token));
        var failures = new List<string>();
        int functions = 0, refusedTokens = 0, roleDenials = 0, allowed = 0, expectedDenials = 0;
        var allowedStatuses = new SortedDictionary<int, int>();

        foreach (var (function, trigger) in HttpFunctions())
        {
            if (function.Access is not RequiresAction { Action: var action }) continue;
            functions++;
            var method = trigger.Methods[0];
            var path = RouteSamples.PathFor(trigger.Route);
            var route = $"{method} {path}";
            foreach (var variant in variants)
            {
                var where = $"{function.Name} ({route}, {action}) with a {variant.Name}";
                var before = await ledger.SizeAsync();
                var answer = await Call.SendAsync(clients[variant.Name], method, path);
                if (answer.Status >= 500) failures.Add($"{where}: {answer}");

                if (variant.RefusedAs is { } reason)
                {
                    if (answer.Status != 401 || answer.Reason != reason) failures.Add($"{where}: expected 401 {reason}, got {answer}");
                    else refusedTokens++;
                    await CheckDenialRecordedAsync(failures, where, before, route, reason, 401, "anonymous");
                }
                else if (!variant.Allows(action))
                {
                    expectedDenials++;
                    if (answer.Status != 403 || answer.Reason != "AUTH_ROLE_DENIED") failures.Add($"{where}: expected 403 AUTH_ROLE_DENIED (unexpectedly allowed), got {answer}");
                    else roleDenials++;
                    await CheckDenialRecordedAsync(failures, where, before, route, "AUTH_ROLE_DENIED", 403, variant.Subject);
                }
                else
                {
                    if (answer.Status is 401 or 403) failures.Add($"{where}: the matrix allows it, but it was refused: {answer}");
                    else allowed++;
                    allowedStatuses[answer.Status] = allowedStatuses.GetValueOrDefault(answer.Status) + 1;
                }
            }
        }

        output.WriteLine($"{functions} guarded functions x {variants.Count} token variants: {refusedTokens} refused tokens (401), " +
                         $"{roleDenials} role denials (403) of {expectedDenials} the matrix predicts, {allowed} allowed through the guard " +
                         $"(handlers answered {string.Join(", ", allowedStatuses.Select(pair => $"{pair.Key} x{pair.Value}"))}).");
        Assert.True(failures.Count == 0, $"{failures.Count} unexpected answers:\n" + string.Join('\n', failures));
        Assert.True(functions > 40, $"only {functions} guarded functions were found; is the registry resolved from the right host?");
        Assert.Equal(expectedDenials, roleDenials);
        Assert.True(allowed > 0 && roleDenials > 0);
    }

    [Fact]
    public async Task Only_the_health_probe_the_kill_switch_hint_and_the_github_webhook_are_open_and_they_take_no_token()
    {
        var open = HttpFunctions().Where(f => f.Function.Access is OpenAccess).ToList();
        Assert.Equal(OpenFunctions, open.Select(f => f.Function.Name).Order(StringComparer.Ordinal));
        Assert.All(open, f => Assert.False(string.IsNullOrWhiteSpace(((OpenAccess)f.Function.Access!).Why)));

        var anonymous = host.Anonymous();
        foreach (var (function, trigger) in open)
        {
            var path = RouteSamples.PathFor(trigger.Route);
            var before = await ledger.SizeAsync();
            var answer = await Call.SendAsync(anonymous, trigger.Methods[0], path);
            Assert.True(answer.Status is not (401 or 403) and < 500, $"{function.Name} without a token: {answer}");
            Assert.True(answer.Reason is not ("AUTH_TOKEN_MISSING" or "AUTH_ROLE_DENIED"), $"{function.Name} without a token: {answer}");
            Assert.Equal(before, await ledger.SizeAsync());
        }
    }

    private async Task CheckDenialRecordedAsync(List<string> failures, string where, long before, string route, string reason, int status, string actor)
    {
        var (entry, found) = await ledger.FindDenialAsync(before, route);
        if (entry is not { } denial)
        {
            failures.Add($"{where}: no access_denied entry was recorded ({found})");
            return;
        }
        var payload = denial.GetProperty("payload");
        if (payload.GetProperty("reason_code").GetString() != reason || payload.GetProperty("status").GetString() != status.ToString(System.Globalization.CultureInfo.InvariantCulture)
            || denial.GetProperty("actor").GetString() != actor)
            failures.Add($"{where}: the access_denied entry says {denial.GetRawText()}, expected {reason} {status} by {actor}");
    }
}

/// <summary>One HTTP call's answer: status, the body's reason code (if it has one) and the body.</summary>
public sealed record Answer(int Status, string? Reason, string? Message, string Body)
{
    public override string ToString() => $"{Status} {(Body.Length > 600 ? Body[..600] + "…" : Body)}";
}

public static class Call
{
    /// <summary>
    /// Sends <paramref name="method"/> <paramref name="path"/> (an empty JSON body for methods that carry one) and
    /// reads the answer; an event stream is not read to its end (it has none), only its status.
    /// </summary>
    public static async Task<Answer> SendAsync(HttpClient client, string method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Content = content ?? (method is "POST" or "PUT" or "PATCH" ? new StringContent("", Encoding.UTF8, "application/json") : null);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream") return new Answer((int)response.StatusCode, null, null, "(event stream)");
        var body = await response.Content.ReadAsStringAsync();
        string? reason = null, message = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    if (document.RootElement.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String) reason = r.GetString();
                    if (document.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String) message = m.GetString();
                }
            }
            catch (JsonException)
            {
                // Not JSON after all; the body is kept as text.
            }
        }
        return new Answer((int)response.StatusCode, reason, message, body);
    }
}
