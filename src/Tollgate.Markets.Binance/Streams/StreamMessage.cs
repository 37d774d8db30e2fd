using System.Text.Json;

namespace Tollgate.Markets.Binance.Streams;

/// <summary>What a message on a combined-stream connection is.</summary>
public enum StreamMessageKind
{
    /// <summary><c>{"stream":"btcusdt@bookTicker","data":{...}}</c>.</summary>
    Data,
    /// <summary>A reply to a request: <c>{"result":null,"id":1}</c>.</summary>
    Result,
    /// <summary><c>{"error":{"code":2,"msg":"..."},"id":1}</c>, or <c>{"code":..,"msg":..}</c>.</summary>
    Error,
    /// <summary>Not JSON, or none of the above.</summary>
    Unknown,
}

/// <summary>Reads just enough of a combined-stream message to route it, with <see cref="Utf8JsonReader"/> and no allocation.</summary>
public static class StreamMessage
{
    /// <summary>
    /// Classifies <paramref name="message"/> and, for data, gives the symbol of its stream name (the part before '@',
    /// lower case as Binance sends it) in <paramref name="symbol"/>, a slice of <paramref name="message"/> or of
    /// <paramref name="scratch"/> when the name was JSON-escaped.
    /// </summary>
    public static StreamMessageKind Classify(ReadOnlySpan<byte> message, Span<byte> scratch, out ReadOnlySpan<byte> symbol)
    {
        symbol = default;
        var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return StreamMessageKind.Unknown;
            var kind = StreamMessageKind.Unknown;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("stream"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String) return StreamMessageKind.Unknown;
                    ReadOnlySpan<byte> name;
                    if (!reader.ValueIsEscaped) name = reader.ValueSpan;
                    else if (reader.ValueSpan.Length <= scratch.Length) name = scratch[..reader.CopyString(scratch)];
                    else return StreamMessageKind.Unknown;
                    var at = name.IndexOf((byte)'@');
                    symbol = at > 0 ? name[..at] : name;
                    return StreamMessageKind.Data;
                }
                if (reader.ValueTextEquals("result"u8)) kind = StreamMessageKind.Result;
                else if (reader.ValueTextEquals("error"u8) || reader.ValueTextEquals("code"u8)) kind = StreamMessageKind.Error;
                if (!reader.Read()) return StreamMessageKind.Unknown;
                reader.Skip();
            }
            return kind;
        }
        catch (JsonException)
        {
            return StreamMessageKind.Unknown;
        }
    }
}
