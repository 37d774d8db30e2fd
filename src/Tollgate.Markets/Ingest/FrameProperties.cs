using System.Globalization;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Ingest;

/// <summary>
/// A <see cref="FrameHeader"/> as stream event properties (Event Hubs application properties are strings):
/// <c>market</c> SPOT|FUT, <c>kind</c> stream|depth_snapshot, <c>symbol</c> (snapshots), <c>recv</c> (ISO 8601 UTC).
/// </summary>
public static class FrameProperties
{
    public const string Market = "market", Kind = "kind", Symbol = "symbol", ReceivedAt = "recv";

    public static Dictionary<string, string> From(in FrameHeader header)
    {
        var properties = new Dictionary<string, string>(4, StringComparer.Ordinal)
        {
            [Market] = header.Market.Code(),
            [Kind] = header.Kind == FrameKind.Stream ? "stream" : "depth_snapshot",
            [ReceivedAt] = header.ReceivedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        };
        if (header.Symbol is { } symbol) properties[Symbol] = symbol;
        return properties;
    }

    /// <summary>The header the properties describe; false when one is missing or malformed (<see cref="FrameFault.Header"/>).</summary>
    public static bool TryParse(IReadOnlyDictionary<string, string> properties, out FrameHeader header)
    {
        header = default;
        if (!properties.TryGetValue(Market, out var marketText) || !MarketKinds.TryParse(marketText, out var market)) return false;
        if (!properties.TryGetValue(Kind, out var kindText)) return false;
        FrameKind kind;
        if (kindText == "stream") kind = FrameKind.Stream;
        else if (kindText == "depth_snapshot") kind = FrameKind.DepthSnapshot;
        else return false;
        if (!properties.TryGetValue(ReceivedAt, out var receivedText)
            || !DateTimeOffset.TryParse(receivedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var received))
            return false;
        properties.TryGetValue(Symbol, out var symbol);
        if (kind == FrameKind.DepthSnapshot && string.IsNullOrEmpty(symbol)) return false;
        header = new FrameHeader(market, kind, symbol, received);
        return true;
    }
}
