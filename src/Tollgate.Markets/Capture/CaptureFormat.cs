using System.Globalization;
using System.Text.Json;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Capture;

/// <summary>
/// The capture format: gzip-compressed JSON lines. The first line describes the capture (format version, the
/// instrument universe with its exchange filters, where it came from); every other line is one frame exactly as it
/// was received, with its partition, sequence number and receive time:
/// <code>
/// {"capture":1,"source":"...","started":"2026-12-03T18:00:00.0000000Z","instruments":[{"market":"SPOT","symbol":"BTCUSDT","tick":"0.01","step":"0.00001","min_notional":"5"}]}
/// {"p":"SPOT:BTCUSDT","seq":0,"recv":"2026-12-03T18:00:00.1234567Z","market":"SPOT","kind":"stream","frame":{"stream":"btcusdt@bookTicker","data":{...}}}
/// </code>
/// <c>frame</c> holds the exchange's bytes verbatim; a body that is not one line of valid JSON is kept as base64 in
/// <c>frame_b64</c> instead, so even a broken frame replays as it came. A capture is written as a series of gzip
/// members, one per flush, so a capture cut off by a crash is readable up to its last flush.
/// </summary>
public static class CaptureFormat
{
    public const int Version = 1;

    public static void WriteHeader(Utf8JsonWriter json, CaptureHeader header)
    {
        json.WriteStartObject();
        json.WriteNumber("capture"u8, Version);
        json.WriteString("source"u8, header.Source);
        json.WriteString("started"u8, header.StartedAt.UtcDateTime.ToString("O"));
        json.WriteStartArray("instruments"u8);
        foreach (var i in header.Instruments.All)
        {
            json.WriteStartObject();
            json.WriteString("market"u8, i.Market.Code());
            json.WriteString("symbol"u8, i.Symbol);
            json.WriteString("tick"u8, i.TickSize.ToString(CultureInfo.InvariantCulture));
            json.WriteString("step"u8, i.StepSize.ToString(CultureInfo.InvariantCulture));
            json.WriteString("min_notional"u8, i.MinNotional.ToString(CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteFrame(Utf8JsonWriter json, string partition, in IngestFrame frame)
    {
        json.WriteStartObject();
        json.WriteString("p"u8, partition);
        json.WriteNumber("seq"u8, frame.SequenceNumber);
        json.WriteString("recv"u8, frame.Header.ReceivedAt.UtcDateTime.ToString("O"));
        json.WriteString("market"u8, frame.Header.Market.Code());
        json.WriteString("kind"u8, frame.Header.Kind == FrameKind.Stream ? "stream" : "depth_snapshot");
        if (frame.Header.Symbol is { } symbol) json.WriteString("symbol"u8, symbol);
        var body = frame.Body.Span;
        if (IsOneLineOfJson(body))
        {
            json.WritePropertyName("frame"u8);
            json.WriteRawValue(body, skipInputValidation: true);
        }
        else
        {
            json.WriteBase64String("frame_b64"u8, body);
        }
        json.WriteEndObject();
    }

    private static bool IsOneLineOfJson(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || body.IndexOfAny((byte)'\n', (byte)'\r') >= 0) return false;
        // Whitespace around the value would be lost: "frame" is read back from the value's first byte to its last.
        if (IsJsonWhitespace(body[0]) || IsJsonWhitespace(body[^1])) return false;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read()) return false;
            reader.Skip();
            while (reader.Read()) { }
            return reader.BytesConsumed == body.Length || body[(int)reader.BytesConsumed..].Trim(" \t"u8).IsEmpty;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsJsonWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    /// <exception cref="CaptureFormatException">The line is not a capture header of a known version.</exception>
    public static CaptureHeader ReadHeader(ReadOnlySpan<byte> line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var root = doc.RootElement;
            if (!root.TryGetProperty("capture", out var version) || version.ValueKind != JsonValueKind.Number)
                throw new CaptureFormatException("MKT-CAPTURE-HEADER", "the first line is not a capture header (no \"capture\" version)");
            if (version.GetInt32() != Version)
                throw new CaptureFormatException("MKT-CAPTURE-VERSION", $"capture format {version.GetInt32()} is not supported (this build reads {Version})");
            var instruments = new List<Instrument>();
            foreach (var i in root.GetProperty("instruments").EnumerateArray())
            {
                if (!MarketKinds.TryParse(i.GetProperty("market").GetString(), out var market))
                    throw new CaptureFormatException("MKT-CAPTURE-HEADER", $"unknown market '{i.GetProperty("market").GetString()}'");
                instruments.Add(new Instrument(market, i.GetProperty("symbol").GetString()!,
                    decimal.Parse(i.GetProperty("tick").GetString()!, CultureInfo.InvariantCulture),
                    decimal.Parse(i.GetProperty("step").GetString()!, CultureInfo.InvariantCulture),
                    decimal.Parse(i.GetProperty("min_notional").GetString()!, CultureInfo.InvariantCulture)));
            }
            return new CaptureHeader(root.GetProperty("source").GetString() ?? "",
                DateTimeOffset.Parse(root.GetProperty("started").GetString()!, CultureInfo.InvariantCulture), new InstrumentTable(instruments));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            throw new CaptureFormatException("MKT-CAPTURE-HEADER", $"the capture header is not valid: {e.Message}");
        }
    }

    /// <summary>One frame line; the body is copied out of <paramref name="line"/>.</summary>
    /// <exception cref="CaptureFormatException">The line is not a frame line.</exception>
    public static CapturedFrame ReadFrame(ReadOnlySpan<byte> line, long lineNumber)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Bad(lineNumber, "not a JSON object");
            string? partition = null, symbol = null;
            long? seq = null;
            DateTimeOffset? received = null;
            MarketKind? market = null;
            FrameKind? kind = null;
            byte[]? body = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("p"u8)) { reader.Read(); partition = reader.GetString(); }
                else if (reader.ValueTextEquals("seq"u8)) { reader.Read(); seq = reader.GetInt64(); }
                else if (reader.ValueTextEquals("recv"u8)) { reader.Read(); received = reader.GetDateTimeOffset(); }
                else if (reader.ValueTextEquals("market"u8))
                {
                    reader.Read();
                    market = MarketKinds.TryParse(reader.GetString(), out var m) ? m : throw Bad(lineNumber, $"unknown market '{reader.GetString()}'");
                }
                else if (reader.ValueTextEquals("kind"u8))
                {
                    reader.Read();
                    kind = reader.ValueTextEquals("stream"u8) ? FrameKind.Stream : reader.ValueTextEquals("depth_snapshot"u8) ? FrameKind.DepthSnapshot
                        : throw Bad(lineNumber, $"unknown frame kind '{reader.GetString()}'");
                }
                else if (reader.ValueTextEquals("symbol"u8)) { reader.Read(); symbol = reader.GetString(); }
                else if (reader.ValueTextEquals("frame"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    body = line[start..(int)reader.BytesConsumed].ToArray();
                }
                else if (reader.ValueTextEquals("frame_b64"u8)) { reader.Read(); body = reader.GetBytesFromBase64(); }
                else { reader.Read(); reader.Skip(); }
            }
            if (partition is null || seq is null || received is null || market is null || kind is null || body is null)
                throw Bad(lineNumber, "a field is missing (p, seq, recv, market, kind, and frame or frame_b64 are required)");
            return new CapturedFrame(partition, new IngestFrame(seq.Value, received.Value, new FrameHeader(market.Value, kind.Value, symbol, received.Value), body));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw Bad(lineNumber, e.Message);
        }
    }

    private static CaptureFormatException Bad(long line, string why) => new("MKT-CAPTURE-FRAME", $"line {line}: {why}");
}

/// <summary>What a capture holds besides its frames.</summary>
public sealed record CaptureHeader(string Source, DateTimeOffset StartedAt, InstrumentTable Instruments);

/// <summary>One captured frame and the partition it was published to.</summary>
public readonly record struct CapturedFrame(string Partition, IngestFrame Frame);

/// <summary>A capture that cannot be read; <see cref="Code"/> says why.</summary>
public sealed class CaptureFormatException(string code, string message) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;
}
