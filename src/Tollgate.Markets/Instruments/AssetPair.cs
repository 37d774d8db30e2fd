namespace Tollgate.Markets.Instruments;

/// <summary>
/// The base and quote assets of a symbol (BNBBTC → BNB, BTC). Binance symbols are the two concatenated; the quote is
/// the longest known quote asset the symbol ends with, which is how every symbol Tollgate routes splits.
/// </summary>
public readonly record struct AssetPair(string Base, string Quote)
{
    // Longest first, so a symbol is split at the quote asset that actually names it.
    private static readonly string[] QuoteAssets = ["FDUSD", "USDT", "USDC", "BUSD", "BTC", "ETH", "BNB"];

    public static bool TryParse(string symbol, out AssetPair pair)
    {
        foreach (var quote in QuoteAssets)
        {
            if (symbol.Length > quote.Length && symbol.EndsWith(quote, StringComparison.Ordinal))
            {
                pair = new AssetPair(symbol[..^quote.Length], quote);
                return true;
            }
        }
        pair = default;
        return false;
    }

    /// <exception cref="ArgumentException">The symbol ends with no known quote asset.</exception>
    public static AssetPair Of(string symbol) => TryParse(symbol, out var pair) ? pair
        : throw new ArgumentException($"{symbol} does not end with a known quote asset ({string.Join(", ", QuoteAssets)})", nameof(symbol));
}
