using System.Net;
using System.Text.Json;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Security;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.GovernanceApi;

/// <summary>
/// A host with something to refuse changes to: on Research, map A registered and active, map B registered, a
/// pending approval to activate B, and the kill switch engaged. The placeholders requests use name these.
/// </summary>
public sealed class GovernanceScene : IAsyncLifetime
{
    public const string OperatorSubject = "gov-operator";
    public const string TraderSubject = "gov-trader";

    private readonly Dictionary<string, string> placeholders = new();
    private HostFactory host = null!;

    /// <summary>Set when a case was not refused as it must be and may have changed the scene: the next case gets a new one.</summary>
    private bool spoiled;

    public HttpClient Operator { get; private set; } = null!;
    public HttpClient Trader { get; private set; } = null!;
    public HttpClient Reader { get; private set; } = null!;

    public HttpClient ClientFor(Caller caller) => caller == Caller.Trader ? Trader : Operator;

    public async Task InitializeAsync()
    {
        host = new HostFactory();
        Operator = host.As(OperatorSubject, Role.Operator, Role.Admin, Role.Pipeline);
        Trader = host.As(TraderSubject, Role.Trader);
        Reader = host.As("gov-auditor", Role.Auditor);
        await LedgerApiTests.WaitForLedgerAsync(Reader);
        placeholders["{secret}"] = host.Tokens.KeyBase64;
        placeholders["{challenge}"] = new string('A', 43);
        placeholders["{active}"] = await RegisterAsync("a");
        placeholders["{map}"] = await RegisterAsync("b");
        await ExpectAsync(Operator, "POST", "/api/environments/Research/version-map/activate", $$"""{"map_id":"{{placeholders["{active}"]}}","reason":"first release"}""", 201);
        var approval = await ExpectAsync(Operator, "POST", "/api/approvals", GovernanceBodies.Approval("Research", reference: placeholders["{map}"]), 201);
        placeholders["{approval}"] = approval.GetProperty("id").GetString()!;
        await ExpectAsync(Operator, "POST", "/api/kill-switch/Research/engage", """{"reason":"scene"}""", 200);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    public string Resolve(string text)
    {
        foreach (var (name, value) in placeholders) text = text.Replace(name, value, StringComparison.Ordinal);
        return text;
    }

    public void Set(string placeholder, string value) => placeholders[placeholder] = value;

    public async Task<string> RegisterAsync(string code) =>
        (await ExpectAsync(Operator, "POST", "/api/version-maps", GovernanceBodies.Map("Research", code), 201)).GetProperty("map").GetProperty("id").GetString()!;

    public async Task<JsonElement> ExpectAsync(HttpClient client, string method, string path, string? body, int status)
    {
        var answer = await Call.SendAsync(client, method, Resolve(path), body is null ? null : GovernanceBodies.Json(Resolve(body)));
        Assert.True(answer.Status == status, $"{method} {path}: expected {status}, got {answer}");
        if (answer.Body.Length == 0) return default;
        using var document = JsonDocument.Parse(answer.Body);
        return document.RootElement.Clone();
    }

    /// <summary>Sends <paramref name="input"/> and asserts it is refused as expected, with a message, and that nothing was persisted.</summary>
    public async Task AssertRefusedAndNothingChangedAsync(string name, BadInput input)
    {
        if (spoiled)
        {
            await DisposeAsync();
            await InitializeAsync();
            spoiled = false;
        }
        spoiled = true;
        await CheckAsync(name, input);
        spoiled = false;
    }

    private async Task CheckAsync(string name, BadInput input)
    {
        var before = await GovernanceState.ReadAsync(Reader);
        var path = Resolve(input.Path);
        var answer = await Call.SendAsync(ClientFor(input.Caller), input.Method, path, input.Content(Resolve));

        Assert.True(answer.Status is >= 400 and < 500, $"{name}: {input.Method} {path} must be refused with a 4xx, got {answer}");
        Assert.True(!string.IsNullOrWhiteSpace(answer.Reason) && !string.IsNullOrWhiteSpace(answer.Message), $"{name}: a refusal has a reason and a message, got {answer}");
        Assert.True(answer.Status == input.Status && answer.Reason == input.Reason, $"{name}: expected {input.Status} {input.Reason}, got {answer}");
        Assert.Equal(before, await GovernanceState.ReadAsync(Reader));
    }
}
