using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tollgate.Host.Api;

/// <summary>The API's JSON: camelCase, enums as names.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>A stored JSON payload as a JSON value for a response; null stays null.</summary>
    public static JsonElement? Raw(string? json)
    {
        if (json is null) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not JSON (never written by the engine, but never fail a read over it): return it as a string.
            return JsonSerializer.SerializeToElement(json);
        }
    }
}
