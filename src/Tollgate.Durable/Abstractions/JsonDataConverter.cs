using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tollgate.Durable;

/// <summary>The one place payloads become JSON: inputs, outputs, results, events and custom status.</summary>
public static class JsonDataConverter
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string? Serialize(object? value)
        => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    public static T? Deserialize<T>(string? json)
        => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);

    public static object? Deserialize(string? json, Type type)
        => json is null ? null : JsonSerializer.Deserialize(json, type, Options);
}
