using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.Execution;

/// <summary>
/// What the router asks a channel to place: one order named by its <see cref="ClientOrderId"/>, which is derived from
/// the intent id, so a second placement of the same request is the same order to the exchange.
/// </summary>
/// <param name="Quantity">What risk passed (health may have shrunk the intent's quantity).</param>
public sealed record OrderRequest(
    string IntentId, string ClientOrderId, Instrument Instrument, OrderSide Side, OrderType Type, decimal Quantity,
    decimal? LimitPrice, bool ReduceOnly, string ConfigRev)
{
    public static OrderRequest For(OrderIntent intent, decimal quantity) => For(intent, Orders.ClientOrderId.For(intent.IntentId), quantity);

    /// <summary>With the client order id already derived (a SHA-256 the router need not compute twice).</summary>
    public static OrderRequest For(OrderIntent intent, string clientOrderId, decimal quantity) => new(
        intent.IntentId, clientOrderId, intent.Instrument, intent.Side, intent.Type, quantity, intent.LimitPrice, intent.ReduceOnly, intent.ConfigRev);
}

/// <summary>One execution of an order, as the channel reports it. <see cref="TradeId"/> is unique per instrument on the channel.</summary>
/// <param name="Fee">In <see cref="FeeAsset"/> (the quote asset for Paper and futures).</param>
/// <param name="IsMaker">True when the order rested and was hit; false when it took liquidity.</param>
public sealed record ChannelFill(string TradeId, decimal Quantity, decimal Price, decimal Fee, string FeeAsset, bool IsMaker, DateTimeOffset At);

/// <summary>The channel's view of one order: what the exchange says, never what Tollgate hopes.</summary>
/// <param name="ExchangeOrderId">The channel's own id (Binance <c>orderId</c>).</param>
/// <param name="Fills">The executions known with this view (may be fewer than <see cref="ExecutedQuantity"/> accounts for, when the channel reports them later).</param>
public sealed record ChannelOrder(
    string ClientOrderId, string ExchangeOrderId, Instrument Instrument, OrderSide Side, OrderType Type, OrderStatus Status,
    decimal Quantity, decimal? LimitPrice, decimal ExecutedQuantity, decimal CumulativeQuote, IReadOnlyList<ChannelFill> Fills, DateTimeOffset UpdatedAt)
{
    /// <summary>The volume-weighted price of what executed; null before anything did.</summary>
    public decimal? AveragePrice => ExecutedQuantity > 0 ? CumulativeQuote / ExecutedQuantity : null;
}

/// <summary>How a channel call ended.</summary>
public enum ChannelOutcome : byte
{
    /// <summary>The channel answered with the order (placed, or found already placed under the same client order id).</summary>
    Known,
    /// <summary>The channel refused it; nothing was placed (<see cref="ChannelResult.Code"/> says why).</summary>
    Rejected,
    /// <summary>
    /// The outcome is not known (timeout, 5xx, Binance -1006/-1007): the order may or may not exist. The only safe
    /// next step is to query it by client order id, never to send it again.
    /// </summary>
    Unknown,
}

/// <param name="Code">For Rejected and Unknown: a stable reason (e.g. EXE-CHANNEL-REJECTED, EXE-CHANNEL-UNKNOWN) with the exchange's code in <see cref="Detail"/>.</param>
public sealed record ChannelResult(ChannelOutcome Outcome, ChannelOrder? Order, string? Code, string? Detail)
{
    public static ChannelResult Known(ChannelOrder order) => new(ChannelOutcome.Known, order, null, null);
    public static ChannelResult Rejected(string code, string detail) => new(ChannelOutcome.Rejected, null, code, detail);
    public static ChannelResult Unknown(string code, string detail) => new(ChannelOutcome.Unknown, null, code, detail);
}

/// <summary>An asset balance (spot, or the futures wallet) or a position (futures, signed) as the channel holds it.</summary>
/// <param name="Instrument">The futures instrument of a position; null for an asset balance (spot, or the futures wallet).</param>
/// <param name="Asset">The asset of a balance (BTC, USDT); the symbol of a futures position.</param>
/// <param name="Quantity">Free + locked for a balance; signed position amount for futures.</param>
/// <param name="EntryPrice">Futures only.</param>
public sealed record ChannelHolding(Instrument? Instrument, string Asset, decimal Quantity, decimal? EntryPrice);

/// <summary>
/// Where orders go: Paper (simulated against the live book) or an exchange. Every call is safe to repeat: placing
/// a client order id the channel already has returns that order (<see cref="ChannelOutcome.Known"/>), never a
/// second one. Implementations translate their exchange's errors into <see cref="ChannelOutcome"/>; they never
/// resend an order whose outcome they do not know.
/// </summary>
public interface IOrderChannel
{
    /// <summary><c>paper</c> or <c>binance</c>: how results and metrics name the channel.</summary>
    string Name { get; }

    Task<ChannelResult> PlaceAsync(OrderRequest request, CancellationToken cancellationToken);

    /// <summary>The order with <paramref name="clientOrderId"/>; null when the channel has no such order (it was never placed).</summary>
    /// <exception cref="ChannelUnavailableException">The channel could not be asked (the caller retries later).</exception>
    Task<ChannelOrder?> QueryAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken);

    /// <summary>Cancels an open order; Known with the order as it ended (CANCELED, or FILLED when the cancel lost the race).</summary>
    Task<ChannelResult> CancelAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken);

    /// <exception cref="ChannelUnavailableException">The channel could not be asked.</exception>
    Task<IReadOnlyList<ChannelOrder>> OpenOrdersAsync(Instrument instrument, CancellationToken cancellationToken);

    /// <summary>Executions on <paramref name="instrument"/> at or after <paramref name="since"/>, oldest first.</summary>
    /// <exception cref="ChannelUnavailableException">The channel could not be asked.</exception>
    Task<IReadOnlyList<ChannelFill>> FillsAsync(Instrument instrument, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Spot balances and futures positions of <paramref name="market"/>.</summary>
    /// <exception cref="ChannelUnavailableException">The channel could not be asked.</exception>
    Task<IReadOnlyList<ChannelHolding>> HoldingsAsync(MarketKind market, CancellationToken cancellationToken);
}

/// <summary>A query the channel could not answer (network, 5xx, rate limit); nothing is known either way.</summary>
public sealed class ChannelUnavailableException(string code, string message, Exception? inner = null) : Exception($"{code}: {message}", inner)
{
    public string Code { get; } = code;
}

/// <summary>Stable channel reason codes.</summary>
public static class ChannelReasons
{
    /// <summary>The channel refused the order (Binance 4xx with an error code, Paper: no liquidity for a limit IOC, ...).</summary>
    public const string Rejected = "EXE-CHANNEL-REJECTED";
    /// <summary>The outcome is unknown: query, never resend.</summary>
    public const string Unknown = "EXE-CHANNEL-UNKNOWN";
    /// <summary>Rate limited (429): nothing was placed; try later.</summary>
    public const string RateLimited = "EXE-CHANNEL-RATE-LIMIT";
    /// <summary>The channel is banned or down (418, connection refused before sending).</summary>
    public const string Unavailable = "EXE-CHANNEL-UNAVAILABLE";
    /// <summary>Paper only: the book is not synced, so nothing can be simulated.</summary>
    public const string NoBook = "EXE-CHANNEL-NO-BOOK";
}
