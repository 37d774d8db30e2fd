using System.Text.Json;

namespace Tollgate.Markets.Features;

/// <summary>
/// Feature events as one JSON object per line, fields in a fixed order and numbers in invariant form, so the same
/// events always give the same bytes: that is what "replaying a capture twice yields byte-identical FeatureEvents"
/// is checked against.
/// </summary>
public static class FeatureEventJson
{
    public static void Write(Utf8JsonWriter json, in FeatureEvent e)
    {
        json.WriteStartObject();
        json.WriteString("instrument"u8, e.Instrument.Key);
        json.WriteString("trigger"u8, e.Trigger switch { FeatureTrigger.Quote => "quote", FeatureTrigger.Book => "book", _ => "bar" });
        json.WriteNumber("update_id"u8, e.UpdateId);
        if (e.ExchangeTime is { } exchange) json.WriteString("ts_exch"u8, exchange.UtcDateTime.ToString("O"));
        else json.WriteNull("ts_exch"u8);
        json.WriteString("ts_ingest"u8, e.IngestTime.UtcDateTime.ToString("O"));
        json.WriteNumber("bid"u8, e.BidPrice);
        json.WriteNumber("bid_qty"u8, e.BidQuantity);
        json.WriteNumber("ask"u8, e.AskPrice);
        json.WriteNumber("ask_qty"u8, e.AskQuantity);
        json.WriteNumber("mid"u8, e.Mid);
        json.WriteNumber("spread"u8, e.Spread);
        json.WriteNumber("spread_bps"u8, e.SpreadBps);
        json.WriteNumber("microprice"u8, e.Microprice);
        WriteNullable(json, "imbalance"u8, e.Imbalance);
        WriteNullable(json, "atr"u8, e.Atr);
        WriteNullable(json, "realized_vol"u8, e.RealizedVolatility);
        json.WriteString("regime"u8, e.Regime.Code);
        json.WriteString("config_rev"u8, e.ConfigRev);
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, ReadOnlySpan<byte> name, decimal? value)
    {
        if (value is { } v) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }
}
