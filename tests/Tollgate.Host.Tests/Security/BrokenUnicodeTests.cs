using System.Text;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.Security;

/// <summary>
/// The JSON endpoints outside governance (ledger appends, bundles, orchestration starts) given text that is not
/// text: an escaped lone surrogate, or bytes that are not UTF-8. Each is refused with a 4xx and a reason, never a 5xx,
/// and the ledger gains nothing.
/// </summary>
public sealed class BrokenUnicodeTests : IAsyncLifetime
{
    private readonly HostFactory host = new();
    private HttpClient caller = null!;
    private LedgerTrail ledger = null!;

    public async Task InitializeAsync()
    {
        caller = host.As("unicode-caller", Role.Operator, Role.Pipeline);
        ledger = new LedgerTrail(host.As("unicode-auditor", Role.Auditor));
        await LedgerApiTests.WaitForLedgerAsync(caller);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private const string Entry = """{"actor":"unicode-caller","correlation_id":"c","environment":null,"key":"k@","kind":"evidence","payload":{"check":"x@","facts":{},"passed":true,"reason_codes":[]},"refs":[],"time":"2026-11-23T09:30:00.000Z","v":1}""";
    private const string Bundle = """{"eventRef":"deploy-@","createdBy":"unicode-caller","members":[{"role":"config","name":"a@.json","contentBase64":"e30="}]}""";

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (path, body) in new[] { ("/api/ledger/entries", Entry), ("/api/bundles", Bundle), ("/api/orchestrations/EngineTour", """{"subject":"tour@"}""") })
            foreach (var broken in new[] { "lone surrogate", "not UTF-8" })
                data.Add(path, body, broken);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Text_that_is_not_text_is_refused_with_a_reason_and_appends_nothing(string path, string body, string broken)
    {
        var bytes = broken == "lone surrogate"
            ? Encoding.UTF8.GetBytes(body.Replace("@", "\\ud800", StringComparison.Ordinal))
            : [.. body.Split('@').SelectMany((part, i) => (i == 0 ? [] : new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes(part)))];
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var before = await ledger.SizeAsync();

        var answer = await Call.SendAsync(caller, "POST", path, content);

        Assert.True(answer.Status is >= 400 and < 500 && !string.IsNullOrWhiteSpace(answer.Reason) && !string.IsNullOrWhiteSpace(answer.Message),
            $"POST {path} with a {broken}: {answer}");
        Assert.Equal(before, await ledger.SizeAsync());
    }
}
