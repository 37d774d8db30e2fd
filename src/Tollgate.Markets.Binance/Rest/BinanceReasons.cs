namespace Tollgate.Markets.Binance.Rest;

/// <summary>The reason codes a Binance call fails with. Stable: monitors and tests match on them.</summary>
public static class BinanceReasons
{
    /// <summary>HTTP 418: the IP is banned; no REST call is sent until the Retry-After has passed.</summary>
    public const string Banned = "MKT-BINANCE-BANNED";
    /// <summary>HTTP 429 on every attempt: the retries, each after Retry-After, ran out.</summary>
    public const string RateLimited = "MKT-BINANCE-RATE-LIMITED";
    /// <summary>5xx or a transport failure on every attempt (or, for a request sent once, a failure before it was sent).</summary>
    public const string Unavailable = "MKT-BINANCE-UNAVAILABLE";
    /// <summary>
    /// A request sent once (<see cref="BinanceRestClient.SendSignedOnceAsync"/>) got no usable answer after it was sent:
    /// a timeout, a connection lost after writing, a 5xx or 408, or Binance's -1006/-1007. It may have been executed.
    /// </summary>
    public const string OutcomeUnknown = "MKT-BINANCE-OUTCOME-UNKNOWN";
    /// <summary>Binance refused the request (4xx with an error code), e.g. a bad signature (-1022) or timestamp (-1021).</summary>
    public const string Rejected = "MKT-BINANCE-REJECTED";
    /// <summary>The symbol is not a Binance symbol, or the exchange does not list it (-1121).</summary>
    public const string UnknownSymbol = "MKT-BINANCE-UNKNOWN-SYMBOL";
    /// <summary>The response is not what the documented format says.</summary>
    public const string BadResponse = "MKT-BINANCE-BAD-RESPONSE";
    /// <summary>An argument is outside what the endpoint accepts (e.g. a depth limit).</summary>
    public const string BadRequest = "MKT-BINANCE-BAD-REQUEST";
    /// <summary>The API key or secret is missing from the secret store, or unusable.</summary>
    public const string SecretMissing = "MKT-BINANCE-SECRET-MISSING";
    /// <summary>A stream connection could not be opened or was refused.</summary>
    public const string StreamFailed = "MKT-BINANCE-STREAM-FAILED";
    /// <summary>A stream message was an exchange error (<c>{"error":{...}}</c>).</summary>
    public const string StreamError = "MKT-BINANCE-STREAM-ERROR";
}

/// <summary>
/// A Binance call that failed, with a reason code from <see cref="BinanceReasons"/>. The message never holds a
/// secret: it names endpoints and codes, never keys, signatures or signed query strings.
/// </summary>
public sealed class BinanceException(string reasonCode, string message, int? statusCode = null, int? exchangeCode = null, Exception? inner = null,
    string? exchangeMessage = null)
    : Exception($"{reasonCode}: {message}", inner)
{
    public string ReasonCode { get; } = reasonCode;

    /// <summary>The HTTP status, when there was a response.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>Binance's error code (<c>{"code":-1121,...}</c>), when the body carried one.</summary>
    public int? ExchangeCode { get; } = exchangeCode;

    /// <summary>Binance's error text (<c>{"msg":"Duplicate order sent."}</c>), when the body carried one: some codes (-2010) mean different things by it.</summary>
    public string? ExchangeMessage { get; } = exchangeMessage;
}
