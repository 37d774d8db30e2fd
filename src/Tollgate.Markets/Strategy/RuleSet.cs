using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Strategy;

/// <summary>
/// The strategy's rules, from the active config version (seed 002 S3): read from JSON and linted against the
/// routed universe by <see cref="Parse"/>, which refuses a set with any problem and names them all. <see cref="Rev"/>
/// is a hash of <see cref="Canonical"/>, so whitespace, field order, symbol order and trailing zeros do not change
/// it and any change of meaning does; it is the config rev stamped on every intent the rules make.
/// </summary>
public sealed class RuleSet
{
    private static readonly JsonWriterOptions CanonicalOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal RuleSet(string name, IReadOnlyList<StrategyRule> rules)
    {
        Name = name;
        Rules = Array.AsReadOnly(rules.ToArray());
        Canonical = Write(name, rules);
        Rev = "rules-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical)))[..16];
    }

    public string Name { get; }
    /// <summary>In the order they are tried.</summary>
    public IReadOnlyList<StrategyRule> Rules { get; }
    /// <summary><c>rules-</c> and the first 16 hex digits of SHA-256 of <see cref="Canonical"/> (UTF-8).</summary>
    public string Rev { get; }
    /// <summary>
    /// The set as compact JSON in one form: fields in the documented order, every optional field written (null when
    /// absent), codes upper case, decimals as strings without trailing zeros, symbols sorted, conditions as
    /// <see cref="RuleCondition.Text"/>. It parses back to the same set and rev, so the host can store it as the content object.
    /// </summary>
    public string Canonical { get; }

    /// <summary>Reads and lints <paramref name="json"/> against <paramref name="universe"/>.</summary>
    /// <exception cref="RuleSetException">Every problem found (codes in <see cref="RuleProblemCodes"/>).</exception>
    public static RuleSet Parse(string json, InstrumentTable universe)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(universe);
        var reader = new RuleSetReader(universe);
        var set = reader.Read(json);
        return reader.Problems.Count > 0 || set is null ? throw new RuleSetException(reader.Problems) : set;
    }

    public override string ToString() => $"{Name} ({Rev}, {Rules.Count} rule(s))";

    internal static string Side(OrderSide side) => side == OrderSide.Buy ? "BUY" : "SELL";
    internal static string Type(OrderType type) => type == OrderType.Market ? "MARKET" : "LIMIT";

    private static string Write(string name, IReadOnlyList<StrategyRule> rules)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, CanonicalOptions))
        {
            json.WriteStartObject();
            json.WriteString("name"u8, name);
            json.WriteStartArray("rules"u8);
            foreach (var rule in rules)
            {
                json.WriteStartObject();
                json.WriteString("id"u8, rule.Id);
                json.WriteString("market"u8, rule.Market.Code());
                json.WriteStartArray("symbols"u8);
                foreach (var instrument in rule.Instruments) json.WriteStringValue(instrument.Symbol);
                json.WriteEndArray();
                json.WriteStartArray("when"u8);
                foreach (var condition in rule.When) json.WriteStringValue(condition.Text);
                json.WriteEndArray();
                json.WriteString("side"u8, Side(rule.Side));
                json.WriteString("type"u8, Type(rule.Type));
                json.WriteString("quantity"u8, DecimalText.Canonical(rule.Quantity));
                if (rule.LimitOffsetTicks is { } ticks) json.WriteNumber("limit_offset_ticks"u8, ticks);
                else json.WriteNull("limit_offset_ticks"u8);
                WriteDecimal(json, "stop_loss_pct"u8, rule.StopLossPct);
                WriteDecimal(json, "take_profit_pct"u8, rule.TakeProfitPct);
                json.WriteNumber("cooldown_seconds"u8, rule.CooldownSeconds);
                json.WriteNumber("max_open"u8, rule.MaxOpen);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteDecimal(Utf8JsonWriter json, ReadOnlySpan<byte> name, decimal? value)
    {
        if (value is { } v) json.WriteString(name, DecimalText.Canonical(v));
        else json.WriteNull(name);
    }
}
