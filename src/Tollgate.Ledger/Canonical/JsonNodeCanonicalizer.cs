using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Ledger.Canonical;

/// <summary>Walks a <see cref="JsonNode"/> tree and writes it through a <see cref="CanonicalWriter"/>, under the same rules as text.</summary>
internal static class JsonNodeCanonicalizer
{
    public static void Write(JsonNode? node, CanonicalWriter writer, int depth = 0)
    {
        switch (node)
        {
            case null: writer.WriteLiteral("null"u8); break;
            case JsonObject obj: WriteObject(obj, writer, depth); break;
            case JsonArray array: WriteArray(array, writer, depth); break;
            case JsonValue value: WriteValue(value, writer, depth); break;
            default: throw new CanonicalJsonException(CanonicalJsonReason.Invalid, $"Unsupported node type {node.GetType().Name}.");
        }
    }

    private static void WriteObject(JsonObject obj, CanonicalWriter writer, int depth)
    {
        try
        {
            _ = obj.Count; // a parsed object reads its member names here
        }
        catch (InvalidOperationException e)
        {
            throw new CanonicalJsonException(CanonicalJsonReason.InvalidUnicode, $"A member name is not valid UTF-16: {e.Message}");
        }
        var frame = writer.BeginObject(depth);
        foreach (var (name, child) in obj)
        {
            var member = writer.BeginMember(ref frame, name);
            Write(child, writer, depth + 1);
            writer.EndMember(ref frame, member);
        }
        writer.EndObject(frame);
    }

    private static void WriteArray(JsonArray array, CanonicalWriter writer, int depth)
    {
        writer.BeginArray(depth);
        for (var i = 0; i < array.Count; i++)
        {
            if (i > 0) writer.WriteSeparator();
            Write(array[i], writer, depth + 1);
        }
        writer.EndArray();
    }

    private static void WriteValue(JsonValue value, CanonicalWriter writer, int depth)
    {
        // The common shapes are written directly; anything else (a long, a decimal, a DateTime, a wrapped
        // JsonElement that cannot be read as a string) goes through its own JSON text, so every shape meets
        // the same rules and gets the same reason codes.
        if (!TryWriteDirectly(value, writer)) Utf8JsonCanonicalizer.Write(ToUtf8Json(value), writer, depth);
    }

    private static bool TryWriteDirectly(JsonValue value, CanonicalWriter writer)
    {
        try
        {
            if (value.TryGetValue<string>(out var text))
            {
                writer.WriteString(text);
                return true;
            }
            if (value.TryGetValue<double>(out var number) || TryGetSingle(value, out number))
            {
                if (!double.IsFinite(number))
                    throw new CanonicalJsonException(CanonicalJsonReason.NumberOutOfRange, $"The number {number} is not a JSON number.");
                writer.WriteNumber(number);
                return true;
            }
            if (value.TryGetValue<bool>(out var flag))
            {
                writer.WriteLiteral(flag ? "true"u8 : "false"u8);
                return true;
            }
            return false;
        }
        catch (InvalidOperationException)
        {
            // A parsed string whose escapes are not valid UTF-16; its text says exactly what is wrong.
            return false;
        }
    }

    private static byte[] ToUtf8Json(JsonValue value)
    {
        try
        {
            // A parsed value keeps its source text, escapes and all, which is what the text rules judge.
            var json = value.TryGetValue<JsonElement>(out var element) ? element.GetRawText() : value.ToJsonString();
            return Encoding.UTF8.GetBytes(json);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or JsonException)
        {
            throw new CanonicalJsonException(CanonicalJsonReason.Invalid, $"A value could not be written as JSON: {e.Message}");
        }
    }

    private static bool TryGetSingle(JsonValue value, out double number)
    {
        var found = value.TryGetValue<float>(out var single);
        number = single;
        return found;
    }
}
