using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Tollgate.Governance.Secrets;
using Tollgate.Markets.Binance.Signing;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Quality;

namespace Tollgate.Markets.Binance.Rest;

/// <summary>
/// Tollgate's Binance REST client for spot (<c>/api/v3</c>) and USDⓈ-M futures (<c>/fapi/v1</c>): server time and
/// clock offset, exchangeInfo as <see cref="Instrument"/>s, raw depth snapshots, and signed requests.
/// </summary>
/// <remarks>
/// Every call is paced by request weight: the client counts what it sent in the exchange's current minute, takes the
/// exchange's own count from <c>X-MBX-USED-WEIGHT-1M</c>, and waits for the minute to roll over rather than send a
/// request that would exceed the limit exchangeInfo gave. A 429 is retried after its Retry-After (and holds back every
/// other call of the market meanwhile); a 418 stops all REST calls of the market until its Retry-After has passed and
/// fails with <see cref="BinanceReasons.Banned"/>; 5xx and transport failures are retried with exponential backoff.
/// Retries run through a Polly pipeline on the injected <see cref="TimeProvider"/>. <see cref="SendSignedOnceAsync"/>
/// is the exception: what changes state is sent once and never retried.
/// </remarks>
public sealed class BinanceRestClient
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 16 };

    private readonly HttpClient http;
    private readonly IConnectorObserver observer;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly BinanceRestOptions options;
    private readonly BinanceRequestSigner? signer;
    private readonly SecretRedactor? redactor;
    private readonly RestMarketState[] states;
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;

    public BinanceRestClient(HttpClient http, BinanceEndpoints endpoints, IConnectorObserver observer, TimeProvider? clock = null,
        ILogger? logger = null, BinanceRestOptions? options = null, BinanceRequestSigner? signer = null, SecretRedactor? redactor = null)
    {
        this.http = http ?? throw new ArgumentNullException(nameof(http));
        Endpoints = endpoints ?? throw new ArgumentNullException(nameof(endpoints));
        this.observer = observer ?? throw new ArgumentNullException(nameof(observer));
        this.clock = clock ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        this.options = options ?? new BinanceRestOptions();
        this.signer = signer;
        this.redactor = redactor;
        states = [new RestMarketState(MarketKind.Spot, this.options.SpotWeightLimit), new RestMarketState(MarketKind.Futures, this.options.FuturesWeightLimit)];
        pipeline = BuildPipeline();
    }

    public BinanceEndpoints Endpoints { get; }

    /// <summary>The last measured exchange-minus-local clock offset of <paramref name="market"/>.</summary>
    public TimeSpan ClockOffset(MarketKind market) => State(market).ClockOffset;

    /// <summary>The request weight this client believes is used in the exchange's current minute.</summary>
    public int UsedWeight(MarketKind market) => State(market).Used;

    /// <summary>The per-minute request weight limit in force (exchangeInfo's, once read).</summary>
    public int WeightLimit(MarketKind market) => State(market).WeightLimit;

    /// <summary>Until when REST calls of <paramref name="market"/> are stopped after a 418; <see cref="DateTimeOffset.MinValue"/> when not banned.</summary>
    public DateTimeOffset BannedUntil(MarketKind market) => State(market).BannedUntil;

    /// <summary>Local time plus the measured offset: what the exchange's clock reads now.</summary>
    public DateTimeOffset ExchangeNow(MarketKind market) => clock.GetUtcNow() + State(market).ClockOffset;

    /// <summary><c>GET /api/v3/time</c> or <c>/fapi/v1/time</c>; also updates the clock offset signed requests use.</summary>
    public async Task<BinanceServerTime> GetServerTimeAsync(MarketKind market, CancellationToken cancellationToken)
    {
        var response = await SendAsync(market, Path(market, "time"), weight: 1, signed: null, cancellationToken).ConfigureAwait(false);
        var serverTime = Parse(response.Body, market, "time", root => FromMs(RequireLong(root, "serverTime", "time")));
        var roundTrip = response.ReceivedAt - response.SentAt;
        var offset = serverTime - (response.SentAt + roundTrip / 2);
        State(market).ClockOffset = offset;
        return new BinanceServerTime(serverTime, roundTrip, offset);
    }

    /// <summary>
    /// <c>GET exchangeInfo</c>: every symbol as an <see cref="Instrument"/> with its PRICE_FILTER tick size, LOT_SIZE step
    /// size and minimum notional (spot NOTIONAL or MIN_NOTIONAL <c>minNotional</c>; futures MIN_NOTIONAL <c>notional</c>);
    /// a filter that is absent leaves the value 0 (unknown). The REQUEST_WEIGHT limit it lists becomes the pacing limit.
    /// </summary>
    public async Task<BinanceExchangeInfo> GetExchangeInfoAsync(MarketKind market, CancellationToken cancellationToken)
    {
        var response = await SendAsync(market, Path(market, "exchangeInfo"), weight: market == MarketKind.Spot ? 20 : 1, signed: null, cancellationToken).ConfigureAwait(false);
        var info = Parse(response.Body, market, "exchangeInfo", root => ExchangeInfoParser.Parse(market, root));
        foreach (var limit in info.RateLimits)
            if (limit is { Type: "REQUEST_WEIGHT", Interval: "MINUTE", IntervalNum: 1 })
            {
                // The response's weight header was reported against the old limit; report it again against the new one.
                State(market).SetLimit(limit.Limit);
                observer.OnWeightUsed(market, "1m", State(market).Used, limit.Limit);
            }
        return info;
    }

    /// <summary>
    /// <c>GET depth</c> for <paramref name="symbol"/>: the response body exactly as received (the ingest side parses it as a
    /// <c>FrameKind.DepthSnapshot</c> frame). Checked only for being a JSON object with a <c>lastUpdateId</c>.
    /// </summary>
    /// <param name="limit">Spot 1-5000 (default 1000); futures 5, 10, 20, 50, 100, 500 or 1000.</param>
    public async Task<byte[]> GetDepthSnapshotAsync(MarketKind market, string symbol, int limit, CancellationToken cancellationToken)
    {
        RequireSymbol(symbol);
        var weight = DepthWeight(market, limit);
        var path = $"{Path(market, "depth")}?symbol={symbol.ToUpperInvariant()}&limit={limit.ToString(CultureInfo.InvariantCulture)}";
        var response = await SendAsync(market, path, weight, signed: null, cancellationToken).ConfigureAwait(false);
        Parse(response.Body, market, "depth", root => RequireLong(root, "lastUpdateId", "depth"));
        return response.Body;
    }

    /// <summary>
    /// A SIGNED request (TRADE / USER_DATA): <paramref name="parameters"/> plus recvWindow, timestamp (exchange time)
    /// and signature, the API key in <c>X-MBX-APIKEY</c>. Signed afresh on every attempt. Returns the response body.
    /// </summary>
    public async Task<byte[]> SendSignedAsync(MarketKind market, HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>> parameters,
        int weight, CancellationToken cancellationToken)
    {
        if (signer is null) throw new InvalidOperationException("This client was built without a BinanceRequestSigner; signed requests need one.");
        if (!path.StartsWith('/') || path.Contains('?')) throw new ArgumentException("The path starts with '/' and carries no query; pass parameters separately.", nameof(path));
        var list = parameters.ToList();
        var response = await SendAsync(market, path, weight, new SignedCall(method, list), cancellationToken).ConfigureAwait(false);
        return response.Body;
    }

    /// <summary>
    /// A SIGNED request sent at most once: no retry on 5xx, 429 or a transport failure, because a request that changes
    /// state (placing an order) may have been executed even when no answer came back, and a second one would be a
    /// second order. Pacing, the 429 backoff and the 418 stop apply as for every call (they act before sending).
    /// </summary>
    /// <exception cref="BinanceException">
    /// <see cref="BinanceReasons.OutcomeUnknown"/> when it was sent and no usable answer came (timeout, connection lost
    /// after writing, 5xx, 408, -1006/-1007): it may have been executed. <see cref="BinanceReasons.Unavailable"/> when it
    /// could not be sent (no connection); <see cref="BinanceReasons.RateLimited"/> / <see cref="BinanceReasons.Banned"/>
    /// for 429 / 418, which Binance documents as not processed; <see cref="BinanceReasons.Rejected"/> for other 4xx.
    /// </exception>
    public async Task<byte[]> SendSignedOnceAsync(MarketKind market, HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>> parameters,
        int weight, CancellationToken cancellationToken)
    {
        if (signer is null) throw new InvalidOperationException("This client was built without a BinanceRequestSigner; signed requests need one.");
        if (!path.StartsWith('/') || path.Contains('?')) throw new ArgumentException("The path starts with '/' and carries no query; pass parameters separately.", nameof(path));
        var response = await SendAsync(market, path, weight, new SignedCall(method, parameters.ToList()), cancellationToken, once: true).ConfigureAwait(false);
        return response.Body;
    }

    /// <summary>A signed <c>GET /api/v3/account</c> (spot, weight 20): the account's balances as Binance returns them.</summary>
    public Task<byte[]> GetAccountAsync(CancellationToken cancellationToken) =>
        SendSignedAsync(MarketKind.Spot, HttpMethod.Get, "/api/v3/account", [new("omitZeroBalances", "true")], weight: 20, cancellationToken);

    internal static int DepthWeight(MarketKind market, int limit)
    {
        if (market == MarketKind.Spot)
            return limit switch
            {
                >= 1 and <= 100 => 5,
                <= 500 and > 100 => 25,
                <= 1000 and > 500 => 50,
                <= 5000 and > 1000 => 250,
                _ => throw new BinanceException(BinanceReasons.BadRequest, $"spot depth limit {limit} is outside 1-5000."),
            };
        return limit switch
        {
            5 or 10 or 20 or 50 => 2,
            100 => 5,
            500 => 10,
            1000 => 20,
            _ => throw new BinanceException(BinanceReasons.BadRequest, $"futures depth limit {limit} is not one of 5, 10, 20, 50, 100, 500, 1000."),
        };
    }

    private static void RequireSymbol(string symbol)
    {
        if (string.IsNullOrEmpty(symbol) || symbol.Length > 20 || !symbol.All(char.IsAsciiLetterOrDigit))
            throw new BinanceException(BinanceReasons.UnknownSymbol, $"'{Printable(symbol)}' is not a Binance symbol (1-20 ASCII letters and digits).");
    }

    private static string Printable(string? text) =>
        text is null ? "" : new string([.. text.Take(24).Select(c => char.IsControl(c) ? '?' : c)]);

    private static string Path(MarketKind market, string endpoint) => market == MarketKind.Spot ? $"/api/v3/{endpoint}" : $"/fapi/v1/{endpoint}";

    private RestMarketState State(MarketKind market) => states[(int)market];

    private sealed record SignedCall(HttpMethod Method, IReadOnlyList<KeyValuePair<string, string>> Parameters);

    private readonly record struct RestResponse(byte[] Body, DateTimeOffset SentAt, DateTimeOffset ReceivedAt);

    private sealed class AttemptContext(MarketKind market, string path, int weight, SignedCall? signed, bool once)
    {
        /// <summary>Sent at most once (<see cref="SendSignedOnceAsync"/>): the retry strategy never handles it.</summary>
        public bool Once { get; } = once;
        public MarketKind Market { get; } = market;
        public string Path { get; } = path;
        public int Weight { get; } = weight;
        public SignedCall? Signed { get; } = signed;
        public DateTimeOffset SentAt { get; set; }
        public DateTimeOffset ReceivedAt { get; set; }
        public Exception? LastFailure { get; set; }
    }

    private static readonly ResiliencePropertyKey<AttemptContext> AttemptKey = new("tollgate.binance.attempt");

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline() =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, options.ValidatedMaxRetryAttempts),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.EffectiveRetryBaseDelay,
                MaxDelay = options.EffectiveRetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(options.ValidatedMaxRetryAttempts > 0
                    && !(args.Context.Properties.TryGetValue(AttemptKey, out var sent) && sent.Once) && args.Outcome switch
                {
                    { Result: { } response } => response.StatusCode == HttpStatusCode.TooManyRequests && RetryAfter(response) <= options.EffectiveRetryMaxDelay
                                                || (int)response.StatusCode >= 500,
                    { Exception: HttpRequestException } => true,
                    { Exception: TaskCanceledException } => !args.Context.CancellationToken.IsCancellationRequested,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited ? RetryAfter(limited) : null),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(AttemptKey, out var attempt))
                        logger.LogWarning("Binance {Market} {Path}: attempt {Attempt} failed ({Outcome}); retrying in {Delay}.",
                            attempt.Market, attempt.Path, args.AttemptNumber + 1,
                            args.Outcome.Result is { } r ? ((int)r.StatusCode).ToString(CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name,
                            args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } header)
        {
            if (header.Delta is { } delta) return delta;
            if (header.Date is { } date) return date - clock.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        }
        return options.EffectiveDefaultRetryAfter;
    }

    private async Task<RestResponse> SendAsync(MarketKind market, string path, int weight, SignedCall? signed, CancellationToken cancellationToken, bool once = false)
    {
        var attempt = new AttemptContext(market, path, weight, signed, once);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(AttemptKey, attempt);
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(static (ctx, self) => self.AttemptAsync(ctx), context, this).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (once && !NotSent(e.HttpRequestError))
        {
            throw new BinanceException(BinanceReasons.OutcomeUnknown, $"{market.Code()} {PathOnly(path)}: the connection failed after sending ({e.HttpRequestError}); not sent again.");
        }
        catch (HttpRequestException e)
        {
            throw new BinanceException(BinanceReasons.Unavailable, $"{market.Code()} {PathOnly(path)}: {Clean(e.Message)}", inner: null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw once
                ? new BinanceException(BinanceReasons.OutcomeUnknown, $"{market.Code()} {PathOnly(path)}: timed out waiting for the answer; not sent again.")
                : new BinanceException(BinanceReasons.Unavailable, $"{market.Code()} {PathOnly(path)}: timed out.");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            byte[] body;
            try
            {
                body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The headers came, the body did not: for a request sent once, whatever it did is done and unknown.
                throw new BinanceException(once ? BinanceReasons.OutcomeUnknown : BinanceReasons.Unavailable,
                    $"{market.Code()} {PathOnly(path)}: HTTP {status}, the connection failed while reading the answer.", status);
            }
            if (response.IsSuccessStatusCode) return new RestResponse(body, attempt.SentAt, attempt.ReceivedAt);
            var retryAfter = RetryAfter(response);
            var (code, text) = ErrorOf(body);
            var msg = Clean(text);
            var what = $"{market.Code()} {PathOnly(path)}";
            if (once && (status >= 500 || status == 408 || code is -1006 or -1007))
                throw new BinanceException(BinanceReasons.OutcomeUnknown,
                    $"{what}: HTTP {status}, Binance code {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}: {msg}; the outcome is unknown, not sent again.", status, code, exchangeMessage: msg);
            var tries = once ? "(sent once, not retried)" : $"after {options.ValidatedMaxRetryAttempts} retries";
            throw status switch
            {
                418 => new BinanceException(BinanceReasons.Banned, $"{what}: the IP is banned (418); REST calls stop until {State(market).BannedUntil:O} (Retry-After {retryAfter}).", status, code),
                429 => new BinanceException(BinanceReasons.RateLimited, $"{what}: rate-limited (429) {tries}; Retry-After {retryAfter}.", status, code, exchangeMessage: msg),
                >= 500 => new BinanceException(BinanceReasons.Unavailable, $"{what}: HTTP {status} {tries}.", status, code, exchangeMessage: msg),
                _ when code == -1121 => new BinanceException(BinanceReasons.UnknownSymbol, $"{what}: Binance does not list the symbol ({code}: {msg}).", status, code, exchangeMessage: msg),
                _ => new BinanceException(BinanceReasons.Rejected, $"{what}: HTTP {status}, Binance code {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}: {msg}", status, code, exchangeMessage: msg),
            };
        }
    }

    private async ValueTask<HttpResponseMessage> AttemptAsync(ResilienceContext context)
    {
        var attempt = context.Properties.GetValue(AttemptKey, null!);
        var state = State(attempt.Market);
        var ct = context.CancellationToken;

        var now = clock.GetUtcNow();
        if (now < state.BannedUntil)
            throw new BinanceException(BinanceReasons.Banned,
                $"{attempt.Market.Code()} {PathOnly(attempt.Path)}: not sent; REST calls are stopped until {state.BannedUntil:O} after a 418.", 418);
        if (now < state.BackoffUntil)
            await Task.Delay(state.BackoffUntil - now, clock, ct).ConfigureAwait(false);
        while (state.TryReserve(attempt.Weight, ExchangeNow(attempt.Market)) is var wait && wait > TimeSpan.Zero)
        {
            logger.LogInformation("Binance {Market}: request weight {Used}+{Weight} would exceed {Limit}; waiting {Wait} for the minute to roll over.",
                attempt.Market, state.Used, attempt.Weight, state.WeightLimit, wait);
            await Task.Delay(wait, clock, ct).ConfigureAwait(false);
        }

        using var request = await BuildRequestAsync(attempt, ct).ConfigureAwait(false);
        attempt.SentAt = clock.GetUtcNow();
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        attempt.ReceivedAt = clock.GetUtcNow();
        ObserveWeight(attempt.Market, response);

        switch ((int)response.StatusCode)
        {
            case 418:
            {
                var retryAfter = RetryAfter(response);
                state.BannedUntil = attempt.ReceivedAt + retryAfter;
                logger.LogError("Binance {Market} {Path}: 418, the IP is banned; all REST calls stop for {RetryAfter}.", attempt.Market, PathOnly(attempt.Path), retryAfter);
                observer.OnRateLimited(attempt.Market, 418, retryAfter);
                break;
            }
            case 429:
            {
                var retryAfter = RetryAfter(response);
                var until = attempt.ReceivedAt + retryAfter;
                if (until > state.BackoffUntil) state.BackoffUntil = until;
                logger.LogWarning("Binance {Market} {Path}: 429, backing off for {RetryAfter}.", attempt.Market, PathOnly(attempt.Path), retryAfter);
                observer.OnRateLimited(attempt.Market, 429, retryAfter);
                break;
            }
        }
        return response;
    }

    private async ValueTask<HttpRequestMessage> BuildRequestAsync(AttemptContext attempt, CancellationToken ct)
    {
        if (attempt.Signed is not { } signed)
            return new HttpRequestMessage(HttpMethod.Get, Endpoints.RestUri(attempt.Market, attempt.Path));
        var inBody = signed.Method != HttpMethod.Get && signed.Method != HttpMethod.Delete;
        var request = await signer!.SignAsync(signed.Parameters, ExchangeNow(attempt.Market), inBody, ct).ConfigureAwait(false);
        var message = new HttpRequestMessage(signed.Method, Endpoints.RestUri(attempt.Market, request.QueryString.Length > 0 ? $"{attempt.Path}?{request.QueryString}" : attempt.Path));
        message.Headers.TryAddWithoutValidation("X-MBX-APIKEY", request.ApiKey);
        if (request.Body is { } body) message.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        return message;
    }

    private void ObserveWeight(MarketKind market, HttpResponseMessage response)
    {
        foreach (var (name, values) in response.Headers)
        {
            if (!name.StartsWith("X-MBX-USED-WEIGHT-", StringComparison.OrdinalIgnoreCase)) continue;
            var interval = name["X-MBX-USED-WEIGHT-".Length..].ToLowerInvariant();
            if (!int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var used)) continue;
            var state = State(market);
            var limit = 0;
            if (interval == "1m")
            {
                state.Observe(used, ExchangeNow(market));
                limit = state.WeightLimit;
            }
            observer.OnWeightUsed(market, interval, used, limit);
        }
    }

    private static (int? Code, string Message) ErrorOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, JsonOptions);
            var root = document.RootElement;
            int? code = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : null;
            var msg = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "";
            return (code, Printable200(msg));
        }
        catch (JsonException)
        {
            return (null, "(the error body is not JSON)");
        }
    }

    /// <summary>Failures that happen before a byte of the request is written: nothing reached the exchange.</summary>
    private static bool NotSent(HttpRequestError error) => error is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    private static string Printable200(string text) => text.Length > 200 ? text[..200] + "…" : text;

    private string Clean(string text) => redactor?.Redact(text) ?? text;

    private static string PathOnly(string path) => path.IndexOf('?') is var q and >= 0 ? path[..q] : path;

    private static T Parse<T>(byte[] body, MarketKind market, string endpoint, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(body, JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new BinanceException(BinanceReasons.BadResponse, $"{market.Code()} {endpoint}: the response is not a JSON object.");
            return read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new BinanceException(BinanceReasons.BadResponse, $"{market.Code()} {endpoint}: the response is not JSON ({e.Message}).");
        }
    }

    internal static long RequireLong(JsonElement element, string property, string endpoint) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw new BinanceException(BinanceReasons.BadResponse, $"{endpoint}: '{property}' is missing or not an integer.");

    internal static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
