using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Tollgate.Markets.Orders;

/// <summary>
/// The client order id an intent is sent with: derived from the intent id alone, so every delivery and every retry
/// of one intent carries the same id and the exchange itself refuses a second order (-2010 / -4116 "duplicate").
/// <c>tg-</c> and the first 32 hex digits of SHA-256(intent id): 35 characters, within Binance's
/// <c>^[.A-Z:/a-z0-9_-]{1,36}$</c> whatever the intent id contains.
/// </summary>
public static partial class ClientOrderId
{
    public const string Prefix = "tg-";

    public static string For(string intentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(intentId);
        return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(intentId)))[..32];
    }

    /// <summary>Binance's rule for <c>newClientOrderId</c>.</summary>
    public static bool IsValid(string clientOrderId) => BinancePattern().IsMatch(clientOrderId);

    [GeneratedRegex("^[.A-Z:/a-z0-9_-]{1,36}$")]
    private static partial Regex BinancePattern();
}
