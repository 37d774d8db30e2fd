using System.Globalization;
using System.Text;
using CsCheck;

namespace Tollgate.Ledger.Tests.Canonical;

/// <summary>
/// Random JSON values for property tests, written out in many equivalent ways (member order, whitespace,
/// escapes, number notation) and, independently of the code under test, in their expected canonical form.
/// </summary>
internal static class RandomJson
{
    internal abstract record Value;
    internal sealed record Literal(string Text) : Value;
    internal sealed record Number(double Item) : Value;
    internal sealed record Text(string Item) : Value;
    internal sealed record Array(Value[] Items) : Value;
    internal sealed record Object((string Name, Value Value)[] Members) : Value;

    private static readonly Gen<int> CodePoint = Gen.Frequency(
        (8, Gen.Int[0x20, 0x7E]),
        (2, Gen.Int[0x00, 0x1F]),
        (2, Gen.OneOf(0x22, 0x5C, 0x2F, 0x7F)),
        (2, Gen.Int[0x80, 0xFFFF].Where(c => c is < 0xD800 or > 0xDFFF)),
        (1, Gen.OneOf(0xE000, 0xFB33, 0xFFFF, 0x2028, 0x0080)),
        (2, Gen.Int[0x10000, 0x10FFFF]));

    private static readonly Gen<string> String = CodePoint.Array[0, 8].Select(points => string.Concat(points.Select(char.ConvertFromUtf32)));

    private static readonly Gen<double> Double = Gen.Frequency(
        (3, Gen.Long[-(1L << 53), 1L << 53].Select(n => (double)n)),
        (3, Gen.Double.Where(double.IsFinite)),
        (3, Gen.Select(Gen.Int[-99999, 99999], Gen.Int[-30, 30]).Select((m, e) => double.Parse($"{m}e{e}", CultureInfo.InvariantCulture))),
        (1, Gen.OneOf(0.0, -0.0, 1e21, 1e-7, 1e-6, 9007199254740993.0, double.MaxValue, double.Epsilon, -double.MaxValue)));

    private static readonly Gen<Value> Scalar = Gen.Frequency(
        (1, Gen.OneOf("true", "false", "null").Select(text => (Value)new Literal(text))),
        (3, Double.Select(number => (Value)new Number(number))),
        (3, String.Select(text => (Value)new Text(text))));

    /// <summary>Values nested up to <paramref name="depth"/> containers deep.</summary>
    public static Gen<Value> Values(int depth)
    {
        if (depth == 0) return Scalar;
        var inner = Values(depth - 1);
        return Gen.Frequency(
            (3, Scalar),
            (1, inner.Array[0, 5].Select(items => (Value)new Array(items))),
            (2, String.ArrayUnique[0, 7].SelectMany(names =>
                inner.Array[names.Length].Select(values => (Value)new Object(names.Zip(values).ToArray())))));
    }

    /// <summary>One of the many texts of <paramref name="value"/>, chosen by <paramref name="random"/>.</summary>
    public static byte[] Write(Value value, Random random)
    {
        var builder = new StringBuilder();
        Write(value, random, builder);
        return Encoding.UTF8.GetBytes(Whitespace(random) + builder + Whitespace(random));
    }

    /// <summary>The RFC 8785 form, built from the model: members sorted with an ordinal (UTF-16) sort.</summary>
    public static byte[] Canonical(Value value)
    {
        var builder = new StringBuilder();
        Canonical(value, builder);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static void Canonical(Value value, StringBuilder builder)
    {
        switch (value)
        {
            case Literal literal: builder.Append(literal.Text); break;
            case Number number: builder.Append(Tollgate.Ledger.Canonical.EcmaScriptNumber.Format(number.Item)); break;
            case Text text: CanonicalString(text.Item, builder); break;
            case Array array:
                builder.Append('[');
                for (var i = 0; i < array.Items.Length; i++)
                {
                    if (i > 0) builder.Append(',');
                    Canonical(array.Items[i], builder);
                }
                builder.Append(']');
                break;
            case Object obj:
                builder.Append('{');
                var first = true;
                foreach (var (name, member) in obj.Members.OrderBy(member => member.Name, StringComparer.Ordinal))
                {
                    if (!first) builder.Append(',');
                    first = false;
                    CanonicalString(name, builder);
                    builder.Append(':');
                    Canonical(member, builder);
                }
                builder.Append('}');
                break;
        }
    }

    private static void CanonicalString(string text, StringBuilder builder)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        builder.Append('"');
    }

    private static void Write(Value value, Random random, StringBuilder builder)
    {
        switch (value)
        {
            case Literal literal: builder.Append(literal.Text); break;
            case Number number: builder.Append(AnyNotation(number.Item, random)); break;
            case Text text: AnyString(text.Item, random, builder); break;
            case Array array:
                builder.Append('[').Append(Whitespace(random));
                for (var i = 0; i < array.Items.Length; i++)
                {
                    if (i > 0) builder.Append(Whitespace(random)).Append(',').Append(Whitespace(random));
                    Write(array.Items[i], random, builder);
                }
                builder.Append(Whitespace(random)).Append(']');
                break;
            case Object obj:
                builder.Append('{').Append(Whitespace(random));
                var members = obj.Members.ToArray();
                random.Shuffle(members);
                for (var i = 0; i < members.Length; i++)
                {
                    if (i > 0) builder.Append(Whitespace(random)).Append(',').Append(Whitespace(random));
                    AnyString(members[i].Name, random, builder);
                    builder.Append(Whitespace(random)).Append(':').Append(Whitespace(random));
                    Write(members[i].Value, random, builder);
                }
                builder.Append(Whitespace(random)).Append('}');
                break;
        }
    }

    private static string Whitespace(Random random) => random.Next(6) switch
    {
        0 => " ",
        1 => "\n  ",
        2 => "\t",
        3 => "\r\n",
        _ => "",
    };

    /// <summary>The same double in one of several exact notations: round-trip, 17 significant digits, scientific.</summary>
    private static string AnyNotation(double value, Random random)
    {
        var text = random.Next(4) switch
        {
            0 => value.ToString("R", CultureInfo.InvariantCulture),
            1 => value.ToString("G17", CultureInfo.InvariantCulture),
            2 => value.ToString("E16", CultureInfo.InvariantCulture),
            _ => value.ToString("e20", CultureInfo.InvariantCulture),
        };
        return random.Next(2) == 0 ? text : text.Replace('E', 'e');
    }

    /// <summary>The string with each character written raw or escaped (a surrogate pair as two escapes), escapes in either case of hex.</summary>
    private static void AnyString(string text, Random random, StringBuilder builder)
    {
        builder.Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.IsBmp ? (char)rune.Value : '\0';
            var mustEscape = rune.IsBmp && (c < ' ' || c == '"' || c == '\\');
            if (!mustEscape && random.Next(5) != 0)
            {
                builder.Append(rune.ToString());
                continue;
            }
            var shortForm = !rune.IsBmp ? null : c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '/' => "\\/",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                _ => null,
            };
            if (shortForm is not null && random.Next(2) == 0)
            {
                builder.Append(shortForm);
                continue;
            }
            foreach (var unit in rune.ToString())
                builder.Append(random.Next(2) == 0 ? $"\\u{(int)unit:x4}" : $"\\u{(int)unit:X4}");
        }
        builder.Append('"');
    }
}
