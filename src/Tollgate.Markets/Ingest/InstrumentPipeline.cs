using System.Runtime.CompilerServices;
using Tollgate.Markets.Books;
using Tollgate.Markets.Events;
using Tollgate.Markets.Features;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Quality;

namespace Tollgate.Markets.Ingest;

/// <summary>
/// Everything Tollgate keeps for one instrument: its depth book, its latest best bid/offer, bars and regime, and its
/// data quality. Events reach it from one ingest partition at a time; each change to the top of book or a bar close
/// emits a <see cref="FeatureEvent"/>.
/// </summary>
public sealed class InstrumentPipeline
{
    private readonly FeatureConfig config;
    private readonly IFeatureSink features;
    private readonly IDataQualitySink? quality;
    private readonly ISnapshotRequester? snapshots;
    private readonly BarSeries bars;
    private Quote? quote;
    private bool gapPending;

    // Emit's decimal divisions are most of its cost, and most updates leave their inputs as they were: a quote
    // changes a size far more often than a price, and a quote leaves the depth book alone. Each result is kept
    // with the exact inputs it came from and reused while they are the same (bit for bit, so also the scale).
    private decimal pricesBid, pricesAsk, pricesMid, pricesSpread, pricesSpreadBps;
    private bool hasPrices;
    private long imbalanceBidVersion = -1, imbalanceAskVersion = -1;
    private decimal? imbalanceValue;
    private decimal micropriceBidQty, micropriceAskQty, micropriceValue;
    private bool hasMicroprice;
    // Not a nullable property: assigning a few hundred bytes into a Nullable<T> copies them once more.
    private FeatureEvent lastFeatures;
    private bool hasLastFeatures;

    internal InstrumentPipeline(Instrument instrument, string partitionId, FeatureConfig config, IFeatureSink features,
        IDataQualitySink? quality, ISnapshotRequester? snapshots)
    {
        Instrument = instrument;
        PartitionId = partitionId;
        this.config = config;
        this.features = features;
        this.quality = quality;
        this.snapshots = snapshots;
        Sync = new BookSynchronizer(instrument);
        bars = new BarSeries(config);
        Quality = new InstrumentQuality(instrument.Key);
    }

    public Instrument Instrument { get; }

    /// <summary>The partition this instrument's frames arrive on; frames for it on another partition are refused.</summary>
    public string PartitionId { get; }

    public BookSynchronizer Sync { get; }
    public OrderBook Book => Sync.Book;
    public InstrumentQuality Quality { get; }
    public Quote? LastQuote => quote;
    public MarkPrice? LastMarkPrice { get; private set; }
    public Trade? LastTrade { get; private set; }
    public FeatureEvent? LastFeatures => hasLastFeatures ? lastFeatures : null;
    public BarSeries Bars => bars;

    internal void OnQuote(in Quote q)
    {
        Quality.OnEvent(q.ExchangeTime, q.IngestTime);
        if (q.ExchangeTime is { } t) AdvanceClock(t, q.IngestTime);
        if (quote is { } last && q.UpdateId <= last.UpdateId) { Quality.OnStaleQuote(); return; }
        quote = q;
        // The depth book may already be past this quote: it then says nothing new about the top.
        if (Book.IsSynced && Book.LastUpdateId >= q.UpdateId) return;
        Emit(FeatureTrigger.Quote, q.ExchangeTime, q.IngestTime);
    }

