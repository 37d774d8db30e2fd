using System.Globalization;
using System.Text.Json;

namespace Tollgate.Ledger.Writing;

/// <summary>
/// The envelope members of a stored entry, read without building a document: what a writer needs from every
/// entry when it opens a ledger (full validation is the verifier's job).
/// </summary>
internal readonly record struct EntryEnvelope(string Key, string Kind, string CorrelationId, DateTimeOffset Time)
{
    public static bool TryRead(ReadOnlySpan<byte> line, out EntryEnvelope envelope)
    {
        envelope = default;
        string? key = null, kind = null, correlation = null, time = null;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                if (!reader.Read()) return false;
                if (reader.TokenType == JsonTokenType.String)
                {
                    if (name.SequenceEqual("key"u8)) key = reader.GetString();
                    else if (name.SequenceEqual("kind"u8)) kind = reader.GetString();
                    else if (name.SequenceEqual("correlation_id"u8)) correlation = reader.GetString();
                    else if (name.SequenceEqual("time"u8)) time = reader.GetString();
                }
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8 (GetString cannot transcode it).
            return false;
        }
        if (key is null || kind is null || correlation is null || time is null
            || !DateTime.TryParseExact(time, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        envelope = new EntryEnvelope(key, kind, correlation, new DateTimeOffset(parsed, TimeSpan.Zero));
        return true;
    }
}
