using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Host.Tests.GovernanceApi;

/// <summary>What a body member holds, and so how it can be wrong.</summary>
public enum Kind { Text, Id, Environment, Digest, ReasonCodes, Objects, Object, Word }

/// <summary>A member of a request body; nested members are named by path (<c>subject.kind</c>, <c>artifacts.0.digest</c>).</summary>
public sealed record Member(string Path, Kind Kind, bool Required = true, int Max = 512);

/// <summary>
/// An endpoint that takes a JSON body: a valid body (the baseline tests prove it is accepted) and its members.
/// <see cref="EnvironmentInPath"/> and <see cref="GateInPath"/> name the path segments bad route values replace.
/// </summary>
public sealed record Endpoint(string Name, Caller Caller, string Method, string Path, string ValidBody, IReadOnlyList<Member> Members)
{
    public string? EnvironmentInPath { get; init; }
    public bool GateInPath { get; init; }
}

/// <summary>
/// The bad requests made from an endpoint's valid body, each wrong in one way: the body as a whole (not JSON, not
/// an object, unknown or repeated members, too deep, not UTF-8, too large, carrying a secret), each member (missing,
/// null, of another type, empty, too long, with control characters, broken surrogates or bidirectional overrides,
/// not an identifier, not an environment…), and the path's environment and gate.
/// </summary>
public static class BodyCorpus
{
    private const string Invalid = "GOV_INVALID_REQUEST";
    private static readonly JsonSerializerOptions Raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEnumerable<(string Name, BadInput Input)> Of(Endpoint endpoint)
    {
        BadInput Body(string text, int status = 400, string reason = Invalid) => new(endpoint.Caller, endpoint.Method, endpoint.Path, text, status, reason);
        var valid = endpoint.ValidBody;
        var root = JsonNode.Parse(valid)!.AsObject();

        yield return ("not JSON: cut short", Body(valid[..^1]));
        yield return ("not JSON: prose", Body("please do it"));
        yield return ("not JSON: single quotes", Body("{'reason':'x'}"));
        yield return ("not JSON: a trailing comma", Body(With(valid, "\"trailing\":1")[..^1] + ",}"));
        yield return ("not JSON: a comment", Body("/* note */" + valid));
        yield return ("not JSON: two objects", Body(valid + valid));
        yield return ("not JSON: UTF-16", new BadInput(endpoint.Caller, endpoint.Method, endpoint.Path, null, 400, Invalid)
            { Bytes = () => System.Text.Encoding.Unicode.GetPreamble().Concat(System.Text.Encoding.Unicode.GetBytes(valid)).ToArray() });
        yield return ("not UTF-8: a member name", Body(With(valid, $"\"{BadInput.BadUtf8}\":1")));
        yield return ("nested deeper than 16", Body(With(valid, "\"deep\":" + new string('[', 40) + new string(']', 40))));
        yield return ("an array of the valid body", Body($"[{valid}]"));
        yield return ("a string", Body("\"reason\""));
        yield return ("a number", Body("42"));
        yield return ("null", Body("null"));
        yield return ("true", Body("true"));
        yield return ("an unknown member", Body(With(valid, "\"sneaky\":1")));
        yield return ("an unknown member holding a lone surrogate", Body(With(valid, "\"sneaky\":\"\\ud800\"")));
        yield return ("an unknown member named with a lone surrogate", Body(With(valid, "\"\\udfff\":1")));
        if (root.Count > 0)
        {
            var (first, value) = root.First();
            yield return ("a member named in another case", Body(With(valid, $"\"{char.ToUpperInvariant(first[0])}{first[1..]}\":{value!.ToJsonString(Raw)}")));
            yield return ("a member twice", Body(With(valid, $"\"{first}\":{value!.ToJsonString(Raw)}")));
        }
        yield return ("over 64 KiB", Body(With(valid, $"\"padding\":\"{new string('x', 70_000)}\""), 413, "GOV_BODY_TOO_LARGE"));
        yield return ("over 64 KiB, chunked", Body(With(valid, $"\"padding\":\"{new string('x', 70_000)}\""), 413, "GOV_BODY_TOO_LARGE") with { Chunked = true });
        yield return ("the host's signing key", Body(With(valid, "\"note\":\"{secret}\""), 400, "GOV_SECRET_IN_INPUT"));

        foreach (var member in endpoint.Members)
        {
            if (member.Required) yield return ($"{member.Path} missing", Body(Remove(root, member.Path)));
            if (member.Required) yield return ($"{member.Path} null", Body(Set(root, member.Path, "null")));
            foreach (var (what, literal, reason) in ValuesFor(member))
                yield return ($"{member.Path} {what}", Body(Set(root, member.Path, literal), 400, reason));
        }

        if (endpoint.EnvironmentInPath is { } environment)
        {
            foreach (var bad in new[] { "live", "LIVE", "4", "Live%20", "%20Live", "%EF%BC%ACive", "Live%E2%80%AE", "Prod", "Research,Live" })
                yield return ($"environment '{Uri.UnescapeDataString(bad)}' in the path",
                    Body(valid) with { Path = endpoint.Path.Replace($"/{environment}/", $"/{bad}/", StringComparison.Ordinal), Reason = "ENV_UNKNOWN" });
        }
        if (endpoint.GateInPath)
        {
            foreach (var bad in new[] { "version_audit", "VERSION-AUDIT", "VERSIONAUDIT", "0", "UNKNOWN", "VERSION_AUDIT%E2%80%AE" })
                yield return ($"gate '{Uri.UnescapeDataString(bad)}' in the path",
                    Body(valid) with { Path = endpoint.Path.Replace("/VERSION_AUDIT/", $"/{bad}/", StringComparison.Ordinal), Status = 404, Reason = "GATE_UNKNOWN" });
        }
    }