    internal void OnBookDelta(in BookDelta delta)
    {
        Quality.OnEvent(delta.ExchangeTime, delta.IngestTime);
        Quality.OnDelta();
        AdvanceClock(delta.ExchangeTime, delta.IngestTime);
        switch (Sync.OnDelta(delta))
        {
            case DeltaOutcome.Applied:
                Emit(FeatureTrigger.Book, delta.ExchangeTime, delta.IngestTime);
                break;
            case DeltaOutcome.Stale:
                Quality.OnStaleDelta();
                break;
            case DeltaOutcome.Buffered:
                Quality.OnUnsynced(delta.IngestTime);
                break;
            case DeltaOutcome.Gap:
                gapPending = true;
                Quality.OnGap(delta.IngestTime);
                MarketMetrics.Gaps.Add(1, new KeyValuePair<string, object?>("instrument", Instrument.Key));
                Report(DataQualityKind.Gap, $"expected an update continuing from {Sync.LastGapExpected}, got U={delta.FirstUpdateId} u={delta.FinalUpdateId}"
                    + (delta.PreviousFinalUpdateId is { } pu ? $" pu={pu}" : ""), delta.IngestTime);
                snapshots?.RequestSnapshot(Instrument.Key, "MKT-BOOK-GAP");
                break;
        }
        UpdateAlert(delta.IngestTime);
    }

    internal void OnBookSnapshot(in BookSnapshot snapshot)
    {
        Quality.OnEvent(null, snapshot.IngestTime);
        var outcome = Sync.OnSnapshot(snapshot);
        switch (outcome)
        {
            case SnapshotOutcome.Synced:
                Quality.OnSynced(gapPending);
                if (gapPending)
                {
                    MarketMetrics.Resyncs.Add(1, new KeyValuePair<string, object?>("instrument", Instrument.Key));
                    Report(DataQualityKind.Resynced, $"rebuilt from the snapshot at {snapshot.LastUpdateId}; now at {Book.LastUpdateId}", snapshot.IngestTime);
                }
                gapPending = false;
                Emit(FeatureTrigger.Book, null, snapshot.IngestTime);
                break;
            case SnapshotOutcome.TooOld:
            case SnapshotOutcome.GapAfter:
                Quality.OnStaleSnapshot();
                Report(DataQualityKind.SnapshotStale, outcome == SnapshotOutcome.TooOld
                    ? $"the snapshot at {snapshot.LastUpdateId} is older than the first buffered update; another is requested"
                    : $"the buffered updates after the snapshot at {snapshot.LastUpdateId} have a gap; another snapshot is requested", snapshot.IngestTime);
                snapshots?.RequestSnapshot(Instrument.Key, "MKT-SNAPSHOT-STALE");
                break;
            case SnapshotOutcome.Ignored:
                break;
        }
        UpdateAlert(snapshot.IngestTime);
    }

    internal void OnTrade(in Trade trade)
    {
        Quality.OnEvent(trade.ExchangeTime, trade.IngestTime);
        // Aggregate trade ids only grow: an older or repeated one (two connections overlapping in a rotation,
        // a redelivery) is already in the bars.
        if (LastTrade is { } last && trade.AggregateTradeId <= last.AggregateTradeId) { Quality.OnStaleTrade(); return; }
        Quality.OnTrade();
        LastTrade = trade;
        AdvanceClock(trade.TradeTime, trade.IngestTime);
        bars.OnTrade(trade.Price, trade.TradeTime);
    }

    internal void OnMarkPrice(in MarkPrice mark)
    {
        Quality.OnEvent(mark.ExchangeTime, mark.IngestTime);
        AdvanceClock(mark.ExchangeTime, mark.IngestTime);
        LastMarkPrice = mark;
    }

    /// <summary>
    /// Moves the instrument's exchange clock; a bar it closes emits a Bar feature event (new ATR and volatility) before
    /// the update that moved the clock is applied, whichever kind of event that is.
    /// </summary>
    private void AdvanceClock(DateTimeOffset exchangeTime, DateTimeOffset ingestTime)
    {
        if (bars.Advance(exchangeTime)) Emit(FeatureTrigger.Bar, exchangeTime, ingestTime);
    }

