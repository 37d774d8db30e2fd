using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tollgate.Markets.Features;

namespace Tollgate.Markets.Strategy;

/// <summary>A condition as the decision saw it: its text, the feature's value then (invariant text, the regime code, or null when missing) and whether it held.</summary>
public sealed record ConditionResult(string Condition, string? Value, bool Holds);

/// <summary>
/// Why an intent was made (seed 002 S3 decision record): which rule of which rules rev fired, on which event, and
/// every feature at that moment, not only the ones the rule tested, so an auditor can replay the decision by hand.
/// <see cref="ToJson"/> is what the audit ledger appends.
/// </summary>
/// <param name="DecidedAt">The event's exchange time, else its ingest time: the intent's decided-at.</param>
/// <param name="UpdateId">The order book update id of the event.</param>
/// <param name="FeatureRev">The feature config rev that computed the features.</param>
/// <param name="Features">
/// Every decimal feature by name, in <see cref="FeatureNames"/>: the top of book (bid, bid_qty, ask, ask_qty) and
/// each <see cref="StrategyFeature"/> but the regime; null where the event had none.
/// </param>
/// <param name="Regime">The regime code (CALM, NORMAL, VOLATILE, UNKNOWN).</param>
/// <param name="Conditions">The rule's conditions in order with what they saw.</param>
public sealed record DecisionRecord(
    string IntentId, string RuleId, string Rev, string InstrumentKey, DateTimeOffset DecidedAt, long UpdateId,
    FeatureTrigger Trigger, DateTimeOffset? ExchangeTime, DateTimeOffset IngestTime, string FeatureRev,
    IReadOnlyDictionary<string, decimal?> Features, string Regime, IReadOnlyList<ConditionResult> Conditions)
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The keys of <see cref="Features"/>, in the order <see cref="ToJson"/> writes them.</summary>
    public static readonly IReadOnlyList<string> FeatureNames =
        ["bid", "bid_qty", "ask", "ask_qty", .. StrategyFeatures.All.Where(f => f != StrategyFeature.Regime).Select(f => f.Name())];

    internal static Dictionary<string, decimal?> Snapshot(in FeatureEvent e)
    {
        var features = new Dictionary<string, decimal?>(FeatureNames.Count, StringComparer.Ordinal)
        {
            ["bid"] = e.BidPrice,
            ["bid_qty"] = e.BidQuantity,
            ["ask"] = e.AskPrice,
            ["ask_qty"] = e.AskQuantity,
        };
        foreach (var feature in StrategyFeatures.All)
            if (feature != StrategyFeature.Regime) features[feature.Name()] = feature.Value(e);
        return features;
    }

    /// <summary>
    /// One compact JSON object, fields in a fixed order, decimals as invariant strings exactly as computed (no
    /// double ever reads them), times in ISO 8601 UTC: the same decision always gives the same bytes.
    /// </summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("intent_id"u8, IntentId);
            json.WriteString("rule_id"u8, RuleId);
            json.WriteString("rev"u8, Rev);
            json.WriteString("instrument"u8, InstrumentKey);
            json.WriteString("decided_at"u8, Time(DecidedAt));
            json.WriteNumber("update_id"u8, UpdateId);
            json.WriteString("trigger"u8, Trigger switch { FeatureTrigger.Quote => "quote", FeatureTrigger.Book => "book", _ => "bar" });
            if (ExchangeTime is { } exchange) json.WriteString("ts_exch"u8, Time(exchange));
            else json.WriteNull("ts_exch"u8);
            json.WriteString("ts_ingest"u8, Time(IngestTime));
            json.WriteString("feature_rev"u8, FeatureRev);
            json.WriteStartObject("features"u8);
            foreach (var name in FeatureNames)
            {
                if (Features.GetValueOrDefault(name) is { } value) json.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
                else json.WriteNull(name);
            }
            json.WriteEndObject();
            json.WriteString("regime"u8, Regime);
            json.WriteStartArray("conditions"u8);
            foreach (var condition in Conditions)
            {
                json.WriteStartObject();
                json.WriteString("condition"u8, condition.Condition);
                if (condition.Value is { } value) json.WriteString("value"u8, value);
                else json.WriteNull("value"u8);
                json.WriteBoolean("holds"u8, condition.Holds);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