    /// <summary>Values a member of this kind must refuse, as JSON literals, with the reason each gets.</summary>
    private static IEnumerable<(string What, string Literal, string Reason)> ValuesFor(Member member)
    {
        switch (member.Kind)
        {
            case Kind.Objects:
                yield return ("an object, not an array", "{}", Invalid);
                yield return ("a string, not an array", "\"x\"", Invalid);
                yield return ("holding a number", "[1]", Invalid);
                yield return ("holding an empty object", "[{}]", Invalid);
                yield return ($"with {member.Max + 1} items", "[" + string.Join(',', Enumerable.Repeat("{}", member.Max + 1)) + "]", Invalid);
                yield break;
            case Kind.Object:
                yield return ("a string, not an object", "\"x\"", Invalid);
                yield return ("an array, not an object", "[]", Invalid);
                yield return ("an empty object", "{}", Invalid);
                yield return ("with an unknown member", "{\"sneaky\":1}", Invalid);
                yield break;
            case Kind.ReasonCodes:
                yield return ("a string, not an array", "\"RISK_LIMIT\"", Invalid);
                yield return ("an object, not an array", "{}", Invalid);
                yield return ("holding a number", "[1]", Invalid);
                yield return ("holding an empty string", "[\"\"]", Invalid);
                yield return ("holding a code in lower case", "[\"risk_limit\"]", Invalid);
                yield return ("holding a code with a space", "[\"RISK LIMIT\"]", Invalid);
                yield return ("holding a 65-character code", $"[\"{new string('A', 65)}\"]", Invalid);
                yield return ("holding a 10,000-character code", $"[\"{new string('A', 10_000)}\"]", Invalid);
                yield return ("holding a code with a control character", "[\"RISK\\u0007\"]", Invalid);
                yield return ("holding a lone surrogate", "[\"RISK\\ud800\"]", Invalid);
                yield return ("holding bytes that are not UTF-8", $"[\"RISK{BadInput.BadUtf8}\"]", Invalid);
                yield return ($"with {member.Max + 1} codes", "[" + string.Join(',', Enumerable.Range(0, member.Max + 1).Select(i => $"\"CODE_{i}\"")) + "]", Invalid);
                yield break;
        }

        yield return ("a number", "5", Invalid);
        yield return ("true", "true", Invalid);
        yield return ("an object", "{}", Invalid);
        yield return ("an array", "[\"x\"]", Invalid);
        yield return ("empty", "\"\"", Invalid);
        yield return ("blank", "\"   \"", Invalid);
        yield return ($"{member.Max + 1} characters long", $"\"{new string('x', member.Max + 1)}\"", Invalid);
        yield return ("10,000 characters long", $"\"{new string('x', 10_000)}\"", Invalid);
        yield return ("holding a bell (U+0007)", "\"ring\\u0007\"", Invalid);
        yield return ("holding NUL", "\"a\\u0000b\"", Invalid);
        yield return ("holding a line break", "\"two\\nlines\"", Invalid);
        yield return ("holding a raw control character (not JSON)", "\"a\u0001b\"", Invalid);
        yield return ("holding a lone high surrogate", "\"\\ud800\"", Invalid);
        yield return ("holding a lone low surrogate", "\"x\\udc00\"", Invalid);
        yield return ("holding a high surrogate before a letter", "\"\\ud83dx\"", Invalid);
        yield return ("holding a right-to-left override (U+202E)", "\"abc\\u202edef\"", Invalid);
        yield return ("holding a right-to-left isolate (U+2067)", "\"abc\\u2067def\"", Invalid);
        yield return ("holding bytes that are not UTF-8", $"\"a{BadInput.BadUtf8}b\"", Invalid);

        switch (member.Kind)
        {
            case Kind.Id:
                yield return ("with a space", "\"two words\"", Invalid);
                yield return ("with a slash", "\"a/b\"", Invalid);
                yield return ("an emoji", "\"🚀\"", Invalid);
                yield return ("with a letter outside ASCII", "\"ü-1\"", Invalid);
                break;
            case Kind.Environment:
                foreach (var name in new[] { "live", "LIVE", "4", "Live ", " Live", "Ｌive", "Prod", "Research,Live" })
                    yield return ($"'{name}'", $"\"{name}\"", "ENV_UNKNOWN");
                break;
            case Kind.Digest:
                yield return ("with 63 hex digits", $"\"sha256:{new string('0', 63)}\"", Invalid);
                yield return ("in upper case", $"\"sha256:{new string('A', 64)}\"", Invalid);
                yield return ("of another algorithm", $"\"sha512:{new string('0', 64)}\"", Invalid);
                yield return ("without its prefix", $"\"{new string('0', 64)}\"", Invalid);
                break;
            case Kind.Word:
                yield return ("in lower case", "\"active\"", Invalid);
                yield return ("not one of the words", "\"SOMETHING_ELSE\"", Invalid);
                break;
        }
    }

