using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Tollgate.Markets.AzureStorage.Tests;

/// <summary>
/// An exact text form of a record, for comparing what was stored with what came back: record equality says
/// 1.5m == 1.50m, this does not (a decimal is written with its scale); times are compared as instants (UTC ticks),
/// strings with every character.
/// </summary>
public static class Canon
{
    public static string Of(object? value)
    {
        var text = new StringBuilder();
        Write(text, value);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null: text.Append("null"); return;
            case string s: text.Append(JsonSerializer.Serialize(s)); return;
            case decimal d: text.Append(d.ToString(CultureInfo.InvariantCulture)).Append('m'); return;
            case DateTimeOffset t: text.Append(t.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append("utc"); return;
            case bool or int or long or Enum: text.Append(Convert.ToString(value, CultureInfo.InvariantCulture)); return;
            case IEnumerable items:
                text.Append('[');
                var first = true;
                foreach (var item in items)
                {
                    if (!first) text.Append(", ");
                    first = false;
                    Write(text, item);
                }
                text.Append(']');
                return;
        }
        var type = value.GetType();
        text.Append(type.Name).Append(" { ");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            text.Append(property.Name).Append(" = ");
            Write(text, property.GetValue(value));
            text.Append("; ");
        }
        text.Append('}');
    }
}
