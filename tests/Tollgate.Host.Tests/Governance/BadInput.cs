using System.Net;
using System.Text;

namespace Tollgate.Host.Tests.GovernanceApi;

/// <summary>Who sends a request: an Operator (who also administers and is CI), or a Trader (who decides approvals).</summary>
public enum Caller { Operator, Trader }

/// <summary>
/// One bad request and the refusal it must get. <see cref="Path"/> and <see cref="Text"/> may hold the scene's
/// placeholders (<c>{approval}</c>, <c>{map}</c>, <c>{active}</c>, <c>{challenge}</c>, <c>{secret}</c>), and
/// <see cref="Text"/> the marker <see cref="BadUtf8"/>, which is sent as bytes that are not UTF-8.
/// </summary>
public sealed record BadInput(Caller Caller, string Method, string Path, string? Text, int Status, string Reason)
{
    public const string BadUtf8 = "@@BAD-UTF8@@";

    /// <summary>Bytes sent as they are, instead of <see cref="Text"/>.</summary>
    public Func<byte[]>? Bytes { get; init; }

    /// <summary>Sent without a Content-Length (chunked), so the host finds out the size by reading.</summary>
    public bool Chunked { get; init; }

    public HttpContent? Content(Func<string, string> resolve)
    {
        byte[] bytes;
        if (Bytes is not null) bytes = Bytes();
        else if (Text is null) return null;
        else bytes = Utf8WithBadBytes(resolve(Text));
        HttpContent content = Chunked ? new ChunkedContent(bytes) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private static byte[] Utf8WithBadBytes(string text)
    {
        var parts = text.Split(BadUtf8);
        var bytes = new List<byte>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) bytes.AddRange([0xC3, 0x28, 0xFF]);
            bytes.AddRange(Encoding.UTF8.GetBytes(parts[i]));
        }
        return [.. bytes];
    }

    /// <summary>A body whose length is not known up front.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 8192)
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(8192, bytes.Length - offset)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
