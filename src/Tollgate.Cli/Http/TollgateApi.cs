using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tollgate.Cli.Http;

/// <summary>The host's HTTP API, as the CLI uses it. Refusals become <see cref="RequestRefusedException"/>, silence <see cref="HostUnreachableException"/>.</summary>
public sealed class TollgateApi(HttpClient http, Uri endpoint)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Uri Endpoint => endpoint;

    public async Task<StartedOrchestration> StartAsync(string orchestrator, string? inputJson, string? instanceId, string? startAt, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (instanceId is not null) query.Add($"instanceId={Uri.EscapeDataString(instanceId)}");
        if (startAt is not null) query.Add($"startAt={Uri.EscapeDataString(startAt)}");
        var path = $"api/orchestrations/{Segment(orchestrator)}" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return Read<StartedOrchestration>(await SendAsync(HttpMethod.Post, path, inputJson, cancellationToken));
    }

    public async Task<OrchestrationStatus> GetAsync(string instanceId, CancellationToken cancellationToken)
        => Read<OrchestrationStatus>(await SendAsync(HttpMethod.Get, $"api/orchestrations/{Segment(instanceId)}", null, cancellationToken));

    public async Task<OrchestrationList> ListAsync(string? statuses, string? prefix, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (statuses is not null) query.Add($"status={Uri.EscapeDataString(statuses)}");
        if (prefix is not null) query.Add($"prefix={Uri.EscapeDataString(prefix)}");
        if (pageSize is not null) query.Add($"pageSize={pageSize}");
        if (continuationToken is not null) query.Add($"continuationToken={Uri.EscapeDataString(continuationToken)}");
        var path = "api/orchestrations" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return Read<OrchestrationList>(await SendAsync(HttpMethod.Get, path, null, cancellationToken));
    }

    public Task RaiseEventAsync(string instanceId, string eventName, string? dataJson, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Post, $"api/orchestrations/{Segment(instanceId)}/events/{Segment(eventName)}", dataJson, cancellationToken);

    /// <summary>terminate, suspend or resume, with an optional reason.</summary>
    public Task ControlAsync(string instanceId, string operation, string? reason, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Post, $"api/orchestrations/{Segment(instanceId)}/{operation}",
            reason is null ? null : JsonSerializer.Serialize(new { reason }, Json), cancellationToken);

    public async Task<int> PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Delete, $"api/orchestrations/{Segment(instanceId)}", null, cancellationToken);
        return body.ValueKind == JsonValueKind.Object && body.TryGetProperty("purged", out var purged) && purged.TryGetInt32(out var count) ? count : 0;
    }

    /// <summary>
    /// Appends one RFC 8785 canonical ledger entry (POST api/ledger/entries, the entry's bytes as the body). When the
    /// key already holds an entry with other bytes (LEDGER_KEY_CONFLICT), that entry is looked up
    /// (GET api/ledger/entries?key=) and returned as <see cref="Tollgate.Cli.Evidence.LedgerAppendAnswer.KeyHolder"/>
    /// instead, so the caller can tell "the same fact, recorded earlier" from a real conflict. Other refusals throw.
    /// </summary>
    public async Task<Tollgate.Cli.Evidence.LedgerAppendAnswer> AppendLedgerEntryAsync(Tollgate.Ledger.Entries.LedgerEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await SendAsync(HttpMethod.Post, "api/ledger/entries", Encoding.UTF8.GetString(entry.Bytes), cancellationToken);
            return new(Read<Tollgate.Ledger.Writing.AppendReceipt>(answer), null);
        }
        catch (RequestRefusedException conflict) when (conflict.Reason == Tollgate.Ledger.LedgerReason.KeyConflict)
        {
            JsonElement? holder = null;
            try
            {
                holder = await SendAsync(HttpMethod.Get, $"api/ledger/entries?key={Uri.EscapeDataString(entry.Key)}", null, cancellationToken);
            }
            catch (RequestRefusedException notFound) when (notFound.Reason == Tollgate.Ledger.LedgerReason.NotFound)
            {
                // The other entry is still being appended; the conflict itself is the answer.
            }
            if (holder is null) throw;
            return new(null, Read<Tollgate.Cli.Evidence.LedgerKeyHolder>(holder.Value));
        }
    }

    /// <summary>Seals a replay bundle (<c>POST /api/bundles</c>); the body is the request as JSON.</summary>
    public Task<JsonElement> CreateBundleAsync(string requestJson, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Post, "api/bundles", requestJson, cancellationToken);

    /// <summary>A governance read (snake_case JSON), e.g. <c>api/environments/Live/version-map</c>.</summary>
    public Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>A governance act: <paramref name="body"/> is sent as snake_case JSON.</summary>
    public Task<JsonElement> PostJsonAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body, SnakeCase), cancellationToken);

    /// <summary>Stores raw bytes (<c>PUT api/objects</c>).</summary>
    public Task<JsonElement> PutBytesAsync(string path, byte[] content, CancellationToken cancellationToken) =>
        SendContentAsync(HttpMethod.Put, path, new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, cancellationToken);

    /// <summary>Posts a file as it is (<c>POST api/execution/rules/lint</c>).</summary>
    public Task<JsonElement> PostBytesAsync(string path, byte[] content, CancellationToken cancellationToken) =>
        SendContentAsync(HttpMethod.Post, path, new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, cancellationToken);

    public static string Segment(string value) => Uri.EscapeDataString(value);

    private static readonly JsonSerializerOptions SnakeCase = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static T Read<T>(JsonElement body)
        => (body.ValueKind == JsonValueKind.Object ? body.Deserialize<T>(Json) : default)
           ?? throw new RequestRefusedException("BAD_RESPONSE", "The host answered without the expected JSON object.");

    private Task<JsonElement> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken) =>
        SendContentAsync(method, path, json is null ? null : new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")), cancellationToken);

    private async Task<JsonElement> SendContentAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(endpoint, path)) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new HostUnreachableException(endpoint, e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HostUnreachableException(endpoint, $"no answer within {http.Timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                ErrorBody? error = null;
                try { error = JsonSerializer.Deserialize<ErrorBody>(text, Json); }
                catch (JsonException) { }
                throw new RequestRefusedException(
                    error?.Reason ?? $"HTTP_{(int)response.StatusCode}",
                    error?.Message ?? (text.Length > 0 ? text : response.ReasonPhrase ?? "no message"));
            }
            if (string.IsNullOrWhiteSpace(text)) return default;
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new RequestRefusedException("BAD_RESPONSE", $"The endpoint {endpoint} answered with something that is not JSON; is it a Tollgate host?");
            }
        }
    }
}
