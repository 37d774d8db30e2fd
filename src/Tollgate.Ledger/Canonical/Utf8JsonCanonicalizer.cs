using System.Text.Json;
using System.Text.Unicode;

namespace Tollgate.Ledger.Canonical;

/// <summary>Reads UTF-8 JSON strictly with <see cref="Utf8JsonReader"/> and writes it through a <see cref="CanonicalWriter"/>.</summary>
internal static class Utf8JsonCanonicalizer
{
    // One more than ours, so that our own check (with its reason code) trips before the reader's.
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = CanonicalWriter.MaxDepth + 1,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Writes one whole JSON text found at nesting depth <paramref name="depth"/>.</summary>
    public static void Write(ReadOnlySpan<byte> utf8Json, CanonicalWriter writer, int depth = 0)
    {
        // The reader checks the grammar but not the UTF-8 inside strings; validating everything up front also
        // gives invalid bytes one reason code wherever they are.
        if (!Utf8.IsValid(utf8Json))
            throw new CanonicalJsonException(CanonicalJsonReason.InvalidUnicode, "The bytes are not valid UTF-8.");

        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            reader.Read();
            WriteValue(ref reader, writer, depth);
            if (reader.Read()) throw new JsonException("Data follows the JSON value."); // the reader reports this itself; kept as a guard
        }
        catch (JsonException e)
        {
            throw new CanonicalJsonException(CanonicalJsonReason.Invalid, $"The bytes are not strict JSON: {e.Message}");
        }
    }

    private static void WriteValue(ref Utf8JsonReader reader, CanonicalWriter writer, int depth)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject: WriteObject(ref reader, writer, depth); break;
            case JsonTokenType.StartArray: WriteArray(ref reader, writer, depth); break;
            case JsonTokenType.String: writer.WriteStringToken(reader.ValueSpan, reader.ValueIsEscaped); break;
            case JsonTokenType.Number: writer.WriteNumberToken(reader.ValueSpan); break;
            case JsonTokenType.True: writer.WriteLiteral("true"u8); break;
            case JsonTokenType.False: writer.WriteLiteral("false"u8); break;
            case JsonTokenType.Null: writer.WriteLiteral("null"u8); break;
            default: throw new JsonException($"Unexpected {reader.TokenType} token.");
        }
    }

    private static void WriteObject(ref Utf8JsonReader reader, CanonicalWriter writer, int depth)
    {
        var frame = writer.BeginObject(depth);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = reader.ValueIsEscaped
                ? writer.BeginEscapedMember(ref frame, reader.ValueSpan)
                : writer.BeginMember(ref frame, reader.ValueSpan);
            reader.Read();
            WriteValue(ref reader, writer, depth + 1);
            writer.EndMember(ref frame, member);
        }
        writer.EndObject(frame);
    }

    private static void WriteArray(ref Utf8JsonReader reader, CanonicalWriter writer, int depth)
    {
        writer.BeginArray(depth);
        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!first) writer.WriteSeparator();
            first = false;
            WriteValue(ref reader, writer, depth + 1);
        }
        writer.EndArray();
    }
}