    /// <summary><paramref name="body"/> with one more member (a raw <c>"name":value</c> pair).</summary>
    public static string With(string body, string pair) => body.Trim() == "{}" ? $"{{{pair}}}" : body.TrimEnd()[..^1] + "," + pair + "}";

    private static string Set(JsonObject root, string path, string literal)
    {
        const string sentinel = "@@VALUE@@";
        var copy = root.DeepClone().AsObject();
        var (parent, last) = Navigate(copy, path);
        if (parent is JsonArray array) array[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = sentinel;
        else parent.AsObject()[last] = sentinel;
        return copy.ToJsonString(Raw).Replace($"\"{sentinel}\"", literal, StringComparison.Ordinal);
    }

    private static string Remove(JsonObject root, string path)
    {
        var copy = root.DeepClone().AsObject();
        var (parent, last) = Navigate(copy, path);
        parent.AsObject().Remove(last);
        return copy.ToJsonString(Raw);
    }

    private static (JsonNode Parent, string Last) Navigate(JsonObject root, string path)
    {
        var steps = path.Split('.');
        JsonNode node = root;
        foreach (var step in steps[..^1]) node = (int.TryParse(step, out var i) ? node[i] : node[step]) ?? throw new ArgumentException($"No member {path} in the valid body.");
        return (node, steps[^1]);
    }
}
