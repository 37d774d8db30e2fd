using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tollgate.Durable;

namespace Tollgate.Host.Api;

/// <summary>A request body read as JSON, at most a given number of bytes; an empty body is null.</summary>
public readonly record struct JsonBody(JsonElement? Value, IResult? Refusal);

public static class RequestBody
{
    /// <summary>
    /// Reads the body without ever holding more than <paramref name="maxBytes"/> + one chunk: a declared
    /// Content-Length over the limit is refused before reading, and a body that turns out longer
    /// (chunked, or a lying header) is refused as soon as it passes the limit.
    /// </summary>
    public static async Task<JsonBody> ReadJsonAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var raw = await ReadBytesAsync(request, maxBytes, cancellationToken);
        if (raw.Refusal is { } refused) return new JsonBody(null, refused);
        var bytes = raw.Bytes.Span;
        if (IsBlank(bytes)) return new JsonBody(null, null);
        try
        {
            using var document = JsonDocument.Parse(raw.Bytes);
            // Reading such a string throws later (storing or forwarding the body): refuse it now, as the JSON it is not.
            if (Governance.Requests.RequestObject.BrokenText(document.RootElement, "body") is { } broken)
                return new JsonBody(null, ApiErrors.Result(ApiReasons.MalformedJson,
                    $"The body is not valid JSON: {broken} holds bytes that are not UTF-8 or an escaped lone surrogate."));
            return new JsonBody(document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return new JsonBody(null, ApiErrors.Result(ApiReasons.MalformedJson, $"The body is not valid JSON: {e.Message}"));
        }
    }

    /// <summary>The body's exact bytes (for content whose bytes matter, such as a canonical ledger entry).</summary>
    public static async Task<(ReadOnlyMemory<byte> Bytes, IResult? Refusal)> ReadBytesAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            return (default, TooLarge(request.ContentLength.Value, maxBytes).Refusal);

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, maxBytes) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes) return (default, TooLarge(null, maxBytes).Refusal);
        }
        return (buffer.WrittenMemory, null);
    }
    private static JsonBody TooLarge(long? length, int maxBytes) => new(null, ApiErrors.Result(DurableReason.InputTooLarge,
        length is { } bytes ? $"The body is {bytes} bytes; the limit is {maxBytes}." : $"The body is over the limit of {maxBytes} bytes."));

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        return true;
    }
}
