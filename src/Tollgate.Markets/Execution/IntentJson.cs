using System.Globalization;
using System.Text.Json;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Execution;

/// <summary>Why a stream event is not an intent at all (it cannot be recorded under an id it may not have).</summary>
public sealed class IntentFormatException(string message) : FormatException($"EXE-INTENT-SCHEMA: {message}");

/// <summary>
/// Order intents and route results on the wire (the order-intents and order-results streams): JSON with decimals
/// as strings, so no digit is lost to a double. The instrument is <c>market</c> + <c>symbol</c>; one not in the
/// universe is still an intent (the router refuses it with EXE-INTENT-SYMBOL), so it is carried as an unlisted
/// instrument with no filters.
/// </summary>
public static class IntentJson
{
    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal)
    {
        "intent_id", "market", "symbol", "side", "type", "quantity", "limit_price", "stop_loss", "take_profit", "config_rev", "decided_at", "reduce_only",
    };

    public static byte[] Serialize(OrderIntent intent)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("intent_id", intent.IntentId);
            w.WriteString("market", intent.Instrument.Market.Code());
            w.WriteString("symbol", intent.Instrument.Symbol);
            w.WriteString("side", intent.Side == OrderSide.Buy ? "BUY" : "SELL");
            w.WriteString("type", intent.Type == OrderType.Market ? "MARKET" : "LIMIT");
            w.WriteString("quantity", Text(intent.Quantity));
            if (intent.LimitPrice is { } limit) w.WriteString("limit_price", Text(limit));
            if (intent.StopLoss is { } sl) w.WriteString("stop_loss", Text(sl));
            if (intent.TakeProfit is { } tp) w.WriteString("take_profit", Text(tp));
            w.WriteString("config_rev", intent.ConfigRev);
            w.WriteString("decided_at", intent.DecidedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            if (intent.ReduceOnly) w.WriteBoolean("reduce_only", true);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <exception cref="IntentFormatException">Not JSON, an unknown or missing field, a number that is not a decimal string.</exception>
    public static OrderIntent Parse(ReadOnlySpan<byte> json, InstrumentTable universe)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json.ToArray()); }
        catch (JsonException e) { throw new IntentFormatException($"not JSON ({e.Message})"); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new IntentFormatException("an intent is a JSON object");
            foreach (var property in root.EnumerateObject())
                if (!Fields.Contains(property.Name)) throw new IntentFormatException($"unknown field '{property.Name}'");
            var marketCode = Required(root, "market");
            if (!MarketKinds.TryParse(marketCode, out var market)) throw new IntentFormatException($"market '{marketCode}' is not SPOT or FUT");
            var symbol = Required(root, "symbol");
            var instrument = universe.Find(market, symbol) ?? Unlisted(market, symbol);
            var side = Required(root, "side") switch { "BUY" => OrderSide.Buy, "SELL" => OrderSide.Sell, var s => throw new IntentFormatException($"side '{s}' is not BUY or SELL") };
            var type = Required(root, "type") switch { "MARKET" => OrderType.Market, "LIMIT" => OrderType.Limit, var t => throw new IntentFormatException($"type '{t}' is not MARKET or LIMIT") };
            var decidedText = Required(root, "decided_at");
            if (!DateTimeOffset.TryParse(decidedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var decided))
                throw new IntentFormatException($"decided_at '{decidedText}' is not a time");
            var reduceOnly = root.TryGetProperty("reduce_only", out var r) && (r.ValueKind == JsonValueKind.True ? true
                : r.ValueKind == JsonValueKind.False ? false : throw new IntentFormatException("reduce_only is true or false"));
            return new OrderIntent(Optional(root, "intent_id") ?? "", instrument, side, type, Number(root, "quantity") ?? throw new IntentFormatException("quantity is required"),
                Number(root, "limit_price"), Number(root, "stop_loss"), Number(root, "take_profit"), Optional(root, "config_rev") ?? "", decided, reduceOnly);
        }
    }

    private static Instrument Unlisted(MarketKind market, string symbol)
    {
        try { return new Instrument(market, symbol, 0, 0, 0); }
        catch (ArgumentException e) { throw new IntentFormatException(e.Message); }
    }

    private static string Required(JsonElement root, string name) =>
        Optional(root, name) is { Length: > 0 } text ? text : throw new IntentFormatException($"{name} is required");

    private static string? Optional(JsonElement root, string name) => root.TryGetProperty(name, out var value)
        ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw new IntentFormatException($"{name} must be a string")
        : null;

    private static decimal? Number(JsonElement root, string name) => Optional(root, name) is { } text
        ? decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value
            : throw new IntentFormatException($"{name} '{text}' is not a decimal")
        : null;

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
