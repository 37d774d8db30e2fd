using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Binance.Orders;

/// <summary>
/// Orders on Binance spot (<c>/api/v3</c>) and USDⓈ-M futures (<c>/fapi</c>) over <see cref="BinanceRestClient"/>
/// (its signing, weight pacing, 429 backoff and 418 stop).
/// </summary>
/// <remarks>
/// A placement is sent at most once. When its outcome is not known (timeout, 5xx, a connection lost after sending,
/// -1006/-1007, an unreadable answer) the order may exist, so the channel never sends it again: it queries the client
/// order id a few times with backoff and answers Known when the exchange shows the order, else Unknown for the
/// router's in-flight checker, which queries later. A 429 or 418 is a refusal (Binance documents both as not
/// processed); a duplicate id (-2010 "Duplicate order sent.", -4116) is the earlier order, fetched and returned.
/// Queries are GETs, retried by the REST client on 5xx and timeouts, and throw <see cref="ChannelUnavailableException"/>
/// when they cannot answer. Nothing here sees the API key or secret: the signer adds them inside the REST client.
/// </remarks>
public sealed partial class BinanceOrderChannel : IOrderChannel
{
    private readonly BinanceRestClient rest;
    private readonly InstrumentTable instruments;
    private readonly BinanceOrderChannelOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, Instrument> unlisted = new(StringComparer.Ordinal);

    /// <param name="instruments">Names the instrument of each futures position.</param>
    /// <param name="clock">Paces the queries that resolve an unknown outcome and the placement timeout.</param>
    public BinanceOrderChannel(BinanceRestClient rest, InstrumentTable instruments, BinanceOrderChannelOptions? options = null,
        TimeProvider? clock = null, ILogger? logger = null)
    {
        this.rest = rest ?? throw new ArgumentNullException(nameof(rest));
        this.instruments = instruments ?? throw new ArgumentNullException(nameof(instruments));
        this.options = options ?? new BinanceOrderChannelOptions();
        this.clock = clock ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
    }

    public string Name => "binance";

    public BinanceOrderChannelOptions Options => options;

