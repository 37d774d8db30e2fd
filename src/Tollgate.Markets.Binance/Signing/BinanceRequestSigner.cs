using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tollgate.Governance.Secrets;
using Tollgate.Markets.Binance.Rest;

namespace Tollgate.Markets.Binance.Signing;

/// <summary>Which secrets sign Binance requests, and the recvWindow sent with them.</summary>
/// <param name="ApiKeySecretName">The name of the API key in the <see cref="ISecretStore"/>.</param>
/// <param name="ApiSecretSecretName">The name of the HMAC secret key in the <see cref="ISecretStore"/>.</param>
/// <param name="RecvWindow">How long after its timestamp Binance accepts the request (at most 60 s).</param>
public sealed record BinanceSigningOptions(
    string ApiKeySecretName = "binance-api-key",
    string ApiSecretSecretName = "binance-api-secret",
    TimeSpan? RecvWindow = null)
{
    public TimeSpan EffectiveRecvWindow { get; } = Validate(RecvWindow ?? TimeSpan.FromSeconds(5));

    private static TimeSpan Validate(TimeSpan window) =>
        window <= TimeSpan.Zero || window > TimeSpan.FromSeconds(60)
            ? throw new ArgumentOutOfRangeException(nameof(RecvWindow), window, "Binance accepts a recvWindow of 1 ms to 60 s.")
            : window;
}

/// <summary>
/// A signed request, ready to send: the query string and body with <c>recvWindow</c>, <c>timestamp</c> and
/// <c>signature</c> in place, and the API key for the <c>X-MBX-APIKEY</c> header. It prints as nothing secret.
/// </summary>
public sealed class SignedRequest(string apiKey, string queryString, string? body)
{
    /// <summary>The value of the <c>X-MBX-APIKEY</c> header.</summary>
    public string ApiKey { get; } = apiKey;

    /// <summary>Without the leading '?'.</summary>
    public string QueryString { get; } = queryString;

    /// <summary>The form-encoded body, or null when the parameters travel in the query string.</summary>
    public string? Body { get; } = body;

    public override string ToString() => "SignedRequest([REDACTED])";
}

/// <summary>
/// Binance SIGNED requests (HMAC-SHA256): the signature is the lower-case hex HMAC, keyed by the secret key, of the
/// total parameters, i.e. the query string followed by the request body with nothing between them. The API key and
/// secret are read from the <see cref="ISecretStore"/> by name, registered with the <see cref="SecretRedactor"/>, and
/// never logged or put into an exception message.
/// </summary>
public sealed class BinanceRequestSigner(ISecretStore secrets, SecretRedactor redactor, BinanceSigningOptions? options = null)
{
    private readonly BinanceSigningOptions options = options ?? new BinanceSigningOptions();
    private readonly SemaphoreSlim loading = new(1, 1);
    private (string Key, byte[] Secret)? credentials;

    public BinanceSigningOptions Options => options;

    /// <summary>The lower-case hex HMAC-SHA256 of <paramref name="payload"/> keyed by <paramref name="secretKey"/> (both UTF-8).</summary>
    public static string Sign(string secretKey, string payload)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        ArgumentNullException.ThrowIfNull(payload);
        return Sign(Encoding.UTF8.GetBytes(secretKey), payload);
    }

    private static string Sign(byte[] secretKey, string payload)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secretKey, Encoding.UTF8.GetBytes(payload), mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// Signs <paramref name="parameters"/> at <paramref name="timestamp"/> (exchange time: local time plus the measured
    /// clock offset). <c>recvWindow</c> and <c>timestamp</c> are appended after the parameters, then <c>signature</c>;
    /// with <paramref name="inBody"/> they all travel in the body (POST), otherwise in the query string.
    /// </summary>
    public async Task<SignedRequest> SignAsync(IEnumerable<KeyValuePair<string, string>> parameters, DateTimeOffset timestamp, bool inBody, CancellationToken cancellationToken)
    {
        var (key, secret) = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var payload = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (payload.Length > 0) payload.Append('&');
            payload.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        if (payload.Length > 0) payload.Append('&');
        payload.Append("recvWindow=").Append(((long)options.EffectiveRecvWindow.TotalMilliseconds).ToString(CultureInfo.InvariantCulture))
            .Append("&timestamp=").Append(timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        var text = payload.ToString();
        var signed = $"{text}&signature={Sign(secret, text)}";
        return inBody ? new SignedRequest(key, "", signed) : new SignedRequest(key, signed, null);
    }

    private async Task<(string Key, byte[] Secret)> LoadAsync(CancellationToken cancellationToken)
    {
        if (credentials is { } loaded) return loaded;
        await loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (credentials is { } again) return again;
            var key = await secrets.GetAsync(options.ApiKeySecretName, "sign Binance requests (API key)", cancellationToken).ConfigureAwait(false);
            var secret = await secrets.GetAsync(options.ApiSecretSecretName, "sign Binance requests (HMAC secret)", cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret))
                throw new BinanceException(BinanceReasons.SecretMissing,
                    $"the secret store has no value for '{(string.IsNullOrEmpty(key) ? options.ApiKeySecretName : options.ApiSecretSecretName)}'.");
            Register(key, options.ApiKeySecretName);
            Register(secret, options.ApiSecretSecretName);
            credentials = (key, Encoding.UTF8.GetBytes(secret));
            return credentials.Value;
        }
        finally
        {
            loading.Release();
        }
    }

    // The store registers what it returns; registering again is harmless (the redactor keeps distinct values) and
    // covers a store that did not.
    private void Register(string value, string name)
    {
        try
        {
            redactor.Register(value);
        }
        catch (ArgumentException)
        {
            throw new BinanceException(BinanceReasons.SecretMissing,
                $"the value of '{name}' is shorter than {SecretRedactor.MinimumLength} characters; Binance keys are 64.");
        }
    }
}
