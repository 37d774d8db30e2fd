namespace Tollgate.Markets.Paper;

/// <summary>The base and quote asset of a symbol (BNBBTC → BNB, BTC).</summary>
internal readonly record struct AssetPair(string Base, string Quote)
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
}
