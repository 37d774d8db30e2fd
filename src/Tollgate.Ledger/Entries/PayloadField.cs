using System.Text.Json;

namespace Tollgate.Ledger.Entries;

public enum PayloadFieldType { String, NullableString, Boolean, Array, Object }

/// <summary>A required member of an entry kind's payload: its JSON type and, for codes, the values allowed.</summary>
public sealed record PayloadField(string Name, PayloadFieldType Type, IReadOnlyList<string>? AllowedValues = null)
{
    public static PayloadField Text(string name) => new(name, PayloadFieldType.String);
    public static PayloadField OneOf(string name, params string[] values) => new(name, PayloadFieldType.String, values);
    public static PayloadField TextOrNull(string name) => new(name, PayloadFieldType.NullableString);
    public static PayloadField Flag(string name) => new(name, PayloadFieldType.Boolean);
    public static PayloadField List(string name) => new(name, PayloadFieldType.Array);
    public static PayloadField Map(string name) => new(name, PayloadFieldType.Object);

    /// <summary>Why <paramref name="value"/> does not fit, or null when it does.</summary>
    public string? Check(JsonElement value) => Type switch
    {
        PayloadFieldType.String when value.ValueKind != JsonValueKind.String => $"'{Name}' must be a string",
        PayloadFieldType.String when value.GetString()!.Length == 0 => $"'{Name}' must not be empty",
        PayloadFieldType.String when AllowedValues is { } allowed && !allowed.Contains(value.GetString()!, StringComparer.Ordinal)
            => $"'{Name}' must be one of {string.Join(", ", allowed)}, not '{value.GetString()}'",
        PayloadFieldType.NullableString when value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null) => $"'{Name}' must be a string or null",
        PayloadFieldType.Boolean when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False) => $"'{Name}' must be true or false",
        PayloadFieldType.Array when value.ValueKind != JsonValueKind.Array => $"'{Name}' must be an array",
        PayloadFieldType.Object when value.ValueKind != JsonValueKind.Object => $"'{Name}' must be an object",
        _ => null,
    };
}
