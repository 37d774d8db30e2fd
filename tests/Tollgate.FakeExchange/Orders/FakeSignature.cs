using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Tollgate.FakeExchange;

/// <summary>
/// Binance's SIGNED check, as the real endpoints do it: the API key in <c>X-MBX-APIKEY</c>, the HMAC-SHA256 (keyed by
/// the secret) of the total params (the query string followed by the body, nothing between them, without the
/// signature itself), and a <c>timestamp</c> within <c>recvWindow</c> of the server's clock.
/// </summary>
internal static class FakeSignature
{
    /// <summary>The request body, read before the handler runs (form-encoded for POST; empty for GET and DELETE).</summary>
    public static async Task<string> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength is 0 || HttpMethods.IsGet(context.Request.Method)) return "";
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The request's parameters when the signature holds; otherwise Binance's error for what is wrong.</summary>
    public static FakeReply? Verify(HttpContext context, string body, FakeExchangeOptions options, out Dictionary<string, string> parameters)
    {
        parameters = [];
        var key = context.Request.Headers["X-MBX-APIKEY"].FirstOrDefault();
        if (string.IsNullOrEmpty(key)) return new(401, FakeOrderJson.Error(-2014, "API-key format invalid."));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(options.ApiKey)))
            return new(401, FakeOrderJson.Error(-2015, "Invalid API-key, IP, or permissions for action."));

        var query = (context.Request.QueryString.Value ?? "").TrimStart('?');
        // The client puts the signature last, in whichever part carries the parameters.
        var inBody = body.Length > 0;
        var signedPart = inBody ? body : query;
        var at = signedPart.LastIndexOf("signature=", StringComparison.Ordinal);
        if (at < 0 || (at > 0 && signedPart[at - 1] != '&'))
            return new(400, FakeOrderJson.Error(-1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed."));
        var signature = signedPart[(at + "signature=".Length)..];
        var unsigned = signedPart[..Math.Max(0, at - 1)];
        var payload = inBody ? query + unsigned : unsigned;
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.ApiSecret), Encoding.UTF8.GetBytes(payload)));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant())))
            return new(400, FakeOrderJson.Error(-1022, "Signature for this request is not valid."));

        foreach (var part in (inBody ? new[] { query, unsigned } : [unsigned]))
            foreach (var pair in part.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=', 2);
                if (kv.Length != 2) continue;
                if (!parameters.TryAdd(Uri.UnescapeDataString(kv[0]), Uri.UnescapeDataString(kv[1].Replace('+', ' '))))
                    return new(400, FakeOrderJson.Error(-1101, "Duplicate values for a parameter detected."));
            }
        if (!parameters.TryGetValue("timestamp", out var ts) || !long.TryParse(ts, out var timestamp))
            return new(400, FakeOrderJson.Error(-1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed."));
        var window = parameters.TryGetValue("recvWindow", out var rw) && long.TryParse(rw, out var w) ? w : 5000;
        if (window > 60000) return new(400, FakeOrderJson.Error(-1131, "recvWindow must be less than 60000"));
        var serverTime = options.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (timestamp >= serverTime + 1000 || serverTime - timestamp > window)
            return new(400, FakeOrderJson.Error(-1021, "Timestamp for this request is outside of the recvWindow."));
        return null;
    }
}
