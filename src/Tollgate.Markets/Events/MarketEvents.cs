using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Events;

// The normalized market events (seed 002 S1 → mkt:{events}:{symbol}). Each carries the exchange's time, the time
// Tollgate received it, and the exchange's sequence ids, so a consumer can order, deduplicate and measure latency
// without knowing Binance's JSON. They are structs, and BookDelta a ref struct over the decoder's buffers: the hot
// path allocates nothing per frame.

/// <summary>Best bid and offer (Binance <c>@bookTicker</c>). <paramref name="UpdateId"/> is the order book update id it reflects.</summary>
/// <param name="ExchangeTime">Event time; spot bookTicker carries none, so it is null there.</param>
public readonly record struct Quote(
    Instrument Instrument, long UpdateId,
    decimal BidPrice, decimal BidQuantity, decimal AskPrice, decimal AskQuantity,
    DateTimeOffset? ExchangeTime, DateTimeOffset IngestTime);

/// <summary>
/// A diff of the order book (Binance <c>@depth@100ms</c>): every level whose quantity changed, with the new absolute
/// quantity. Spot chains by <see cref="FirstUpdateId"/> = previous <see cref="FinalUpdateId"/> + 1; futures by
/// <see cref="PreviousFinalUpdateId"/> = previous <see cref="FinalUpdateId"/>.
/// </summary>
public readonly ref struct BookDelta(
    Instrument instrument, long firstUpdateId, long finalUpdateId, long? previousFinalUpdateId,
    DateTimeOffset exchangeTime, DateTimeOffset ingestTime, ReadOnlySpan<PriceLevel> bids, ReadOnlySpan<PriceLevel> asks)
{
    public Instrument Instrument { get; } = instrument;
    /// <summary><c>U</c>.</summary>
    public long FirstUpdateId { get; } = firstUpdateId;
    /// <summary><c>u</c>.</summary>
    public long FinalUpdateId { get; } = finalUpdateId;
    /// <summary><c>pu</c> (futures only).</summary>
    public long? PreviousFinalUpdateId { get; } = previousFinalUpdateId;
    public DateTimeOffset ExchangeTime { get; } = exchangeTime;
    public DateTimeOffset IngestTime { get; } = ingestTime;
    public ReadOnlySpan<PriceLevel> Bids { get; } = bids;
    public ReadOnlySpan<PriceLevel> Asks { get; } = asks;
}

/// <summary>A full book at one update id (Binance REST <c>depth</c>), the starting point every delta chain is applied to.</summary>
public readonly ref struct BookSnapshot(Instrument instrument, long lastUpdateId, DateTimeOffset ingestTime, ReadOnlySpan<PriceLevel> bids, ReadOnlySpan<PriceLevel> asks)
{
    public Instrument Instrument { get; } = instrument;
    public long LastUpdateId { get; } = lastUpdateId;
    public DateTimeOffset IngestTime { get; } = ingestTime;
    public ReadOnlySpan<PriceLevel> Bids { get; } = bids;
    public ReadOnlySpan<PriceLevel> Asks { get; } = asks;
}

/// <summary>An aggregated trade (Binance <c>@aggTrade</c>).</summary>
/// <param name="BuyerIsMaker">True when the buyer's order was resting, i.e. the aggressor sold.</param>
public readonly record struct Trade(
    Instrument Instrument, long AggregateTradeId, long FirstTradeId, long LastTradeId,
    decimal Price, decimal Quantity, bool BuyerIsMaker,
    DateTimeOffset TradeTime, DateTimeOffset ExchangeTime, DateTimeOffset IngestTime);

/// <summary>Mark price and funding of a perpetual (Binance futures <c>@markPrice@1s</c>).</summary>
public readonly record struct MarkPrice(
    Instrument Instrument, decimal Mark, decimal Index, decimal EstimatedSettlePrice, decimal FundingRate,
    DateTimeOffset NextFundingTime, DateTimeOffset ExchangeTime, DateTimeOffset IngestTime);
