using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tollgate.Release.Bundles;

/// <summary>
/// How bundle reports are written: compact JSON, fields in the order each report builds them, maps sorted by key
/// (ordinal), counts as JSON integers and every decimal as an invariant string without trailing zeros. Decimals are
/// strings because the audit ledger stores entries as RFC 8785 canonical JSON, which reads numbers as doubles: a
/// string survives it byte for byte, so a report recomputed from the same capture is byte-identical to the recorded one.
/// </summary>
internal static class ReportJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    public static string Write(JsonNode node) => node.ToJsonString(Options);

    public static JsonNode Decimal(decimal value) => JsonValue.Create(PlainDecimal.Canonical(value));

    public static JsonNode? Decimal(decimal? value) => value is { } v ? Decimal(v) : null;

    public static JsonObject Capture(CaptureSummary capture) => new()
    {
        ["sha256"] = capture.Sha256,
        ["source"] = capture.Source,
        ["frames"] = capture.Frames,
        ["feature_events"] = capture.FeatureEvents,
    };

    public static JsonObject Counts<T>(IReadOnlyDictionary<string, T> counts) where T : struct
    {
        var obj = new JsonObject();
        foreach (var (key, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal)) obj[key] = JsonValue.Create(count);
        return obj;
    }

    public static JsonArray Problems(IEnumerable<BundleProblem> problems) =>
        [.. problems.Select(p => (JsonNode)new JsonObject { ["code"] = p.Code, ["path"] = p.Path, ["message"] = p.Message })];
}
