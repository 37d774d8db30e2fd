using System.Globalization;
using System.Text;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Tests.Support;

/// <summary>
/// Binance JSON frames built from values, in the shapes of the documented payloads (field names and types as
/// Binance sends them: prices and quantities as strings, ids and times as numbers). Stream frames come wrapped in
/// the combined-stream envelope.
/// </summary>
public static class Frames
{
    public static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    public static string Envelope(string stream, string data) => $"{{\"stream\":\"{stream}\",\"data\":{data}}}";

    public static string StreamName(Instrument instrument, string stream) => $"{instrument.Symbol.ToLowerInvariant()}@{stream}";

    public static string BookTicker(Instrument instrument, long updateId, decimal bid, decimal bidQty, decimal ask, decimal askQty, DateTimeOffset? eventTime = null)
    {
        var data = new StringBuilder("{");
        if (instrument.Market == MarketKind.Futures)
        {
            var e = Ms(eventTime ?? DefaultTime);
            data.Append($"\"e\":\"bookTicker\",\"u\":{updateId},\"E\":{e},\"T\":{e - 2},");
        }
        else
        {
            data.Append($"\"u\":{updateId},");
        }
        data.Append($"\"s\":\"{instrument.Symbol}\",\"b\":\"{D(bid)}\",\"B\":\"{D(bidQty)}\",\"a\":\"{D(ask)}\",\"A\":\"{D(askQty)}\"}}");
        return Envelope(StreamName(instrument, "bookTicker"), data.ToString());
    }

    public static string DepthUpdate(Instrument instrument, long first, long final, long? previousFinal,
        IEnumerable<(decimal Price, decimal Qty)> bids, IEnumerable<(decimal Price, decimal Qty)> asks, DateTimeOffset? eventTime = null)
    {
        var e = Ms(eventTime ?? DefaultTime);
        var data = new StringBuilder($"{{\"e\":\"depthUpdate\",\"E\":{e},");
        if (instrument.Market == MarketKind.Futures) data.Append($"\"T\":{e - 1},");
        data.Append($"\"s\":\"{instrument.Symbol}\",\"U\":{first},\"u\":{final},");
        if (previousFinal is { } pu) data.Append($"\"pu\":{pu},");
        data.Append($"\"b\":{Levels(bids)},\"a\":{Levels(asks)}}}");
        return Envelope(StreamName(instrument, "depth@100ms"), data.ToString());
    }

    public static string AggTrade(Instrument instrument, long aggregateId, decimal price, decimal qty, long firstTrade, long lastTrade,
        DateTimeOffset tradeTime, bool buyerIsMaker = false, DateTimeOffset? eventTime = null)
    {
        var data = $"{{\"e\":\"aggTrade\",\"E\":{Ms(eventTime ?? tradeTime)},\"s\":\"{instrument.Symbol}\",\"a\":{aggregateId},\"p\":\"{D(price)}\",\"q\":\"{D(qty)}\","
            + $"\"f\":{firstTrade},\"l\":{lastTrade},\"T\":{Ms(tradeTime)},\"m\":{(buyerIsMaker ? "true" : "false")}"
            + (instrument.Market == MarketKind.Spot ? ",\"M\":true}" : "}");
        return Envelope(StreamName(instrument, "aggTrade"), data);
    }

    public static string MarkPrice(Instrument instrument, decimal mark, decimal index, decimal settle, decimal funding, DateTimeOffset nextFunding, DateTimeOffset eventTime)
        => Envelope(StreamName(instrument, "markPrice@1s"),
            $"{{\"e\":\"markPriceUpdate\",\"E\":{Ms(eventTime)},\"s\":\"{instrument.Symbol}\",\"p\":\"{D(mark)}\",\"i\":\"{D(index)}\",\"P\":\"{D(settle)}\",\"r\":\"{D(funding)}\",\"T\":{Ms(nextFunding)}}}");

    /// <summary>A REST depth body (<c>GET /api/v3/depth</c>, or <c>/fapi/v1/depth</c> with <paramref name="futures"/>).</summary>
    public static string Snapshot(long lastUpdateId, IEnumerable<(decimal Price, decimal Qty)> bids, IEnumerable<(decimal Price, decimal Qty)> asks, bool futures = false)
        => futures
            ? $"{{\"lastUpdateId\":{lastUpdateId},\"E\":1589436922972,\"T\":1589436922959,\"bids\":{Levels(bids)},\"asks\":{Levels(asks)}}}"
            : $"{{\"lastUpdateId\":{lastUpdateId},\"bids\":{Levels(bids)},\"asks\":{Levels(asks)}}}";

    public static string Levels(IEnumerable<(decimal Price, decimal Qty)> levels)
        => "[" + string.Join(",", levels.Select(l => $"[\"{D(l.Price)}\",\"{D(l.Qty)}\"]")) + "]";

    public static (decimal, decimal)[] L(params (decimal, decimal)[] levels) => levels;

    public static readonly (decimal, decimal)[] None = [];

    /// <summary>An exchange time the builders use when a test does not care: 2026-01-05 12:00 UTC.</summary>
    public static readonly DateTimeOffset DefaultTime = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);
}
