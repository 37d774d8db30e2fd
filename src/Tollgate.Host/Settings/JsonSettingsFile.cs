using System.Text.Json;

namespace Tollgate.Host.Settings;

/// <summary>
/// Reads a JSON settings file into configuration keys: the whole file or one of its objects,
/// flattened with ':' under a prefix. A missing file has no keys; a malformed one stops startup
/// with its path.
/// </summary>
internal static class JsonSettingsFile
{
    public static Dictionary<string, string?> Read(string path, string? section, string? prefix)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path)) return data;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (section is not null && !(root.ValueKind == JsonValueKind.Object && root.TryGetProperty(section, out root))) return data;
            Flatten(root, prefix, data);
            return data;
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"'{path}' is not valid JSON: {e.Message}", e);
        }
    }

    private static void Flatten(JsonElement element, string? key, Dictionary<string, string?> data)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Flatten(property.Value, key is null ? property.Name : $"{key}:{property.Name}", data);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, key is null ? $"{index}" : $"{key}:{index}", data);
                    index++;
                }
                break;
            case JsonValueKind.String:
                if (key is not null) data[key] = element.GetString();
                break;
            case JsonValueKind.Null:
                if (key is not null) data[key] = null;
                break;
            default:
                if (key is not null) data[key] = element.GetRawText();
                break;
        }
    }
}
