using System.Globalization;
using System.Text.Json;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Binance.Rest;

/// <summary>
/// Reads exchangeInfo into instruments. Decimals are parsed from Binance's strings with <see cref="decimal"/>, never
/// through double, so a tick of <c>0.00000001</c> is exact.
/// </summary>
internal static class ExchangeInfoParser
{
    private const NumberStyles DecimalStyle = NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public static BinanceExchangeInfo Parse(MarketKind market, JsonElement root)
    {
        var endpoint = $"{market.Code()} exchangeInfo";
        var serverTime = BinanceRestClient.FromMs(BinanceRestClient.RequireLong(root, "serverTime", endpoint));
        var limits = new List<BinanceRateLimit>();
        if (root.TryGetProperty("rateLimits", out var rateLimits))
        {
            if (rateLimits.ValueKind != JsonValueKind.Array) throw Bad(endpoint, "'rateLimits' is not an array.");
            foreach (var limit in rateLimits.EnumerateArray())
                limits.Add(new BinanceRateLimit(
                    RequireString(limit, "rateLimitType", endpoint), RequireString(limit, "interval", endpoint),
                    (int)BinanceRestClient.RequireLong(limit, "intervalNum", endpoint), (int)BinanceRestClient.RequireLong(limit, "limit", endpoint)));
        }
        if (!root.TryGetProperty("symbols", out var symbols) || symbols.ValueKind != JsonValueKind.Array)
            throw Bad(endpoint, "'symbols' is missing or not an array.");
        var list = new List<BinanceSymbolInfo>();
        foreach (var symbol in symbols.EnumerateArray())
            list.Add(ParseSymbol(market, symbol, endpoint));
        return new BinanceExchangeInfo(market, serverTime, limits, list);
    }

    private static BinanceSymbolInfo ParseSymbol(MarketKind market, JsonElement symbol, string endpoint)
    {
        if (symbol.ValueKind != JsonValueKind.Object) throw Bad(endpoint, "a symbol entry is not an object.");
        var name = RequireString(symbol, "symbol", endpoint);
        var where = $"{endpoint} {name}";
        if (!symbol.TryGetProperty("filters", out var filters) || filters.ValueKind != JsonValueKind.Array)
            throw Bad(where, "'filters' is missing or not an array.");
        decimal tick = 0, step = 0, minNotional = 0;
        foreach (var filter in filters.EnumerateArray())
        {
            switch (RequireString(filter, "filterType", where))
            {
                case "PRICE_FILTER": tick = RequireDecimal(filter, "tickSize", where); break;
                case "LOT_SIZE": step = RequireDecimal(filter, "stepSize", where); break;
                // Futures spell the minimum notional 'notional'; spot's legacy MIN_NOTIONAL and its NOTIONAL say 'minNotional'.
                case "MIN_NOTIONAL":
                    minNotional = market == MarketKind.Futures && filter.TryGetProperty("notional", out _)
                        ? RequireDecimal(filter, "notional", where)
                        : RequireDecimal(filter, "minNotional", where);
                    break;
                case "NOTIONAL": minNotional = RequireDecimal(filter, "minNotional", where); break;
            }
        }
        Instrument instrument;
        try
        {
            instrument = new Instrument(market, name, tick, step, minNotional);
        }
        catch (ArgumentException e)
        {
            throw Bad(where, e.Message);
        }
        return new BinanceSymbolInfo(instrument,
            OptionalString(symbol, market == MarketKind.Futures && symbol.TryGetProperty("contractStatus", out _) ? "contractStatus" : "status") ?? "",
            OptionalString(symbol, "baseAsset") ?? "", OptionalString(symbol, "quoteAsset") ?? "",
            market == MarketKind.Futures ? OptionalString(symbol, "contractType") : null);
    }

    private static string RequireString(JsonElement element, string property, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Bad(where, $"'{property}' is missing or not a string.");

    private static string? OptionalString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static decimal RequireDecimal(JsonElement element, string property, string where)
    {
        var text = RequireString(element, property, where);
        return decimal.TryParse(text, DecimalStyle, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad(where, $"'{property}' is not a decimal ('{(text.Length > 30 ? text[..30] : text)}').");
    }

    private static BinanceException Bad(string where, string what) => new(BinanceReasons.BadResponse, $"{where}: {what}");
}
