using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tollgate.Evidence;

/// <summary>
/// Writer settings for every JSON this library emits. Fields are always written in a fixed order
/// by hand, never by a serializer, so the bytes of a summary or index line are a pure function of
/// its values. Relaxed escaping keeps versions like 1.0+build readable (no \u002B); none of it
/// is ever embedded in HTML.
/// </summary>
internal static class CanonicalJson
{
    public static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true, NewLine = "\n" };

    /// <summary>
    /// Reads a JSON object whose property names must be exactly <paramref name="expected"/>, each
    /// once: a missing, extra or repeated field means the file was not written by this library.
    /// </summary>
    public static bool TryReadObject(string text, IReadOnlyCollection<string> expected, out Dictionary<string, JsonElement> fields, out string error)
    {
        var read = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        fields = read;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!expected.Contains(property.Name))
                {
                    error = $"unexpected field '{property.Name}'";
                    return false;
                }

                if (!read.TryAdd(property.Name, property.Value.Clone()))
                {
                    error = $"field '{property.Name}' appears twice";
                    return false;
                }
            }

            var missing = expected.Where(name => !read.ContainsKey(name)).ToArray();
            error = missing.Length == 0 ? "" : $"missing field(s) {string.Join(", ", missing)}";
            return missing.Length == 0;
        }
        catch (JsonException e)
        {
            error = $"not JSON: {e.Message}";
            return false;
        }
    }

    public static bool TryString(Dictionary<string, JsonElement> fields, string name, out string value)
    {
        value = fields[name].ValueKind == JsonValueKind.String ? fields[name].GetString()! : "";
        return fields[name].ValueKind == JsonValueKind.String;
    }

    public static bool TryNonNegative(Dictionary<string, JsonElement> fields, string name, out long value)
    {
        value = 0;
        return fields[name].ValueKind == JsonValueKind.Number && fields[name].TryGetInt64(out value) && value >= 0;
    }
}