    /// <summary>The best bid and offer now: the depth book's when it is at least as new as the last quote, else the quote's.</summary>
    private bool TryTop(out long updateId, out decimal bid, out decimal bidQty, out decimal ask, out decimal askQty)
    {
        if (Book.IsSynced && !Book.Bids.IsEmpty && !Book.Asks.IsEmpty && (quote is not { } q0 || Book.LastUpdateId >= q0.UpdateId))
        {
            var b = Book.Bids.Best;
            var a = Book.Asks.Best;
            (updateId, bid, bidQty, ask, askQty) = (Book.LastUpdateId, b.Price, b.Quantity, a.Price, a.Quantity);
            return true;
        }
        if (quote is { } q)
        {
            (updateId, bid, bidQty, ask, askQty) = (q.UpdateId, q.BidPrice, q.BidQuantity, q.AskPrice, q.AskQuantity);
            return true;
        }
        (updateId, bid, bidQty, ask, askQty) = (0, 0, 0, 0, 0);
        return false;
    }

    private void Emit(FeatureTrigger trigger, DateTimeOffset? exchangeTime, DateTimeOffset ingestTime)
    {
        if (!TryTop(out var updateId, out var bid, out var bidQty, out var ask, out var askQty)) return;
        var size = bidQty + askQty;
        if (bid <= 0 || ask <= 0 || size <= 0) return;
        var samePrices = hasPrices && SameBits(bid, pricesBid) && SameBits(ask, pricesAsk);
        if (!samePrices)
        {
            pricesMid = (bid + ask) * 0.5m;
            pricesSpread = ask - bid;
            pricesSpreadBps = Math.Round(pricesSpread / pricesMid * 10_000m, 4);
            (pricesBid, pricesAsk, hasPrices) = (bid, ask, true);
        }
        if (!samePrices || !hasMicroprice || !SameBits(bidQty, micropriceBidQty) || !SameBits(askQty, micropriceAskQty))
        {
            micropriceValue = Math.Round((bid * askQty + ask * bidQty) / size, 10);
            (micropriceBidQty, micropriceAskQty, hasMicroprice) = (bidQty, askQty, true);
        }
        decimal? imbalance = null;
        if (Book.IsSynced)
        {
            if (Book.Bids.Version != imbalanceBidVersion || Book.Asks.Version != imbalanceAskVersion)
            {
                var bidDepth = Book.Bids.QuantityOfTop(config.ImbalanceLevels);
                var askDepth = Book.Asks.QuantityOfTop(config.ImbalanceLevels);
                imbalanceValue = bidDepth + askDepth > 0 ? Math.Round((bidDepth - askDepth) / (bidDepth + askDepth), 6) : null;
                (imbalanceBidVersion, imbalanceAskVersion) = (Book.Bids.Version, Book.Asks.Version);
            }
            imbalance = imbalanceValue;
        }
        // Built in place in the field: the event is some 300 bytes, and a local would be copied into it.
        lastFeatures = new FeatureEvent(Instrument, trigger, updateId, exchangeTime, ingestTime, bid, bidQty, ask, askQty,
            pricesMid, pricesSpread, pricesSpreadBps, micropriceValue,
            imbalance, bars.Atr, bars.RealizedVolatility, bars.Regime, config.Rev);
        hasLastFeatures = true;
        features.OnFeatures(lastFeatures);
    }

    private static bool SameBits(decimal a, decimal b) => Unsafe.As<decimal, Int128>(ref a) == Unsafe.As<decimal, Int128>(ref b);

    private void UpdateAlert(DateTimeOffset at)
    {
        if (Quality.UpdateAlert(at) is not { } raised) return;
        Report(raised ? DataQualityKind.ContinuousGap : DataQualityKind.ContinuousGapCleared, raised
            ? $"{Quality.Gaps} gap(s) so far; {(Quality.UnsyncedSince is { } since ? $"out of sync since {since:O}" : $"at least {InstrumentQuality.GapsForAlert} in {InstrumentQuality.GapWindow.TotalMinutes:0} min")}"
            : "in sync, no gap burst", at);
    }

    private void Report(DataQualityKind kind, string detail, DateTimeOffset at)
        => quality?.OnDataQuality(new DataQualityEvent(Instrument.Key, kind, detail, at));
}
