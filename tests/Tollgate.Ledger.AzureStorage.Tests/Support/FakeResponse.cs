using System.Diagnostics.CodeAnalysis;
using System.Text;
using Azure;
using Azure.Core;

namespace Tollgate.Ledger.AzureStorage.Tests.Support;

/// <summary>An HTTP response made up in memory, for <see cref="FakeKeyVaultTransport"/>.</summary>
internal sealed class FakeResponse(int status, byte[] body, IReadOnlyDictionary<string, string> headers) : Response
{
    public static FakeResponse Json((int Status, string Body) answer, params (string Name, string Value)[] headers)
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json; charset=utf-8" };
        foreach (var (name, value) in headers) all[name] = value;
        return new FakeResponse(answer.Status, Encoding.UTF8.GetBytes(answer.Body), all);
    }

    public override int Status => status;
    public override string ReasonPhrase => status switch { 200 => "OK", 401 => "Unauthorized", 403 => "Forbidden", 404 => "Not Found", _ => "Status" };
    public override Stream? ContentStream { get; set; } = new MemoryStream(body);
    public override string ClientRequestId { get; set; } = Guid.NewGuid().ToString();

    public override void Dispose() => ContentStream?.Dispose();

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) => headers.TryGetValue(name, out value);

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = headers.TryGetValue(name, out var value) ? [value] : null;
        return values is not null;
    }

    protected override bool ContainsHeader(string name) => headers.ContainsKey(name);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => headers.Select(header => new HttpHeader(header.Key, header.Value));
}
