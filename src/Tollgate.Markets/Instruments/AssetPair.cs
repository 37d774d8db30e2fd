namespace Tollgate.Markets.Instruments;

/// <summary>
/// The base and quote assets of a symbol. Binance symbols are the two concatenated (BTCUSDT); the quote is the
/// longest known quote asset the symbol ends with, which is how every symbol Tollgate routes splits.
/// </summary>
public static class AssetPair
{
    private static readonly string[] Quotes = ["FDUSD", "USDT", "USDC", "BUSD", "BTC", "ETH", "BNB"];

    public static string QuoteOf(string symbol) =>
        Quotes.FirstOrDefault(q => symbol.Length > q.Length && symbol.EndsWith(q, StringComparison.Ordinal))
        ?? throw new ArgumentException($"{symbol} does not end with a known quote asset ({string.Join(", ", Quotes)})", nameof(symbol));

    public static string BaseOf(string symbol) => symbol[..^QuoteOf(symbol).Length];
}
