extern alias fake;

using System.Security.Cryptography;
using fake::Tollgate.FakeExchange;

namespace Tollgate.Crash.Tests;

/// <summary>
/// What makes a host process a Paper host (as scripts/run-local.sh starts one): the market plane on the loopback fake
/// exchange's three instruments, the order path on Paper, and the release signing key in its secret store.
/// </summary>
internal static class PaperHost
{
    public const string Instruments = "SPOT:BTCUSDT,SPOT:ETHUSDT,FUT:BTCUSDT";

    /// <summary>The fake Binance, in this process, so it outlives every host killed under it.</summary>
    public static Task<FakeExchange> StartExchangeAsync(int seed) => FakeExchange.StartAsync(new FakeExchangeOptions
    {
        Symbols = ["BTCUSDT", "ETHUSDT"],
        Seed = seed,
        TickInterval = TimeSpan.FromMilliseconds(50),
    });

    /// <summary>The settings of a Paper host on <paramref name="exchange"/>; every host of one test gets the same (one release key).</summary>
    public static Dictionary<string, string> Environment(FakeExchange exchange, string releaseSigningKey) => new()
    {
        ["Tollgate__Markets__Instruments"] = Instruments,
        ["Tollgate__Markets__SpotRestUrl"] = exchange.SpotRestUri.ToString(),
        ["Tollgate__Markets__FuturesRestUrl"] = exchange.FuturesRestUri.ToString(),
        ["Tollgate__Markets__SpotStreamUrl"] = exchange.SpotStreamUri.ToString(),
        ["Tollgate__Markets__FuturesStreamUrl"] = exchange.FuturesStreamUri.ToString(),
        ["Tollgate__Execution__Environment"] = "Paper",
        ["release-signing-key"] = releaseSigningKey,
    };

    /// <summary>A fresh ECDSA P-256 release key as the secret holds it: base64 of its PKCS#8 DER (as run-local.sh makes one with openssl).</summary>
    public static string NewReleaseSigningKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
    }
}