    /// <summary>
    /// Places <paramref name="request"/>: spot MARKET (quantity) or LIMIT GTC with newOrderRespType FULL (fills in the
    /// answer); futures the same with RESULT, <c>reduceOnly=true</c> for a reduce-only request, and fills read from
    /// userTrades. If <paramref name="cancellationToken"/> is canceled after the request was sent, the
    /// OperationCanceledException leaves the outcome unknown, as Unknown does: query, never resend.
    /// </summary>
    public Task<ChannelResult> PlaceAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refusal(request) is { } why) return Task.FromResult(ChannelResult.Rejected(ChannelReasons.Rejected, why));
        var instrument = request.Instrument;
        var market = instrument.Market;
        List<KeyValuePair<string, string>> parameters =
        [
            new("symbol", instrument.Symbol), new("side", BinanceOrderJson.Side(request.Side)),
            new("type", request.Type == OrderType.Market ? "MARKET" : "LIMIT"), new("quantity", BinanceOrderApi.Wire(request.Quantity)),
        ];
        if (request.Type == OrderType.Limit)
        {
            parameters.Add(new("price", BinanceOrderApi.Wire(request.LimitPrice!.Value)));
            parameters.Add(new("timeInForce", "GTC"));
        }
        // Spot has no reduce-only flag (a sell only ever spends what is held); futures sends it only when true, as
        // hedge-mode accounts refuse the parameter altogether.
        if (market == MarketKind.Futures && request.ReduceOnly) parameters.Add(new("reduceOnly", "true"));
        parameters.Add(new("newClientOrderId", request.ClientOrderId));
        parameters.Add(new("newOrderRespType", market == MarketKind.Spot ? "FULL" : "RESULT"));
        var id = request.ClientOrderId;
        return PlaceOnceAsync(instrument, id, BinanceOrderApi.Order(market), parameters,
            ct => FindOrderAsync(instrument, id, ct), async (body, ct) =>
            {
                using var document = BinanceOrderJson.Parse(body);
                return await WithFillsAsync(BinanceOrderJson.Order(document.RootElement, instrument), ct).ConfigureAwait(false);
            }, cancellationToken);
    }

    public async Task<ChannelOrder?> QueryAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        // Binance never accepted an id outside its pattern, so no order has it.
        if (string.IsNullOrEmpty(clientOrderId) || !ClientOrderId.IsValid(clientOrderId)) return null;
        try
        {
            return await FindOrderAsync(instrument, clientOrderId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsChannelFailure(e))
        {
            throw Unavailable(e, $"query {clientOrderId}");
        }
    }

    public async Task<ChannelResult> CancelAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        if (string.IsNullOrEmpty(clientOrderId) || !ClientOrderId.IsValid(clientOrderId))
            return ChannelResult.Rejected(ChannelReasons.Rejected, $"'{clientOrderId}' is not a Binance client order id; no order has it.");
        var market = instrument.Market;
        byte[] body;
        try
        {
            // Retried by the REST client on 5xx: a second cancel of an order already canceled is refused (-2011),
            // which the branch below turns into the order as it is, so retrying cannot do harm.
            body = await rest.SendSignedAsync(market, HttpMethod.Delete, BinanceOrderApi.Order(market),
                [new("symbol", instrument.Symbol), new("origClientOrderId", clientOrderId)], BinanceOrderApi.CancelWeight, cancellationToken).ConfigureAwait(false);
        }
        catch (BinanceException e) when (e.ExchangeCode is -2011 or -2013)
        {
            // Refused: the order is not open (it filled, expired or was canceled) or never existed; the query says which.
            try
            {
                return await FindOrderAsync(instrument, clientOrderId, cancellationToken).ConfigureAwait(false) is { } order
                    ? ChannelResult.Known(order)
                    : ChannelResult.Rejected(ChannelReasons.Rejected, $"{ExchangeDetail(e)} (no order has this client order id)");
            }
            catch (Exception query) when (IsChannelFailure(query))
            {
                return ChannelResult.Unknown(ChannelReasons.Unknown, $"the cancel was refused ({ExchangeDetail(e)}) and the order could not be queried: {Describe(query)}");
            }
        }
        catch (BinanceException e) when (e.ReasonCode == BinanceReasons.Unavailable)
        {
            // 5xx or no connection on every try: one of them may have reached the matching engine.
            return ChannelResult.Unknown(ChannelReasons.Unknown, $"cancel {clientOrderId}: {e.Message}; the order may or may not be canceled, query it.");
        }
        catch (BinanceException e)
        {
            return Refused(e);
        }
        try
        {
            using var document = BinanceOrderJson.Parse(body);
            return ChannelResult.Known(await WithFillsAsync(BinanceOrderJson.Order(document.RootElement, instrument), cancellationToken).ConfigureAwait(false));
        }
        catch (FormatException e)
        {
            return ChannelResult.Unknown(ChannelReasons.Unknown, $"cancel {clientOrderId}: unreadable answer ({e.Message}); query it.");
        }
    }

    /// <summary>The open orders of <paramref name="instrument"/>, without fills (query one for them).</summary>
    public async Task<IReadOnlyList<ChannelOrder>> OpenOrdersAsync(Instrument instrument, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var market = instrument.Market;
        try
        {
            var body = await rest.SendSignedAsync(market, HttpMethod.Get, BinanceOrderApi.OpenOrders(market), [new("symbol", instrument.Symbol)],
                BinanceOrderApi.OpenOrdersWeight(market), cancellationToken).ConfigureAwait(false);
            using var document = BinanceOrderJson.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException("openOrders is not a JSON array");
            return [.. document.RootElement.EnumerateArray().Select(e => BinanceOrderJson.Order(e, instrument))];
        }
        catch (Exception e) when (IsChannelFailure(e))
        {
            throw Unavailable(e, $"open orders of {instrument.Key}");
        }
    }

    /// <summary>
    /// Reads trades in windows Binance allows (startTime..endTime at most 24 h on spot, 7 days on futures), each paged
    /// by time 1000 at a time; a trade seen twice at a page boundary is kept once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="since"/> is further back than the options' FillsLookback.</exception>
    public async Task<IReadOnlyList<ChannelFill>> FillsAsync(Instrument instrument, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var market = instrument.Market;
        var now = rest.ExchangeNow(market);
        if (since < now - options.EffectiveFillsLookback)
            throw new ArgumentOutOfRangeException(nameof(since), since, $"fills are read at most {options.EffectiveFillsLookback} back (FillsLookback).");
        var window = BinanceOrderApi.TradesWindow(market) - TimeSpan.FromMilliseconds(1);
        var fills = new Dictionary<string, ChannelFill>(StringComparer.Ordinal);
        try
        {
            for (var from = since; from <= now; from = from + window + TimeSpan.FromMilliseconds(1))
            {
                var to = from + window < now ? from + window : now;
                for (var start = from; ;)
                {
                    var body = await rest.SendSignedAsync(market, HttpMethod.Get, BinanceOrderApi.Trades(market),
                        [new("symbol", instrument.Symbol), new("startTime", BinanceOrderApi.Ms(start)), new("endTime", BinanceOrderApi.Ms(to)),
                         new("limit", BinanceOrderApi.TradesLimit.ToString(CultureInfo.InvariantCulture))],
                        BinanceOrderApi.TradesWeight(market, byOrder: false), cancellationToken).ConfigureAwait(false);
                    using var document = BinanceOrderJson.Parse(body);
                    if (document.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException("the trades answer is not a JSON array");
                    var count = 0;
                    var latest = start;
                    foreach (var trade in document.RootElement.EnumerateArray())
                    {
                        var (_, fill) = BinanceOrderJson.Trade(trade, market);
                        fills.TryAdd(fill.TradeId, fill);
                        count++;
                        if (fill.At > latest) latest = fill.At;
                    }
                    if (count < BinanceOrderApi.TradesLimit) break;
                    // A full page: go on from the last trade's millisecond (its trades come again and are kept once).
                    if (latest <= start) throw new FormatException($"more than {BinanceOrderApi.TradesLimit} trades in one millisecond cannot be paged by time");
                    start = latest;
                }
            }
        }
        catch (Exception e) when (IsChannelFailure(e))
        {
            throw Unavailable(e, $"fills of {instrument.Key}");
        }
        return [.. fills.Values.Where(f => f.At >= since).OrderBy(f => f.At).ThenBy(f => long.Parse(f.TradeId, CultureInfo.InvariantCulture))];
    }

    /// <summary>Spot: every asset balance that is not zero (free + locked). Futures: every open position, signed, with its entry price.</summary>
    public async Task<IReadOnlyList<ChannelHolding>> HoldingsAsync(MarketKind market, CancellationToken cancellationToken)
    {
        try
        {
            if (market == MarketKind.Spot)
            {
                using var account = BinanceOrderJson.Parse(await rest.GetAccountAsync(cancellationToken).ConfigureAwait(false));
                return BinanceOrderJson.Balances(account.RootElement);
            }
            var body = await rest.SendSignedAsync(MarketKind.Futures, HttpMethod.Get, BinanceOrderApi.PositionRisk, [], BinanceOrderApi.PositionRiskWeight, cancellationToken).ConfigureAwait(false);
            using var positions = BinanceOrderJson.Parse(body);
            return BinanceOrderJson.Positions(positions.RootElement, FuturesInstrument);
        }
        catch (Exception e) when (IsChannelFailure(e))
        {
            throw Unavailable(e, $"{market.Code()} holdings");
        }
    }

    // ---- placing once ----

    /// <summary>
    /// The one way anything is placed: maybe a query first (a filled order's id is accepted again by Binance), then one
    /// send, whose every failure is either a refusal Binance documents as not processed or an unknown outcome.
    /// </summary>
    private async Task<ChannelResult> PlaceOnceAsync(Instrument instrument, string clientOrderId, string path, List<KeyValuePair<string, string>> parameters,
        Func<CancellationToken, Task<ChannelOrder?>> find, Func<byte[], CancellationToken, Task<ChannelOrder>> read, CancellationToken cancellationToken)
    {
        var market = instrument.Market;
        if (options.QueryBeforePlace)
        {
            try
            {
                if (await find(cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    logger.LogInformation("Binance {Instrument} {ClientOrderId}: already placed ({Status}); not sent again.", instrument.Key, clientOrderId, existing.Status.Code());
                    return ChannelResult.Known(existing);
                }
            }
            catch (Exception e) when (IsChannelFailure(e))
            {
                var refusal = e is BinanceException b ? Refused(b) : ChannelResult.Rejected(ChannelReasons.Unavailable, Describe(e));
                return refusal with { Detail = $"not sent: could not check whether {clientOrderId} exists: {refusal.Detail}" };
            }
        }

        byte[] body;
        var what = $"{instrument.Key} {clientOrderId}";
        using (var timer = new CancellationTokenSource(options.EffectivePlaceTimeout, clock))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token))
        {
            try
            {
                body = await rest.SendSignedOnceAsync(market, HttpMethod.Post, path, parameters, BinanceOrderApi.PlaceWeight, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return await ResolveAsync(what, find, $"no answer within {options.EffectivePlaceTimeout}", cancellationToken).ConfigureAwait(false);
            }
            catch (BinanceException e) when (e.ReasonCode == BinanceReasons.OutcomeUnknown)
            {
                return await ResolveAsync(what, find, e.Message, cancellationToken).ConfigureAwait(false);
            }
            catch (BinanceException e) when (IsDuplicate(e))
            {
                // The id is taken: the order is the one placed before (a redelivery, or a race with another placement).
                try
                {
                    if (await find(cancellationToken).ConfigureAwait(false) is { } existing)
                    {
                        logger.LogInformation("Binance {What}: {Detail}; returning the existing order ({Status}).", what, ExchangeDetail(e), existing.Status.Code());
                        return ChannelResult.Known(existing);
                    }
                }
                catch (Exception query) when (IsChannelFailure(query))
                {
                    logger.LogWarning("Binance {What}: {Detail}, and the query failed: {Failure}.", what, ExchangeDetail(e), Describe(query));
                }
                return await ResolveAsync(what, find, $"{ExchangeDetail(e)}, but the order was not found at once", cancellationToken).ConfigureAwait(false);
            }
            catch (BinanceException e)
            {
                return Refused(e);
            }
        }
        try
        {
            return ChannelResult.Known(await read(body, cancellationToken).ConfigureAwait(false));
        }
        catch (FormatException e)
        {
            return await ResolveAsync(what, find, $"unreadable answer ({e.Message})", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After an unknown outcome: a bounded number of queries by client order id, with doubling waits. Found → Known.
    /// Not found is no proof it was never placed (the answer may still be on its way through the exchange), so it
    /// stays Unknown, like a query that fails: the router's in-flight checker asks again later.
    /// </summary>
    private async Task<ChannelResult> ResolveAsync(string what, Func<CancellationToken, Task<ChannelOrder?>> find, string detail, CancellationToken cancellationToken)
    {
        logger.LogWarning("Binance {What}: the outcome is unknown ({Detail}); querying, never resending.", what, detail);
        var delay = options.EffectiveUnknownQueryDelay;
        var attempts = options.ValidatedUnknownQueryAttempts;
        int notFound = 0, failed = 0;
        string? lastFailure = null;
        for (var i = 0; i < attempts; i++)
        {
            await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
            delay *= 2;
            try
            {
                if (await find(cancellationToken).ConfigureAwait(false) is { } order)
                {
                    logger.LogInformation("Binance {What}: resolved by query {Attempt}: {Status}.", what, i + 1, order.Status.Code());
                    return ChannelResult.Known(order);
                }
                notFound++;
            }
            catch (Exception e) when (IsChannelFailure(e))
            {
                failed++;
                lastFailure = Describe(e);
            }
        }
        var outcome = $"{detail}; {attempts} queries: {notFound} found no order, {failed} failed{(lastFailure is null ? "" : $" (last: {lastFailure})")}; query it later, never send it again";
        logger.LogWarning("Binance {What}: still unknown: {Outcome}.", what, outcome);
        return ChannelResult.Unknown(ChannelReasons.Unknown, outcome);
    }

    // ---- queries ----

    private async Task<ChannelOrder?> FindOrderAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken)
    {
        var market = instrument.Market;
        byte[] body;
        try
        {
            body = await rest.SendSignedAsync(market, HttpMethod.Get, BinanceOrderApi.Order(market),
                [new("symbol", instrument.Symbol), new("origClientOrderId", clientOrderId)], BinanceOrderApi.QueryWeight(market), cancellationToken).ConfigureAwait(false);
        }
        catch (BinanceException e) when (e.ExchangeCode == -2013)
        {
            return null;
        }
        using var document = BinanceOrderJson.Parse(body);
        return await WithFillsAsync(BinanceOrderJson.Order(document.RootElement, instrument), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The order with its executions from the trades endpoint when the answer carried none (queries, cancels, futures
    /// RESULT). Best effort: the order is known either way, and a fill list may be shorter than the executed quantity.
    /// </summary>
    private async Task<ChannelOrder> WithFillsAsync(ChannelOrder order, CancellationToken cancellationToken)
    {
        if (order.ExecutedQuantity == 0 || order.Fills.Count > 0) return order;
        var market = order.Instrument.Market;
        try
        {
            var body = await rest.SendSignedAsync(market, HttpMethod.Get, BinanceOrderApi.Trades(market),
                [new("symbol", order.Instrument.Symbol), new("orderId", order.ExchangeOrderId), new("limit", BinanceOrderApi.TradesLimit.ToString(CultureInfo.InvariantCulture))],
                BinanceOrderApi.TradesWeight(market, byOrder: true), cancellationToken).ConfigureAwait(false);
            using var document = BinanceOrderJson.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException("the trades answer is not a JSON array");
            var fills = document.RootElement.EnumerateArray().Select(t => BinanceOrderJson.Trade(t, market))
                .Where(t => t.OrderId == order.ExchangeOrderId).Select(t => t.Fill).OrderBy(f => f.At).ToList();
            return order with { Fills = fills };
        }
        catch (Exception e) when (IsChannelFailure(e))
        {
            logger.LogWarning("Binance {Instrument} {ClientOrderId}: the order is known, its fills could not be read: {Failure}.", order.Instrument.Key, order.ClientOrderId, Describe(e));
            return order;
        }
    }

    private Instrument FuturesInstrument(string symbol) =>
        instruments.Find(MarketKind.Futures, symbol)
        // A position outside the routed universe is still a position: it is named, never hidden (filters unknown, 0).
        ?? unlisted.GetOrAdd(symbol, s => new Instrument(MarketKind.Futures, s, 0, 0, 0));

    // ---- outcomes ----

    private static string? Refusal(OrderRequest request)
    {
        if (!ClientOrderId.IsValid(request.ClientOrderId)) return $"'{request.ClientOrderId}' is not a Binance client order id (^[.A-Z:/a-z0-9_-]{{1,36}}$); not sent.";
        if (request.Quantity <= 0) return $"quantity {request.Quantity} is not above 0; not sent.";
        return request.Type switch
        {
            OrderType.Limit when request.LimitPrice is not > 0 => "a limit order needs a price above 0; not sent.",
            OrderType.Market when request.LimitPrice is not null => "a market order carries no price; not sent.",
            _ => null,
        };
    }

    private static bool IsDuplicate(BinanceException e) =>
        e.ExchangeCode == -4116 || (e.ExchangeCode == -2010 && e.ExchangeMessage?.Contains("Duplicate order", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>A definite answer that nothing was placed: 429 and 418 are documented as not processed; other 4xx are refusals.</summary>
    private static ChannelResult Refused(BinanceException e) => e.ReasonCode switch
    {
        BinanceReasons.RateLimited => ChannelResult.Rejected(ChannelReasons.RateLimited, e.Message),
        BinanceReasons.Banned or BinanceReasons.Unavailable or BinanceReasons.SecretMissing => ChannelResult.Rejected(ChannelReasons.Unavailable, e.Message),
        _ => ChannelResult.Rejected(ChannelReasons.Rejected, ExchangeDetail(e)),
    };

    /// <summary><c>binance -2010: Account has insufficient balance for requested action.</c></summary>
    private static string ExchangeDetail(BinanceException e) => e.ExchangeCode is { } code
        ? $"binance {code.ToString(CultureInfo.InvariantCulture)}: {e.ExchangeMessage}"
        : $"binance HTTP {e.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}: {e.Message}";

    private static bool IsChannelFailure(Exception e) => e is BinanceException or FormatException;

    private static string Describe(Exception e) => e is FormatException ? $"unreadable answer ({e.Message})" : e.Message;

    private static ChannelUnavailableException Unavailable(Exception e, string what) =>
        new(e is BinanceException { ReasonCode: BinanceReasons.RateLimited } ? ChannelReasons.RateLimited : ChannelReasons.Unavailable,
            $"binance {what}: {Describe(e)}", e);
}
