using System.Text.Json.Nodes;

namespace Tollgate.Release.Pipeline;

/// <summary>
/// Collects a stage's reason codes (each once, in the order found) and its human-readable problems while a
/// stage runs, so every verdict is PASS exactly when it carries no code.
/// </summary>
internal sealed class StageFindings
{
    private readonly List<string> codes = [];
    private readonly List<string> problems = [];

    public void Fail(string code, string problem)
    {
        if (!codes.Contains(code, StringComparer.Ordinal))
        {
            codes.Add(code);
        }

        problems.Add(problem);
    }

    public bool HasFailures => codes.Count > 0;

    public StageVerdict Verdict => codes.Count == 0 ? StageVerdict.Pass : StageVerdict.Fail;

    public IReadOnlyList<string> Codes => [.. codes];

    public IReadOnlyList<string> Problems => [.. problems];
}

/// <summary>
/// The pieces every stage record's JSON form shares. Members are added in a fixed order and numbers are
/// integers, so a record's JSON (and its RFC 8785 form in the ledger) is a pure function of its values,
/// whatever the culture.
/// </summary>
internal static class StageJson
{
    public static JsonObject Start(string stage, StageVerdict verdict, IReadOnlyList<string> codes, IReadOnlyList<string> problems) => new()
    {
        ["stage"] = stage,
        ["verdict"] = verdict == StageVerdict.Pass ? "PASS" : "FAIL",
        ["reason_codes"] = Strings(codes),
        ["problems"] = Strings(problems),
    };

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(value => (JsonNode?)JsonValue.Create(value))]);
}

/// <summary>Input text quoted in a problem message: cut to 64 characters, so a hostile value cannot flood the entry.</summary>
internal static class StageText
{
    public static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
