using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Release.Analysis;

/// <summary>
/// The JSON conventions of the sequential test's records. Doubles are JSON strings holding the invariant-culture
/// "R" (shortest round-trip) text, as the ledger holds quantities as strings (docs/LEDGER.md): the text parses back
/// to the same bits, NaN and ±∞ ("NaN", "Infinity", "-Infinity") are representable, and no reader's float
/// formatting or RFC 8785 number canonicalization can change a digit. Counts are JSON integers.
/// </summary>
internal static class SequentialJson
{
    public static JsonValue Number(double value) => JsonValue.Create(value.ToString("R", CultureInfo.InvariantCulture));

    public static JsonArray Numbers(IReadOnlyList<double> values)
    {
        var array = new JsonArray();
        foreach (var v in values) array.Add(Number(v));
        return array;
    }

    public static double ReadNumber(JsonObject json, string name) =>
        double.Parse(Text(json, name), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static double[] ReadNumbers(JsonObject json, string name)
    {
        if (json[name] is not JsonArray array) throw new FormatException($"sequential record: '{name}' must be an array");
        var values = new double[array.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (array[i] is not JsonValue v || !v.TryGetValue<string>(out var text))
                throw new FormatException($"sequential record: '{name}'[{i}] must be a number string");
            values[i] = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return values;
    }

    public static string Text(JsonObject json, string name) =>
        json[name] is JsonValue v && v.TryGetValue<string>(out var text)
            ? text
            : throw new FormatException($"sequential record: '{name}' must be a string");

    /// <summary>An integer member, whether the node was parsed from text or built in memory (an int- or long-backed
    /// value, which <see cref="JsonValue.TryGetValue{T}"/> does not convert between).</summary>
    public static long Integer(JsonObject json, string name) =>
        json[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"sequential record: '{name}' must be an integer");

    public static TEnum Enum<TEnum>(JsonObject json, string name) where TEnum : struct, System.Enum =>
        System.Enum.TryParse<TEnum>(Text(json, name), ignoreCase: false, out var value) && System.Enum.IsDefined(value)
            ? value
            : throw new FormatException($"sequential record: '{name}' is not a {typeof(TEnum).Name}");

    public static JsonObject Object(JsonObject json, string name) =>
        json[name] as JsonObject ?? throw new FormatException($"sequential record: '{name}' must be an object");
}
