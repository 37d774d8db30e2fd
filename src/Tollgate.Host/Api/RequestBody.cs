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
        if (request.ContentLength > maxBytes)
            return TooLarge(request.ContentLength.Value, maxBytes);

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, maxBytes) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes) return TooLarge(null, maxBytes);
        }

        var bytes = buffer.WrittenSpan;
        if (IsBlank(bytes)) return new JsonBody(null, null);
        try
        {
            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            return new JsonBody(document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return new JsonBody(null, ApiErrors.Result(ApiReasons.MalformedJson, $"The body is not valid JSON: {e.Message}"));
        }
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
