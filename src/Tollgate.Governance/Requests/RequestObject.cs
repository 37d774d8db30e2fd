using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tollgate.Governance.Requests;

/// <summary>
/// A JSON request body read strictly: every member must be known, every value of the right type and size, and
/// every refusal is a <see cref="GovernanceException"/> naming the member, so bad input changes nothing and says why.
/// </summary>
public sealed partial class RequestObject
{
    public const int MaxText = 512;

    private readonly JsonElement element;
    private readonly string path;

    private RequestObject(JsonElement element, string path)
    {
        this.element = element;
        this.path = path;
    }

    /// <summary>Parses a body that must be one JSON object with only <paramref name="members"/>.</summary>
    public static RequestObject Parse(ReadOnlySpan<byte> body, params string[] members)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body)) throw Invalid("The body is not UTF-8 text.");
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Invalid($"The body is not JSON: {e.Message.Split('.')[0]}.");
        }
        if (BrokenText(root, "body") is { } broken)
            throw Invalid($"{broken} is not text: it holds bytes that are not UTF-8 or an escaped lone surrogate.");
        return Of(root, "body", members);
    }

    /// <summary>
    /// Where the first member name or string that cannot be read as text is (null: none). The parser takes such
    /// JSON (it checks neither UTF-8 in strings nor escaped surrogates), and reading one throws, so every untrusted
    /// body is searched here first.
    /// </summary>
    public static string? BrokenText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try { _ = element.GetString(); }
                catch (InvalidOperationException) { return path; }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    if (BrokenText(item, $"{path}[{i++}]") is { } broken) return broken;
                return null;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    string name;
                    try { name = member.Name; }
                    catch (InvalidOperationException) { return $"a member name in {path}"; }
                    if (BrokenText(member.Value, $"{path}.{Printable(name)}") is { } broken) return broken;
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>A nested object with only <paramref name="members"/>.</summary>
    public static RequestObject Of(JsonElement element, string path, params string[] members)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Invalid($"{path} must be a JSON object.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            var name = member.Name;
            if (!members.Contains(name, StringComparer.Ordinal))
                throw Invalid($"{path} has an unknown member '{Printable(name)}'; allowed: {string.Join(", ", members)}.");
            if (!seen.Add(name)) throw Invalid($"{path} names the member '{Printable(name)}' twice.");
        }
        return new RequestObject(element, path);
    }

    public bool Has(string name) => element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>Whether the member is there at all, even as null (null can mean something: "no map").</summary>
    public bool Mentions(string name) => element.TryGetProperty(name, out _);

    /// <summary>A required string: non-empty, at most <paramref name="maxLength"/> characters, no control characters.</summary>
    public string Text(string name, int maxLength = MaxText) =>
        OptionalText(name, maxLength) ?? throw Invalid($"{path}.{name} is required.");

    public string? OptionalText(string name, int maxLength = MaxText)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw Invalid($"{path}.{name} must be a string.");
        var text = value.GetString()!;
        if (text.Length == 0 || text.Trim().Length == 0) throw Invalid($"{path}.{name} must not be empty.");
        if (text.Length > maxLength) throw Invalid($"{path}.{name} is longer than {maxLength} characters.");
        if (!IsClean(text)) throw Invalid($"{path}.{name} holds a control character, a bidirectional override or a broken surrogate pair.");
        return text;
    }

    /// <summary>A required identifier: 1-128 of letters, digits and <c>._:-</c>.</summary>
    public string Id(string name) => OptionalId(name) ?? throw Invalid($"{path}.{name} is required.");

    public string? OptionalId(string name)
    {
        var text = OptionalText(name, 128);
        if (text is not null && !IdPattern().IsMatch(text)) throw Invalid($"{path}.{name} must be 1-128 letters, digits or . _ : - (got '{Printable(text)}').");
        return text;
    }

    /// <summary>A required content digest, <c>sha256:</c> and 64 lowercase hex digits.</summary>
    public string Digest(string name)
    {
        var text = Text(name, 71);
        if (!DigestPattern().IsMatch(text)) throw Invalid($"{path}.{name} must be sha256: and 64 lowercase hex digits.");
        return text;
    }

    public bool OptionalFlag(string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return false;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid($"{path}.{name} must be true or false."),
        };
    }

    public long? OptionalInteger(string name, long min, long max)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < min || number > max)
            throw Invalid($"{path}.{name} must be a whole number from {min} to {max}.");
        return number;
    }

    /// <summary>An array of strings (possibly empty; missing reads as empty), each checked like <see cref="Text"/>.</summary>
    public IReadOnlyList<string> TextList(string name, int maxItems, int maxLength = MaxText)
    {
        var items = Array(name, maxItems);
        return [.. items.Select((item, i) =>
        {
            if (item.ValueKind != JsonValueKind.String) throw Invalid($"{path}.{name}[{i}] must be a string.");
            var text = item.GetString()!;
            if (text.Length == 0 || text.Length > maxLength || !IsClean(text))
                throw Invalid($"{path}.{name}[{i}] must be 1-{maxLength} characters without control characters.");
            return text;
        })];
    }

    /// <summary>A required nested object with only <paramref name="members"/>.</summary>
    public RequestObject Object(string name, params string[] members) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? Of(value, $"{path}.{name}", members)
            : throw Invalid($"{path}.{name} is required.");

    /// <summary>An array of objects, each with only <paramref name="members"/>.</summary>
    public IReadOnlyList<RequestObject> ObjectList(string name, int maxItems, params string[] members) =>
        [.. Array(name, maxItems).Select((item, i) => Of(item, $"{path}.{name}[{i}]", members))];

    private List<JsonElement> Array(string name, int maxItems)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return [];
        if (value.ValueKind != JsonValueKind.Array) throw Invalid($"{path}.{name} must be an array.");
        var items = value.EnumerateArray().ToList();
        if (items.Count > maxItems) throw Invalid($"{path}.{name} has more than {maxItems} items.");
        return items;
    }

    /// <summary>
    /// No control characters, no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069,
    /// which make text display in another order than it is stored, as in "Trojan Source"), and every surrogate in
    /// a pair: text that prints as it reads. Right-to-left scripts themselves are text like any other.
    /// </summary>
    private static bool IsClean(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsControl(text[i]) || char.IsLowSurrogate(text[i]) || text[i] is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069') return false;
            if (char.IsHighSurrogate(text[i]) && (++i >= text.Length || !char.IsLowSurrogate(text[i]))) return false;
        }
        return true;
    }

    public static GovernanceException Invalid(string message) => new(GovernanceReasons.InvalidRequest, message);

    /// <summary>Untrusted text, shortened and with control characters shown as '?', safe to put in a message.</summary>
    public static string Printable(string text) =>
        new([.. (text.Length > 64 ? text[..64] + "…" : text).Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();
}
